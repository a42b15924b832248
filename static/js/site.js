// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary after a failed submit so screen readers announce it.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // Error-summary links focus their field (and scroll it into view) instead of only jumping.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target) {
      event.preventDefault();
      var focusable = target.matches("fieldset") ? (target.querySelector("input") || target) : target;
      focusable.focus();
      focusable.scrollIntoView({ block: "center" });
    }
  });
})();
