// Detects the viewer's time zone (kept in a cookie the server reads) and
// keeps countdowns to deadlines ticking.
(function () {
  "use strict";
  var body = document.body;
  var cookie = "league_tz";
  var detected = "";
  try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { detected = ""; }
  var hasCookie = document.cookie.split("; ").some(function (c) { return c.indexOf(cookie + "=") === 0; });
  if (detected && !hasCookie) {
    document.cookie = cookie + "=" + detected + "; path=/; max-age=31536000; SameSite=Lax";
    var stored = document.cookie.indexOf(cookie + "=") !== -1;
    if (stored && body.dataset.viewerTz !== detected && !body.dataset.tzChosen) { window.location.reload(); return; }
  }
  var zh = (body.dataset.lang || "").indexOf("zh") === 0;
  function words(ms) {
    var past = ms < 0; ms = Math.abs(ms);
    var d = Math.floor(ms / 864e5), h = Math.floor(ms % 864e5 / 36e5), m = Math.floor(ms % 36e5 / 6e4), s = Math.floor(ms % 6e4 / 1e3);
    var text = zh ? (d ? d + "天" : "") + h + "小时" + m + "分" + (d ? "" : s + "秒")
                  : (d ? d + "d " : "") + h + "h " + m + "m" + (d ? "" : " " + s + "s");
    if (zh) { return past ? "已于" + text + "前截止" : "剩余 " + text; }
    return past ? "closed " + text + " ago" : "in " + text;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var out = el.nextElementSibling;
      if (!out || !out.classList.contains("countdown")) {
        out = document.createElement("span"); out.className = "countdown";
        el.parentNode.insertBefore(out, el.nextSibling);
      }
      out.textContent = words(Date.parse(el.getAttribute("datetime")) - now);
    });
  }
  tick(); setInterval(tick, 1000);
})();
