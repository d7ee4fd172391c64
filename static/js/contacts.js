// The contact log panel: "c" opens it from any page, Esc closes it, Ctrl+Enter saves.
// Without JavaScript the header button is a plain link to the recording page.
(function () {
  "use strict";

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  function form() {
    return document.querySelector("[data-contact-form]");
  }

  function focusForm() {
    var f = form();
    if (!f) return false;
    var first = f.querySelector("[autofocus]") || f.querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
    return true;
  }

  function opener() {
    return document.querySelector("[data-contact-open]");
  }

  function closePanel() {
    var panel = document.getElementById("contact-panel");
    if (!panel || !panel.firstChild) return;
    panel.textContent = "";
    var button = opener();
    if (button) button.focus();
  }

  document.addEventListener("keydown", function (event) {
    var t = event.target;
    // "c": open the panel (or go to the form already on the page).
    if ((event.key === "c" || event.key === "C") && !event.ctrlKey && !event.metaKey &&
        !event.altKey && !typing(t)) {
      event.preventDefault();
      if (!focusForm()) {
        var button = opener();
        if (button) button.click();
      }
      return;
    }
    var f = form();
    if (!f || !f.contains(t)) return;
    if (event.key === "Escape") {
      var panel = document.getElementById("contact-panel");
      if (panel && panel.contains(t)) { event.preventDefault(); closePanel(); }
      return;
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      f.requestSubmit(f.querySelector("button.primary"));
      return;
    }
    if (event.key === "Enter" && t.matches("[data-topic-search]")) {
      // Enter in the topic search goes to its first result instead of saving.
      event.preventDefault();
      var hit = f.querySelector("#topic-results input[type=radio]");
      if (hit) { hit.checked = true; hit.focus(); }
      return;
    }
    if (event.key === "Enter" && t.tagName === "INPUT" && t.type !== "submit") {
      // Enter anywhere else saves (never the hidden no-JavaScript search button).
      event.preventDefault();
      f.requestSubmit(f.querySelector("button.primary"));
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-contact-close]")) closePanel();
  });

  // The header button on the recording page itself: focus the form, no second copy.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.matches && elt.matches("[data-contact-open]") && form()) {
      event.preventDefault();
      focusForm();
    }
  });
})();
