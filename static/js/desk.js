// The desk: a team panel holds still while a manager is choosing a new assignee in it.
// Panels reload on live events and by polling (outerHTML swaps); a swap in the middle of
// a choice would put the select back to what it was. So while a panel holds a select
// whose value differs from its data-initial (what the server rendered), the panel's own reloads
// are skipped (the submit itself, and reloads of other panels, go ahead).
(function () {
  "use strict";
  function changed(panel) {
    var selects = panel.querySelectorAll("select[data-initial]");
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].value !== selects[i].getAttribute("data-initial")) return true;
    }
    return false;
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-desk-hold") && changed(elt)) {
      event.preventDefault();
    }
  });
})();
