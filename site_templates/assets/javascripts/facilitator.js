// The facilitator's guide (/facilitator/<path id>/) prints clock times from a default start; this lets the
// trainer set the real start (a time field, or ?start=HH:MM in the address) and moves every time on the page,
// screen and print alike. Each time's place in the session is read from the page's own text.
(function () {
  "use strict";

  var DAY = 24 * 60;

  function minutes(text) {
    var match = /^(\d{1,2}):(\d{2})$/.exec((text || "").trim());
    return match ? parseInt(match[1], 10) * 60 + parseInt(match[2], 10) : null;
  }

  function clock(total) {
    var wrapped = ((total % DAY) + DAY) % DAY;
    var hours = Math.floor(wrapped / 60);
    var rest = wrapped % 60;
    return (hours < 10 ? "0" : "") + hours + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function startClock() {
    var start = document.querySelector(".md-content .kb-clock-start");
    if (!start || start.classList.contains("kb-clock-start--ready")) return;
    start.classList.add("kb-clock-start--ready");
    var origin = minutes(start.textContent);
    if (origin === null) return;
    var times = Array.prototype.slice.call(document.querySelectorAll(".md-content .kb-clock")).map(function (node) {
      return { node: node, offset: (minutes(node.textContent) - origin + DAY) % DAY };
    });
    var control = document.createElement("p");
    control.className = "kb-clock-control";
    var label = document.createElement("label");
    label.textContent = "Session starts at ";
    var input = document.createElement("input");
    input.type = "time";
    input.value = clock(origin);
    label.appendChild(input);
    control.appendChild(label);
    start.closest("p").insertAdjacentElement("afterend", control);

    function set(value) {
      var begin = minutes(value);
      if (begin === null) return;
      start.textContent = clock(begin);
      times.forEach(function (time) {
        time.node.textContent = clock(begin + time.offset);
      });
    }

    input.addEventListener("input", function () {
      set(input.value);
    });
    var asked = new URLSearchParams(window.location.search).get("start");
    if (minutes(asked) !== null) {
      input.value = clock(minutes(asked));
      set(input.value);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startClock);
  } else {
    startClock();
  }
})();
