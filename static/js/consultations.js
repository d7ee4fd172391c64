// "Kysy kollegalta": the waiting time of caller-waiting questions ticks every second.
// <time datetime="…" data-age> elements, also those swapped in by htmx polling.
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function format(seconds) {
    if (seconds < 0) seconds = 0;
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    if (h > 0) return h + " h " + pad(m) + " min";
    return m + " min " + pad(s) + " s";
  }
  function tick() {
    var now = Date.now();
    var nodes = document.querySelectorAll("time[data-age]");
    for (var i = 0; i < nodes.length; i++) {
      var since = Date.parse(nodes[i].getAttribute("datetime"));
      if (!isNaN(since)) nodes[i].textContent = format(Math.floor((now - since) / 1000));
    }
  }
  tick();
  window.setInterval(tick, 1000);
})();
