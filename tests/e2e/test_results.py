"""An organizer signs in, previews and publishes a challenge's final
standings, and downloads the XLSX and the CSV, whose rows are checked (a Thai
team name kept, a formula-like one neutralised). The public results page
reads at 390 px without sideways scrolling."""

import csv
import hashlib
import io

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from judging.results import services
from judging.results.models import StandingsSnapshot
from tests.factories import PASSWORD, UserFactory
from tests.judging.results.conftest import build_finals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED = [
    ["1", "ทีมแม่น้ำโขง"],
    ["2", '\'=HYPERLINK("http://x")'],
    ["3", "Lotus Lab"],
]


def test_an_organizer_publishes_and_downloads_the_standings(page_in, live_server):
    challenge, _phase, _registrations = build_finals(
        [
            ("ทีมแม่น้ำโขง", 0.91, ["TH"]),
            ('=HYPERLINK("http://x")', 0.85, []),
            ("Lotus Lab", 0.72, ["VN"]),
        ],
        slug="crop-yield",
        title="Crop yield forecast",
    )
    organizer = UserFactory(is_staff=True, email="organizer@example.org")
    organizer.groups.add(Group.objects.get(name="Organizers"))

    page = page_in(timezone_id="Asia/Bangkok")
    page.goto(f"/results/{challenge.slug}/preview/")
    page.fill("#id_login", organizer.email)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.get_by_text("Preview of the standings:").wait_for()
    assert "ทีมแม่น้ำโขง" in page.locator("table.standings").inner_text()

    page.get_by_role("button", name="Publish these standings").click()
    page.get_by_text("Version 1 of the standings is published.").wait_for()
    snapshot = StandingsSnapshot.objects.get()

    with page.expect_download() as xlsx_download:
        page.locator("#versions").get_by_role("link", name="XLSX").click()
    assert xlsx_download.value.suggested_filename == "crop-yield-standings-v1.xlsx"
    with open(xlsx_download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = [[str(c) for c in row[:3:2]] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows == EXPECTED
    assert [c.value for c in sheet[1]][:3] == ["Rank", "Medal", "Team"]

    with page.expect_download() as csv_download:
        page.locator("#versions").get_by_role("link", name="CSV").click()
    with open(csv_download.value.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert [[r[0], r[2]] for r in table[1:]] == EXPECTED
    assert table[1][1] == "Gold"
    assert hashlib.sha256(content).hexdigest() == snapshot.csv_sha256  # the stored bytes


def test_the_results_page_reads_on_a_phone(page_in, live_server):
    challenge, _phase, _registrations = build_finals(
        [("A team with a rather long name indeed", 0.9, ["TH"]), ("Short", 0.5, [])]
    )
    services.standings_publish(challenge=challenge, by=UserFactory())
    page = page_in()
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/results/", f"/results/{challenge.slug}/"):
        page.goto(path)
        page.locator("table.standings").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
