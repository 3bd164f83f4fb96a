"""A burst of uploads on the embedded defaults (`make run`: SQLite and the
file-system broker), against a real development server and a real worker
with beat, each a process of its own."""

import sqlite3
import threading
import time

import pytest
import requests

from tests.embedded_site import ROOT, EmbeddedSite
from tests.factories import predictions_csv

pytestmark = pytest.mark.worker

TEAMS = 3
UPLOADS_PER_TEAM = 8


@pytest.fixture
def site(tmp_path):
    site = EmbeddedSite(tmp_path)
    site.migrate(cache_dir=ROOT / "var" / "test")
    yield site
    site.stop()


def statuses(site: EmbeddedSite) -> dict:
    with sqlite3.connect(site.var_dir / "league.sqlite3", timeout=20) as db:
        return dict(db.execute("SELECT status, count(*) FROM submissions_submission GROUP BY 1"))


def test_24_concurrent_uploads_on_the_defaults_all_answer_and_are_all_scored(site):
    seeded = site.seed(TEAMS)
    site.start(concurrency=2)
    url = f"{site.url}/api/phases/{seeded['phase']}/submissions/"
    barrier = threading.Barrier(TEAMS * UPLOADS_PER_TEAM)
    answers: list[tuple[int, str, str]] = []

    def upload(token: str) -> None:
        barrier.wait(timeout=30)
        try:
            response = requests.post(
                url,
                headers={"Authorization": f"Token {token}"},
                files={"file": ("predictions.csv", predictions_csv(), "text/csv")},
                timeout=60,
            )
            answers.append(
                (response.status_code, response.headers.get("Content-Type", ""), response.text)
            )
        except requests.RequestException as exc:
            answers.append((0, "", repr(exc)))

    threads = [
        threading.Thread(target=upload, args=(token,))
        for token in seeded["tokens"]
        for _ in range(UPLOADS_PER_TEAM)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    uploaded_in = time.monotonic() - started
    bad = [a for a in answers if a[0] != 201]
    assert len(answers) == TEAMS * UPLOADS_PER_TEAM
    assert not bad, f"{len(bad)} uploads refused: {bad[:3]}\n{site.logs()}"

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and statuses(site) != {"scored": 24}:
        time.sleep(0.5)
    assert statuses(site) == {"scored": 24}, site.logs()
    scored_in = time.monotonic() - started
    print(f"24 uploads answered in {uploaded_in:.1f} s, all scored in {scored_in:.1f} s")


def test_an_upload_that_waits_too_long_for_the_database_answers_503_in_the_api_format(
    site,
):
    seeded = site.seed(1)
    site.env["SQLITE_TIMEOUT"] = "1"
    site.start(worker=False)
    # Another writer holds SQLite's write lock for longer than the site waits.
    blocker = sqlite3.connect(site.var_dir / "league.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        response = requests.post(
            f"{site.url}/api/phases/{seeded['phase']}/submissions/",
            headers={"Authorization": f"Token {seeded['tokens'][0]}"},
            files={"file": ("predictions.csv", predictions_csv(), "text/csv")},
            timeout=30,
        )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert response.status_code == 503, response.text[:500]
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Retry-After"] == "2"
    body = response.json()
    assert body["code"] == "service_busy"
    assert body["message"].startswith("The server is busy. Nothing was saved")
    assert statuses(site) == {}, "nothing half-stored"
