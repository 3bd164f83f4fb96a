// The team page follows its team: when a member joins or leaves, or a
// member's profile changes a rule's outcome, the members, the badge and the
// checklists refresh without a reload. It polls the checklist (cheap, JSON)
// while the page is visible and swaps in fresh parts of the page on change.
(function () {
  "use strict";
  var head = document.getElementById("team-head");
  if (!head || !window.fetch || !window.DOMParser) { return; }
  var every = parseInt(head.dataset.refreshMs, 10) || 10000;
  var parts = ["team-head", "members", "team-challenges"];
  var last = null;

  function busy() {
    // Never pull a form from under someone typing in it.
    var active = document.activeElement;
    return parts.some(function (id) {
      var el = document.getElementById(id);
      return el && active && active !== document.body && el.contains(active);
    });
  }

  function swap() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html || busy()) { return false; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        parts.forEach(function (id) {
          var now = document.getElementById(id), next = fresh.getElementById(id);
          if (now && next) { now.replaceWith(document.importNode(next, true)); }
        });
        head = document.getElementById("team-head") || head;
        return true;
      });
  }

  function poll() {
    if (document.hidden) { return; }
    fetch(head.dataset.checklistUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (body) {
        if (body === null) { return; }
        if (last !== null && body !== last) {
          return swap().then(function (done) { if (done) { last = body; } });
        }
        last = body;
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }

  poll();
  setInterval(poll, every);
  document.addEventListener("visibilitychange", poll);
})();
