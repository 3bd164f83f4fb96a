// The exports page: follow background jobs until they finish, then reload.
(function () {
  "use strict";
  function poll(row) {
    fetch(row.dataset.jobPoll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        row.querySelector("[data-job-progress]").textContent =
          job.status_label + " · " + job.rows_done + " / " + job.rows_total;
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(function () { poll(row); }, 2000);
        }
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-job-poll]").forEach(poll);
  });
})();
