"""An organizer asks for a leaderboard too large to stream: the exports page
says it is written in the background, follows the job while a real worker
writes it, and offers the file, whose rows are checked."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group

from league.exports.models import ExportJob
from tests.factories import (
    PhaseFactory,
    RegistrationFactory,
    TeamBestFactory,
    TeamFactory,
    UserFactory,
    bulk_leaderboard,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ROWS = 6000  # past the lowered threshold, and three progress steps for the worker


def test_a_large_export_runs_in_the_background_and_downloads(
    page_in, live_server, start_worker, settings
):
    settings.EXPORT_STREAM_MAX_ROWS = 100
    phase = PhaseFactory(challenge__title="Rice yield")
    for name, score in (("ทีมแม่น้ำโขง", 5.0), ('=HYPERLINK("http://x")', 4.0)):
        team = TeamFactory(name=name)
        TeamBestFactory(
            phase=phase,
            registration=RegistrationFactory(team=team, challenge=phase.challenge),
            best_public_score=score,
        )
    bulk_leaderboard(phase, ROWS - 2, tag="e2e")
    organizer = UserFactory(is_staff=True)
    organizer.groups.add(Group.objects.get(name="Organizers"))

    page = page_in(user=organizer)
    # What the progress cell shows, kept across the page's own reload.
    page.add_init_script(
        """document.addEventListener("DOMContentLoaded", () => {
          const seen = JSON.parse(sessionStorage.getItem("progress") || "[]");
          const cell = document.querySelector("[data-job-progress]");
          if (!cell) { return; }
          new MutationObserver(() => {
            seen.push(cell.textContent);
            sessionStorage.setItem("progress", JSON.stringify(seen));
          }).observe(cell, { childList: true, characterData: true, subtree: true });
        });"""
    )
    polls = []
    page.on(
        "request",
        lambda request: (
            polls.append(request.url)
            if "/organize/exports/jobs/" in request.url and "/download/" not in request.url
            else None
        ),
    )
    page.goto("/organize/exports/")
    form = page.locator('form[data-export="phase-leaderboard"]')
    form.locator('select[name="phase"]').select_option(str(phase.pk))
    form.locator('select[name="format"]').select_option("csv-excel")
    form.get_by_role("button", name="Export").click()
    page.get_by_text(f"The export has {ROWS} rows: it is written in the background.").wait_for()
    progress = page.locator("[data-job-progress]").first
    assert progress.inner_text() == f"Queued · 0 / {ROWS}"

    # The worker starts only now: the page was following a queued job.
    start_worker(queues="default")
    page.get_by_role("link", name="Download").wait_for(timeout=60000)
    assert progress.inner_text() == f"Done · {ROWS} / {ROWS}"
    assert len(polls) >= 2  # followed while queued, then until done
    seen = page.evaluate("JSON.parse(sessionStorage.getItem('progress') || '[]')")
    assert seen, "the page never updated the job's progress"
    steps = [re.fullmatch(rf"(Queued|Running|Done) · (\d+) / {ROWS}", text) for text in seen]
    assert all(steps), seen
    assert [int(step[2]) for step in steps] == sorted(int(step[2]) for step in steps)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    job = ExportJob.objects.get()
    assert download.value.suggested_filename == f"leaderboard-phase-{phase.pk}-public.csv"
    with open(download.value.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Rank", "Team", "Countries"]
    assert len(table) == ROWS + 1 == job.rows_total + 1
    assert table[1][:2] == ["1", "ทีมแม่น้ำโขง"]
    assert table[2][:2] == ["2", '\'=HYPERLINK("http://x")']
    assert table[1][5] == "5.0"
