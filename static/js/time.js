// Detects the viewer's time zone (kept in a cookie the server reads, and
// kept in step when the browser's zone changes), shows this page's times in
// it without loading the page again, and keeps countdowns ticking.
(function () {
  "use strict";
  var body = document.body;
  var cookie = "league_tz";
  var detected = "";
  try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { detected = ""; }
  var current = "";
  document.cookie.split("; ").forEach(function (c) {
    if (c.indexOf(cookie + "=") === 0) { current = decodeURIComponent(c.slice(cookie.length + 1)); }
  });
  if (detected && current !== detected) {
    document.cookie = cookie + "=" + encodeURIComponent(detected) + "; path=/; max-age=31536000; SameSite=Lax";
  }
  // The server rendered this page in another zone (first visit, or the
  // browser moved): rewrite its times here; the next page comes right.
  if (detected && body.dataset.viewerTz !== detected && !body.dataset.tzChosen) {
    var lang = body.dataset.lang || "en";
    document.querySelectorAll("time[datetime]").forEach(function (el) {
      var at = new Date(el.getAttribute("datetime"));
      if (isNaN(at)) { return; }
      try {
        var text = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: detected }).format(at);
        var offset = new Intl.DateTimeFormat("en", { timeZone: detected, timeZoneName: "longOffset" })
          .formatToParts(at).filter(function (p) { return p.type === "timeZoneName"; })[0].value.replace("GMT", "UTC");
        if (offset === "UTC") { offset = "UTC+00:00"; }
        el.textContent = text + " ";
        var zone = document.createElement("span"); zone.className = "zone";
        zone.textContent = "(" + detected + ", " + offset + ")";
        el.appendChild(zone);
      } catch (e) { /* an unknown zone: keep the server's text */ }
    });
    var note = document.getElementById("zone-note");
    if (note) { note.textContent = note.textContent.split(body.dataset.viewerTz).join(detected); }
    body.dataset.viewerTz = detected;
  }
  // Countdown words per language: units (day, hour, minute, second), the
  // separator between parts, and the phrases around them.
  var WORDS = {
    en: { u: ["d", "h", "m", "s"], sep: " ", soon: "in {t}", past: "closed {t} ago" },
    zh: { u: ["天", "小时", "分", "秒"], sep: "", soon: "剩余 {t}", past: "已于{t}前截止" },
    vi: { u: [" ngày", " giờ", " phút", " giây"], sep: " ", soon: "còn {t}", past: "đã đóng {t} trước" },
    th: { u: [" วัน", " ชม.", " นาที", " วินาที"], sep: " ", soon: "อีก {t}", past: "ปิดเมื่อ {t}ที่แล้ว" },
    id: { u: [" hari", " jam", " menit", " detik"], sep: " ", soon: "{t} lagi", past: "ditutup {t} yang lalu" },
    ms: { u: [" hari", " jam", " min", " saat"], sep: " ", soon: "{t} lagi", past: "ditutup {t} yang lalu" }
  };
  var lang = WORDS[(body.dataset.lang || "en").slice(0, 2)] || WORDS.en;
  function words(ms) {
    var past = ms < 0; ms = Math.abs(ms);
    var d = Math.floor(ms / 864e5), h = Math.floor(ms % 864e5 / 36e5), m = Math.floor(ms % 36e5 / 6e4), s = Math.floor(ms % 6e4 / 1e3);
    var parts = (d ? [d + lang.u[0]] : []).concat([h + lang.u[1], m + lang.u[2]]).concat(d ? [] : [s + lang.u[3]]);
    return (past ? lang.past : lang.soon).replace("{t}", parts.join(lang.sep));
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
