// "Previous / next in this path": an entry page reached from a learning path carries ?path=<id>.
// Every entry page already lists its place in each path near the bottom (that works without
// JavaScript); this copies the block for the path the reader came from to the top of the page.
(function () {
  "use strict";

  function showPathNavigation() {
    var pathId = new URLSearchParams(window.location.search).get("path");
    if (!pathId || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(pathId)) return;
    var blocks = document.querySelectorAll(".md-content .kb-path-nav--" + pathId);
    var heading = document.querySelector(".md-content h1");
    if (!blocks.length || !heading || document.querySelector(".kb-path-nav-current")) return;
    var nav = document.createElement("nav");
    nav.className = "kb-path-nav-current";
    nav.setAttribute("aria-label", "This learning path");
    blocks.forEach(function (block) {
      nav.appendChild(block.cloneNode(true));
    });
    heading.insertAdjacentElement("afterend", nav);
  }

  // Material's document$ also fires after instant navigation, should that feature be turned on.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(showPathNavigation);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showPathNavigation);
  } else {
    showPathNavigation();
  }
})();
