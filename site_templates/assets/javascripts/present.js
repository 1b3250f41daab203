// The presenter view (/present/<path id>/): one slide at a time, for a projector. The slides are the page's own
// content (.kb-slide), so without JavaScript the page reads as one long page; this script only shows and hides
// them, and reads each step's minutes from its slide's text. Written here rather than vendored: a slide library
// would bring its own markup, styles and fetches, and these hundred lines are all the view needs.
(function () {
  "use strict";

  var NEXT = ["ArrowRight", "ArrowDown", "PageDown"];
  var PREVIOUS = ["ArrowLeft", "ArrowUp", "PageUp"];

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function twoDigits(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function minutesAndSeconds(seconds) {
    return twoDigits(Math.floor(seconds / 60)) + ":" + twoDigits(seconds % 60);
  }

  function startPresenting() {
    var slides = Array.prototype.slice.call(document.querySelectorAll(".md-content .kb-slides > .kb-slide"));
    if (!slides.length || document.body.classList.contains("kb-presenting")) return;
    var current = 0;
    var shownAt = Date.now();
    var bar = element("div", "kb-present-bar");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Presenter controls");
    var previous = element("button", "kb-present-previous", "← Previous");
    var timer = element("span", "kb-present-timer");
    var position = element("span", "kb-present-position");
    var next = element("button", "kb-present-next", "Next →");
    timer.setAttribute("role", "timer");
    timer.setAttribute("aria-label", "Time on this slide");
    position.setAttribute("aria-live", "polite");
    [previous, next].forEach(function (button) {
      button.type = "button";
    });
    bar.append(previous, timer, position, next);
    document.body.appendChild(bar);
    document.body.classList.add("kb-presenting");

    function budget() {
      var minutes = slides[current].querySelector(".kb-slide-minutes");
      return minutes ? parseInt(minutes.textContent, 10) * 60 || 0 : 0;
    }

    function tick() {
      var elapsed = Math.floor((Date.now() - shownAt) / 1000);
      var limit = budget();
      timer.textContent = limit ? minutesAndSeconds(elapsed) + " of " + minutesAndSeconds(limit) : minutesAndSeconds(elapsed);
      timer.classList.toggle("kb-present-timer--over", limit > 0 && elapsed > limit);
    }

    function show(index) {
      current = Math.max(0, Math.min(slides.length - 1, index));
      slides.forEach(function (slide, number) {
        slide.hidden = number !== current;
      });
      shownAt = Date.now();
      position.textContent = "Slide " + (current + 1) + " of " + slides.length;
      previous.disabled = current === 0;
      next.disabled = current === slides.length - 1;
      history.replaceState(null, "", "#slide-" + (current + 1));
      tick();
    }

    previous.addEventListener("click", function () {
      show(current - 1);
    });
    next.addEventListener("click", function () {
      show(current + 1);
    });
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var key = event.key;
      var step = NEXT.indexOf(key) >= 0 || (key === " " && !event.shiftKey) ? 1 : 0;
      if (PREVIOUS.indexOf(key) >= 0 || (key === " " && event.shiftKey)) step = -1;
      if (key === "Home") step = -slides.length;
      if (key === "End") step = slides.length;
      if (!step) return;
      event.preventDefault(); // space would also scroll the page, or press the focused button
      show(current + step);
    });
    var touchX = null;
    var touchY = null;
    document.addEventListener("touchstart", function (event) {
      touchX = event.changedTouches[0].clientX;
      touchY = event.changedTouches[0].clientY;
    }, { passive: true });
    document.addEventListener("touchend", function (event) {
      if (touchX === null) return;
      var dx = event.changedTouches[0].clientX - touchX;
      var dy = event.changedTouches[0].clientY - touchY;
      touchX = null;
      if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1)); // swipe left: next
    }, { passive: true });
    var match = /^#slide-(\d+)$/.exec(window.location.hash);
    show(match ? parseInt(match[1], 10) - 1 : 0);
    window.setInterval(tick, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startPresenting);
  } else {
    startPresenting();
  }
})();
