// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Selects marked data-autosubmit submit their form on change (the button stays for no-JS).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]")) {
      el.form.requestSubmit();
    }
  });

  // "/" focuses the search box unless the user is typing somewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    var box = document.querySelector("[data-search-input]");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  });

  // A warning the person must act on (data-focus-on-load: the phone-number warning) takes
  // the focus when it appears, on a reloaded page or in an htmx swap, so that it is read
  // and is not left below the fold looking as if nothing happened.
  function focusFlagged(root) {
    var el = root.querySelector && root.querySelector("[data-focus-on-load]");
    if (!el) return;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "center" });
  }
  focusFlagged(document);
  document.addEventListener("htmx:afterSettle", function (event) { focusFlagged(event.target); });
})();
