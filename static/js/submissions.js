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
  var finalNote = document.getElementById("final-message");
  var shown = {};  // a row's HTML as last rendered, by id, without its CSRF token
  var tags = {};   // the server's tag of each row placed, by id: unchanged rows come without HTML
  var timer = null;

  function showErrors(list) {
    errors.textContent = "";
    list.forEach(function (text) {
      var li = document.createElement("li"); li.textContent = text; errors.appendChild(li);
    });
  }
  function stable(html) { return html.replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, ""); }
  function fragment(html) {
    var holder = document.createElement("template"); holder.innerHTML = html.trim();
    return holder.content.firstElementChild;
  }
  // The server renders every row from the page's own template: a row added
  // or updated here reads exactly as after a reload.
  function placeRow(s) {
    var row = table.querySelector('tr[data-id="' + s.id + '"]');
    if (s.row_html === undefined) { return false; }  // as the page has it
    tags[s.id] = s.row_tag;
    var html = stable(s.row_html);
    if (row && shown[s.id] === html) { return false; }
    shown[s.id] = html;
    if (row) { row.replaceWith(fragment(s.row_html)); return false; }
    table.appendChild(fragment(s.row_html));
    return true;
  }
  // The notices naming a submission (this script's after an upload, the
  // server's message after a plain form post) say where it now stands.
  function updateNotices(s) {
    if (s.status === "queued") { return; }
    var selector = '[data-notice-for="' + s.id + '"], .messages li.submission-' + s.id;
    document.querySelectorAll(selector).forEach(function (el) {
      el.textContent = s.notice;
      el.classList.toggle("error", s.status === "failed");
    });
  }
  function render(data) {
    var busy = false, added = false;
    Object.keys(data.quota || {}).forEach(function (key) {
      var el = document.querySelector('[data-quota="' + key + '"]');
      if (el) { el.textContent = data.quota[key]; }
    });
    data.submissions.forEach(function (s) {
      added = placeRow(s) || added;
      updateNotices(s);
      if (s.status === "queued" || s.status === "running") { busy = true; }
    });
    if (added) {
      var empty = table.querySelector("tr.empty");
      if (empty) { empty.remove(); }
      data.submissions.forEach(function (s) {
        table.appendChild(table.querySelector('tr[data-id="' + s.id + '"]'));
      });
    }
    var note = document.getElementById("finals-note");
    if (note && data.finals_note_html) { note.replaceWith(fragment(data.finals_note_html)); }
    return busy;
  }
  function poll() {
    clearTimeout(timer);
    var known = Object.keys(tags).map(function (id) { return tags[id]; }).join(",");
    var url = form.dataset.statusUrl + (known ? "?known=" + known : "");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
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
        note.dataset.noticeFor = data.id;
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
    delete note.dataset.noticeFor; note.classList.remove("error");
    note.textContent = form.dataset.msgUploading;
    showErrors([]);
    xhr.send(new FormData(form));
  });

  // Select or unselect a final without leaving the page; the answer says so
  // and brings the rows as they now read. Without a connection, the form
  // posts as it would without this script.
  function sayFinal(text, failed) {
    finalNote.textContent = text;
    finalNote.className = failed ? "error" : "success";
  }
  if (table && window.fetch) {
    table.addEventListener("submit", function (event) {
      var chosen = event.target;
      if (!chosen.classList.contains("final-form")) { return; }
      event.preventDefault();
      chosen.querySelector("button").disabled = true;
      fetch(chosen.action, {
        method: "POST", body: new FormData(chosen), credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" }
      })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (answer) {
          sayFinal(answer.data.message, !answer.ok);
          if (answer.ok) { render(answer.data); } else { chosen.querySelector("button").disabled = false; }
        })
        .catch(function () { chosen.submit(); });
    });
  }

  if (table && table.querySelector('tr[data-status="queued"], tr[data-status="running"]')) { poll(); }
})();
