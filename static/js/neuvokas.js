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

  // Buttons marked data-print print the page (hidden without JS: .print-button).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // A copy button beside every phone number and e-mail address (tel: and mailto: links),
  // on loaded pages and in htmx swaps; not inside the live search's options, which are
  // links themselves. Labels come from the body's data-label-copy / data-label-copied.
  var copyStatus = null;
  function addCopyButtons(root) {
    if (!root.querySelectorAll) return;
    var label = document.body.dataset.labelCopy || "Kopioi";
    root.querySelectorAll('a[href^="tel:"], a[href^="mailto:"]').forEach(function (link) {
      if (link.closest("[role=listbox], [data-no-copy]")) return;
      var next = link.nextElementSibling;
      if (next && next.classList.contains("copy-button")) return;
      var text = link.textContent.trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button no-print";
      button.textContent = label;
      button.setAttribute("aria-label", label + ": " + text);
      button.dataset.copy = text;
      link.after(button);
    });
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Plain-HTTP intranets have no Clipboard API: copy from a selected, off-screen field.
    return new Promise(function (resolve, reject) {
      var field = document.createElement("textarea");
      field.value = text;
      field.setAttribute("readonly", "");
      field.style.position = "fixed";
      field.style.left = "-9999px";
      document.body.appendChild(field);
      field.select();
      var ok = document.execCommand("copy");
      field.remove();
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".copy-button");
    if (!button) return;
    var done = document.body.dataset.labelCopied || "Kopioitu";
    copyText(button.dataset.copy).then(function () {
      if (!copyStatus) {
        copyStatus = document.createElement("div");
        copyStatus.className = "visually-hidden";
        copyStatus.setAttribute("aria-live", "polite");
        document.body.appendChild(copyStatus);
      }
      copyStatus.textContent = done + ": " + button.dataset.copy;
      button.classList.add("is-copied");
      button.textContent = done;
      window.setTimeout(function () {
        button.classList.remove("is-copied");
        button.textContent = document.body.dataset.labelCopy || "Kopioi";
      }, 2000);
    });
  });
  addCopyButtons(document);
  document.addEventListener("htmx:afterSettle", function (event) { addCopyButtons(event.target); });
})();

// Requests htmx makes by itself (hx-trigger="every …" polling) are not the person's
// activity: the server's idle sign-out (apps/accounts/middleware.py) does not count them.
document.addEventListener("htmx:configRequest", function (event) {
  var elt = event.detail.elt;
  var trigger = (elt && elt.getAttribute && elt.getAttribute("hx-trigger")) || "";
  if (!event.detail.triggeringEvent && /(^|,)\s*every\s/.test(trigger)) {
    event.detail.headers["X-Neuvokas-Background"] = "poll";
  }
});
