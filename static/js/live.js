// Live updates: one EventSource per tab on /live/stream/ (Server-Sent Events).
//
// Every event is dispatched on document.body as "live:<kind>" (detail = its payload), so
// partials refresh with hx-trigger="live:<kind> from:body, every 15s". While the stream
// is open, polling requests of elements marked data-live-poll are skipped (the events
// do their work); when it cannot be opened, they poll as before. A caller-waiting
// question shows an in-page notice (and, if the user opted in on the profile page, a
// browser notification and a short beep made here with WebAudio).
(function () {
  "use strict";
  var root = document.getElementById("live-notices");
  if (!root || !window.EventSource) return;
  var url = root.getAttribute("data-live-stream");
  var state = { connected: false, lastId: null, alerts: false };
  var seen = [];
  var seenSet = new Set();
  var source = null;
  var retryDelay = 1000;
  window.neuvokasLive = state;

  function remember(id) {
    seen.push(id);
    seenSet.add(id);
    if (seen.length > 500) seenSet.delete(seen.shift());
  }

  function setConnected(on) {
    state.connected = on;
    document.documentElement.setAttribute("data-live", on ? "on" : "off");
  }

  function beep() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    try {
      var ctx = new Ctx();
      [0, 0.25].forEach(function (start) {
        var osc = ctx.createOscillator();
        var gain = ctx.createGain();
        osc.type = "sine";
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, ctx.currentTime + start);
        gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + 0.18);
        osc.connect(gain).connect(ctx.destination);
        osc.start(ctx.currentTime + start);
        osc.stop(ctx.currentTime + start + 0.2);
      });
      window.setTimeout(function () { ctx.close(); }, 1000);
    } catch (e) { /* no sound: the notice still shows */ }
  }

  function dismiss(notice) {
    var next = notice.nextElementSibling || notice.previousElementSibling;
    var hadFocus = notice.contains(document.activeElement);
    notice.remove();
    if (hadFocus) {
      var target = next && next.querySelector("a");
      (target || document.getElementById("main") || document.body).focus();
    }
  }

  function showWaiting(p) {
    var notice = document.createElement("div");
    notice.className = "live-notice";
    notice.setAttribute("data-live-notice", String(p.thread));
    var text = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = root.getAttribute("data-label-waiting") + " (" + p.line_name + "): ";
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.title;
    text.appendChild(strong);
    text.appendChild(link);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "link-button";
    close.textContent = root.getAttribute("data-label-dismiss");
    close.setAttribute("aria-label", root.getAttribute("data-label-dismiss") + ": " + p.title);
    close.addEventListener("click", function () { dismiss(notice); });
    notice.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); dismiss(notice); }
    });
    notice.appendChild(text);
    notice.appendChild(close);
    var old = root.querySelector('[data-live-notice="' + String(p.thread) + '"]');
    if (old) old.remove();
    root.appendChild(notice);
    if (state.alerts) {
      beep();
      if (window.Notification && Notification.permission === "granted") {
        var n = new Notification(root.getAttribute("data-label-waiting"), {
          body: p.line_name + ": " + p.title, tag: "neuvokas-thread-" + p.thread
        });
        n.onclick = function () { window.focus(); window.location.href = p.url; };
      }
    }
  }

  function onMessage(event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    if (data.kind === "hello") {
      state.alerts = !!(data.payload && data.payload.alerts);
      return;
    }
    if (seenSet.has(data.id)) return;
    remember(data.id);
    if (state.lastId === null || data.id > state.lastId) state.lastId = data.id;
    if (data.kind === "question.waiting") showWaiting(data.payload);
    var detail = data.payload || {};
    document.body.dispatchEvent(new CustomEvent("live:" + data.kind, { detail: detail }));
    // A thread's page refreshes on "live:thread:<id>" (htmx filters need eval, off here).
    if (detail.thread) {
      document.body.dispatchEvent(new CustomEvent("live:thread:" + detail.thread, { detail: detail }));
    }
  }

  function connect() {
    var target = url;
    if (state.lastId !== null) target += "?last_event_id=" + encodeURIComponent(state.lastId);
    source = new EventSource(target);
    source.onopen = function () { retryDelay = 1000; setConnected(true); };
    source.onmessage = onMessage;
    source.onerror = function () {
      setConnected(false);
      // CONNECTING: the browser retries by itself (sending Last-Event-ID). CLOSED: it
      // gave up (signed out, a proxy's error page): try again later, polling meanwhile.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        window.setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 60000);
      }
    };
  }

  // While the stream is open, skip the timed polls of elements that also refresh on
  // live events (their request has no triggering event); polling resumes when it drops.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    var config = event.detail && event.detail.requestConfig;
    if (!state.connected || !elt || !elt.hasAttribute || !elt.hasAttribute("data-live-poll")) return;
    if (config && !config.triggeringEvent) event.preventDefault();
  });

  // Opting in on the profile page asks the browser's permission (it needs the click).
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.closest || !box.closest("[data-live-alerts-form]") || !box.checked) return;
    if (window.Notification && Notification.permission === "default") {
      Notification.requestPermission();
    }
    beep();
  });

  window.addEventListener("pagehide", function () { if (source) source.close(); });
  connect();
})();
