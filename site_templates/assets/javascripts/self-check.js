// The self-check (/self-check/<path id>/): choosing an answer marks it right or wrong and opens the explanation.
// Everything is read from the page's own text (each choice's letter and the answer's letter), and progress is
// kept in this browser only (localStorage); nothing is sent anywhere. Without JavaScript, each answer opens
// under its question.
(function () {
  "use strict";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function load(key) {
    try {
      var saved = JSON.parse(window.localStorage.getItem(key) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch (error) {
      return {}; // storage off, or not ours: start afresh
    }
  }

  function save(key, answers) {
    try {
      window.localStorage.setItem(key, JSON.stringify(answers));
    } catch (error) {
      // storage off: the answers last until the page is left
    }
  }

  function startSelfCheck() {
    var root = document.querySelector(".md-content .kb-self-check");
    if (!root || root.classList.contains("kb-self-check--ready")) return;
    root.classList.add("kb-self-check--ready");
    var path = /kb-self-check--([a-z0-9-]+)/.exec(root.className);
    var key = "kb-self-check:" + (path ? path[1] : "");
    var answers = load(key);
    var checks = [];
    var progress = element("p", "kb-self-check-progress");
    var status = element("span", "kb-self-check-status");
    var reset = element("button", "kb-self-check-reset", "Start again");
    status.setAttribute("role", "status");
    reset.type = "button";
    progress.append(status, reset);
    root.insertAdjacentElement("beforebegin", progress);

    function update() {
      var answered = checks.filter(function (check) { return check.chosen; });
      var right = answered.filter(function (check) { return check.chosen === check.answer; });
      status.textContent = answered.length + " of " + checks.length + " answered, " + right.length + " right";
    }

    root.querySelectorAll(".kb-check").forEach(function (node) {
      var heading = node.querySelector(".kb-check-question");
      var letter = node.querySelector(".kb-answer-letter");
      var details = node.querySelector("details");
      if (!heading || !letter) return;
      var check = {
        question: heading.textContent.replace(/¶\s*$/, "").trim(),
        answer: letter.textContent.trim(),
        chosen: null,
        buttons: [],
      };
      var result = element("p", "kb-check-result");
      result.setAttribute("aria-live", "polite");
      (details || node.lastChild).insertAdjacentElement(details ? "beforebegin" : "afterend", result);

      check.choose = function (chosen, restoring) {
        check.chosen = chosen;
        check.buttons.forEach(function (button) {
          button.setAttribute("aria-pressed", String(button.value === chosen));
        });
        node.classList.toggle("kb-check--right", chosen === check.answer);
        node.classList.toggle("kb-check--wrong", !!chosen && chosen !== check.answer);
        result.textContent = !chosen ? "" : chosen === check.answer ? "Right." : "Not quite: the answer is " + check.answer + ".";
        if (details) details.open = !!chosen;
        if (chosen) answers[check.question] = chosen;
        else delete answers[check.question];
        if (!restoring) save(key, answers);
        update();
      };

      node.querySelectorAll(".kb-choices li").forEach(function (item) {
        var choice = item.querySelector(".kb-choice-letter");
        if (!choice) return;
        var button = element("button", "kb-choice");
        button.type = "button";
        button.value = choice.textContent.trim();
        button.setAttribute("aria-pressed", "false");
        while (item.firstChild) button.appendChild(item.firstChild);
        item.appendChild(button);
        button.addEventListener("click", function () {
          check.choose(button.value, false);
        });
        check.buttons.push(button);
      });
      checks.push(check);
      check.choose(typeof answers[check.question] === "string" ? answers[check.question] : null, true);
    });

    reset.addEventListener("click", function () {
      checks.forEach(function (check) {
        check.choose(null, false);
      });
    });
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startSelfCheck);
  } else {
    startSelfCheck();
  }
})();
