// A redirect page (generator/inventory.py: former ids and /go/ short links) goes on to its link's address with
// the #anchor it was opened with, which a <meta> refresh cannot carry. Without script, the page's <noscript>
// refresh and its visible link lead to the same page, at its top.
(function () {
  "use strict";
  var link = document.getElementById("kb-redirect");
  if (link) location.replace(link.href + location.hash);
})();
