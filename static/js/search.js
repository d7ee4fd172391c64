// Search: the header's live results (an ARIA combobox with a listbox filled by htmx)
// and keyboard movement through results. Without this file the header form still
// submits to the full results page.
(function () {
  "use strict";

  var input = document.querySelector("[data-site-search] [data-search-input]");
  var live = document.querySelector("[data-site-search] [data-search-live]");
  var listbox = document.getElementById("site-search-listbox");

  function options() {
    return listbox ? Array.prototype.slice.call(listbox.querySelectorAll("[role=option]")) : [];
  }

  function activeIndex() {
    var id = input.getAttribute("aria-activedescendant");
    return options().findIndex(function (o) { return o.id === id; });
  }

  function setActive(index) {
    var opts = options();
    opts.forEach(function (o, i) {
      var on = i === index;
      o.setAttribute("aria-selected", on ? "true" : "false");
      o.classList.toggle("is-active", on);
      if (on) { o.scrollIntoView({ block: "nearest" }); }
    });
    if (index >= 0 && opts[index]) {
      input.setAttribute("aria-activedescendant", opts[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open() {
    if (!live) return;
    live.hidden = false;
    input.setAttribute("aria-expanded", options().length ? "true" : "false");
  }

  function close() {
    if (!live) return;
    live.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }

  if (input && live && listbox) {
    // New live results arrived: show them (or hide the panel when the box is empty).
    document.body.addEventListener("htmx:afterSettle", function (event) {
      if (event.detail.target !== listbox) return;
      setActive(-1);
      if (input.value.trim() && document.activeElement === input) { open(); } else { close(); }
    });

    input.addEventListener("keydown", function (event) {
      var opts = options();
      var i = activeIndex();
      if (event.key === "ArrowDown") {
        if (!opts.length) return;
        event.preventDefault();
        open();
        setActive(i < opts.length - 1 ? i + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (!opts.length) return;
        event.preventDefault();
        setActive(i > 0 ? i - 1 : opts.length - 1);
      } else if (event.key === "Enter") {
        if (i >= 0 && !live.hidden && opts[i]) {
          event.preventDefault();
          window.location.assign(opts[i].getAttribute("href"));
        }
      } else if (event.key === "Escape") {
        if (!live.hidden) { event.preventDefault(); close(); }
      }
    });

    input.addEventListener("input", function () {
      if (!input.value.trim()) { close(); }
    });

    input.addEventListener("focus", function () {
      if (input.value.trim() && options().length) { open(); }
    });

    // Leaving the search (a click elsewhere, Tab) closes the panel; a click on an
    // option still follows its link because the panel closes after it.
    input.form.addEventListener("focusout", function () {
      window.setTimeout(function () {
        if (!input.form.contains(document.activeElement)) { close(); }
      }, 150);
    });

    listbox.addEventListener("mousemove", function (event) {
      var opt = event.target.closest && event.target.closest("[role=option]");
      if (opt) { setActive(options().indexOf(opt)); }
    });
  }

  // The full results page: arrow keys move between the results, Enter opens one.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var t = event.target;
    var onPageInput = t.matches && t.matches("[data-results-input]");
    var onHit = t.matches && t.matches(".search-hit-list [data-search-hit]");
    if (!onPageInput && !onHit) return;
    var hits = Array.prototype.slice.call(
      document.querySelectorAll(".search-hit-list [data-search-hit]"));
    if (!hits.length) return;
    event.preventDefault();
    var i = hits.indexOf(t);
    if (event.key === "ArrowDown") {
      hits[Math.min(i + 1, hits.length - 1)].focus();
    } else if (i > 0) {
      hits[i - 1].focus();
    } else {
      var box = document.querySelector("[data-results-input]");
      if (box) box.focus();
    }
  });
})();
