// Success stories: autosave feedback, a retry after a network hiccup, no double submits,
// (the report's print button is neuvokas.js's [data-print]). Every page works without this file (CSP: no inline JS).
(function () {
  "use strict";

  function autosaveArea(elt) {
    return elt && elt.closest ? elt.closest("[data-autosave]") : null;
  }
  function statusBox() {
    return document.getElementById("autosave-status");
  }

  // A conflict (409) or a refusal (422) carries a message fragment: show it, don't retry.
  // (detail.elt is the swap target here; the requesting element is in requestConfig.)
  document.addEventListener("htmx:beforeSwap", function (event) {
    var config = event.detail.requestConfig;
    if (!config || !autosaveArea(config.elt)) return;
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Typing marks the draft unsaved until an autosave answers 200.
  document.addEventListener("input", function (event) {
    var area = autosaveArea(event.target);
    if (area) area.dataset.unsaved = "1";
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var area = autosaveArea(event.detail.elt);
    if (area && event.detail.xhr && event.detail.xhr.status === 200) {
      delete area.dataset.unsaved;
    }
  });

  // Network down or a server error: say so, keep the text, try again in a while.
  var RETRY_MS = 5000;
  var retryTimer = null;
  function autosaveFailed(event) {
    var area = autosaveArea(event.detail.elt);
    if (!area) return;
    area.dataset.unsaved = "1";
    var box = statusBox();
    if (box) {
      var message = document.createElement("span");
      message.className = "autosave-problem";
      message.textContent = box.dataset.offlineText;
      box.replaceChildren(message);
    }
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(function () {
      window.htmx.trigger(area, "autosave-retry");
    }, RETRY_MS);
  }
  document.addEventListener("htmx:sendError", autosaveFailed);
  document.addEventListener("htmx:responseError", autosaveFailed);
  document.addEventListener("htmx:timeout", autosaveFailed);

  // Leaving with unsaved text asks first (not when the form itself is being sent).
  window.addEventListener("beforeunload", function (event) {
    var area = document.querySelector("[data-autosave][data-unsaved]");
    var form = area && area.closest("form");
    if (area && !(form && form.dataset.submitting)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // One submit per form (the server also treats a repeat as a no-op).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
    });
  });
})();
