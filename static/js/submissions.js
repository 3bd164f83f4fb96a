// The submit page: upload with a progress bar, then live status by polling
// a small JSON endpoint. No libraries; everything comes from this site.
(function () {
  "use strict";
  var form = document.getElementById("submit-form");
  if (!form) { return; }
  var bar = document.getElementById("upload-progress");
  var note = document.getElementById("upload-message");
  var errors = document.getElementById("form-errors");
  var table = document.querySelector("#submissions tbody");
  var zone = document.body.dataset.viewerTz || undefined;
  var lang = form.dataset.lang || undefined;
  var timer = null;

  function when(iso) {
    if (!iso) { return ""; }
    try {
      return new Date(iso).toLocaleString(lang, { timeZone: zone, timeZoneName: "short" });
    } catch (e) { return iso; }
  }
  function showErrors(list) {
    errors.textContent = "";
    list.forEach(function (text) {
      var li = document.createElement("li"); li.textContent = text; errors.appendChild(li);
    });
  }
  function cell(row, field, text) {
    var el = row.querySelector('[data-field="' + field + '"]');
    if (el) { el.textContent = text; }
  }
  function score(value) { return value === null || value === undefined ? "" : value.toFixed(5); }
  function addRow(s) {
    var empty = table.querySelector("tr.empty");
    if (empty) { empty.remove(); }
    var row = document.createElement("tr");
    row.dataset.id = s.id;
    var cells = [
      ["id", String(s.id)], ["file", ""], ["created", when(s.created_at)],
      ["status_label", ""], ["public_score", ""], ["attempts", ""], ["error_message", ""], ["final", ""]
    ];
    if (table.parentNode.dataset.private === "1") { cells.splice(5, 0, ["private_score", ""]); }
    // Each cell is labelled with its column's heading, for phones' stacked rows.
    var headings = table.parentNode.querySelectorAll("thead th");
    cells.forEach(function (c, i) {
      var td = document.createElement("td"); td.dataset.field = c[0]; td.textContent = c[1];
      td.dataset.label = headings[i] ? headings[i].textContent : "";
      row.appendChild(td);
    });
    var link = document.createElement("a"); link.href = s.download_url; link.textContent = s.original_name;
    row.querySelector('[data-field="file"]').appendChild(link);
    table.insertBefore(row, table.firstChild);
    return row;
  }
  function render(data) {
    var busy = false;
    Object.keys(data.quota || {}).forEach(function (key) {
      var el = document.querySelector('[data-quota="' + key + '"]');
      if (el) { el.textContent = data.quota[key]; }
    });
    data.submissions.forEach(function (s) {
      var row = table.querySelector('tr[data-id="' + s.id + '"]') || addRow(s);
      row.dataset.status = s.status;
      cell(row, "status_label", s.status_label);
      row.querySelector('[data-field="status_label"]').className = "status-" + s.status;
      cell(row, "public_score", score(s.public_score));
      cell(row, "private_score", score(s.private_score));
      cell(row, "attempts", String(s.attempts));
      cell(row, "error_message", s.error_message || "");
      if (s.status === "queued" || s.status === "running") { busy = true; }
    });
    return busy;
  }
  function poll() {
    clearTimeout(timer);
    fetch(form.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { if (render(data)) { timer = setTimeout(poll, 3000); } })
      .catch(function () { timer = setTimeout(poll, 10000); });
  }

  form.addEventListener("submit", function (event) {
    if (!window.FormData || !window.XMLHttpRequest) { return; }
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    var button = form.querySelector("button[type=submit]");
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("X-CSRFToken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
    });
    xhr.addEventListener("load", function () {
      button.disabled = false; bar.hidden = true;
      var data = {};
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
      if (xhr.status === 201) {
        showErrors([]); note.textContent = form.dataset.msgReceived;
        form.reset(); poll();
      } else {
        var list = ((data.details || {}).violations || []).map(function (v) { return v.message; });
        showErrors(list.length ? list : [data.message || form.dataset.msgFailed]);
        note.textContent = "";
      }
    });
    xhr.addEventListener("error", function () {
      button.disabled = false; bar.hidden = true; showErrors([form.dataset.msgFailed]);
    });
    button.disabled = true; bar.hidden = false; bar.value = 0;
    note.textContent = form.dataset.msgUploading;
    showErrors([]);
    xhr.send(new FormData(form));
  });

  if (table && table.querySelector('tr[data-status="queued"], tr[data-status="running"]')) { poll(); }
})();
