"""The phase-leaderboard export: the leaderboard's ranking, every script
intact, formulas neutralised, a constant number of queries."""

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from league.exports import services
from league.models import RegionBasis
from submissions import selectors
from teams.models import Membership
from tests.factories import (
    ParticipantFactory,
    PhaseFactory,
    RegistrationFactory,
    TeamBestFactory,
    TeamFactory,
    UserFactory,
    bulk_leaderboard,
)

pytestmark = pytest.mark.django_db

NAMES = ["智能制造队", "ทีมปัญญาประดิษฐ์", "Đội Trí Tuệ Nhân Tạo", '=HYPERLINK("http://x")']


@pytest.fixture
def board():
    """Four teams: a tie on 0.9 (the earlier best first), then 0.8, then 0.5."""
    phase = PhaseFactory()
    now = timezone.now()
    scores = [(0.9, 3, 0.70), (0.9, 2, 0.95), (0.8, 1, None), (0.5, 0, 0.60)]
    members = [["TH"], [], ["US"], ["CN", "VN"]]
    for name, (score, hours_ago, private), extra in zip(NAMES, scores, members, strict=True):
        team = TeamFactory(name=name, members=extra)
        TeamBestFactory(
            phase=phase,
            registration=RegistrationFactory(team=team, challenge=phase.challenge),
            best_public_score=score,
            best_private_score=private,
            best_submitted_at=now - dt.timedelta(hours=hours_ago),
            scored_count=hours_ago + 1,
        )
    return phase


def _post(client, **data):
    return client.post(reverse("exports:api-exports"), data, content_type="application/json")


def _csv_rows(response, encoding="utf-8-sig"):
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode(encoding))))


def test_csv_for_excel_has_the_leaderboard_s_ranks_scripts_and_neutralised_formulas(
    organizer_client, board
):
    response = _post(
        organizer_client,
        dataset="phase-leaderboard",
        params={"phase": board.pk},
        format="csv-excel",
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="leaderboard-phase-{board.pk}-public.csv"'
    )
    body, rows = _csv_rows(response)
    assert body.startswith(b"\xef\xbb\xbf")
    assert rows[0] == [
        "Rank", "Team", "Countries", "Region mix", "Cross-border", "Public score", "Entries",
        "Last submission",
    ]  # fmt: skip
    # The page's order and ranks, to the letter.
    page = selectors.leaderboard(phase=board, user=UserFactory())
    assert [(r[0], r[1]) for r in rows[1:]] == [
        (str(row.rank), row.team if not row.team.startswith("=") else "'" + row.team)
        for row in page.rows
    ]
    assert [r[1] for r in rows[1:]] == [
        "智能制造队",
        "ทีมปัญญาประดิษฐ์",
        "Đội Trí Tuệ Nhân Tạo",
        '\'=HYPERLINK("http://x")',
    ]
    assert [r[0] for r in rows[1:]] == ["1", "1", "3", "4"]
    # Captains are Chinese nationals; the members' nationalities follow.
    assert rows[1][2:5] == ["CN TH", "China 1, ASEAN 1", "true"]
    assert rows[2][2:5] == ["CN", "China 1", "false"]
    assert rows[3][2:5] == ["CN US", "China 1, Other 1", "false"]
    assert rows[4][2:5] == ["CN VN", "China 2, ASEAN 1", "true"]
    assert rows[1][5:7] == ["0.9", "4"]


def test_an_error_metric_on_a_residence_track_ranks_and_counts_as_the_page_does(
    organizer_client,
):
    """Lower RMSE ranks first, as on the page; the countries and the region
    mix follow where members live, not their passports."""
    phase = PhaseFactory(
        challenge__metric="rmse", challenge__track__region_basis=RegionBasis.RESIDENCE
    )
    now = timezone.now()
    teams = [
        ("Mekong", 3.5, [("VN", "CN"), ("TH", "TH")]),
        ("Lotus", 1.25, [("CN", "SG")]),
        ("Solo", 2.0, []),
    ]
    for name, score, members in teams:
        team = TeamFactory(name=name, captain=ParticipantFactory(nationality="CN"))
        for nationality, residence in members:
            user = ParticipantFactory(nationality=nationality, residence=residence)
            Membership.objects.create(team=team, user=user)
        TeamBestFactory(
            phase=phase,
            registration=RegistrationFactory(team=team, challenge=phase.challenge),
            best_public_score=score,
            best_submitted_at=now,
        )
    response = _post(
        organizer_client, dataset="phase-leaderboard", params={"phase": phase.pk}, format="csv"
    )
    _, rows = _csv_rows(response, encoding="utf-8")
    page = selectors.leaderboard(phase=phase, user=UserFactory())
    assert [(r[0], r[1]) for r in rows[1:]] == [(str(row.rank), row.team) for row in page.rows]
    assert [r[:6] for r in rows[1:]] == [
        ["1", "Lotus", "CN SG", "China 1, ASEAN 1", "true", "1.25"],
        ["2", "Solo", "CN", "China 1", "false", "2.0"],
        ["3", "Mekong", "CN TH", "China 2, ASEAN 1", "true", "3.5"],
    ]


def test_plain_csv_has_no_byte_order_mark(organizer_client, board):
    response = _post(
        organizer_client, dataset="phase-leaderboard", params={"phase": board.pk}, format="csv"
    )
    body, rows = _csv_rows(response, encoding="utf-8")
    assert body.startswith(b"Rank,")
    assert rows[1][1] == "智能制造队"


def test_private_split_ranks_by_private_score_before_the_reveal_too(organizer_client, board):
    """Organizers may export private scores at any time; the header says
    they are not revealed yet. A team without a private score is left out."""
    assert board.private_revealed_at is None
    response = _post(
        organizer_client,
        dataset="phase-leaderboard",
        params={"phase": board.pk, "split": "private"},
        format="csv",
    )
    _, rows = _csv_rows(response, encoding="utf-8")
    assert rows[0][5:7] == ["Private score (not revealed yet)", "Public score"]
    assert [(r[0], r[1], r[5]) for r in rows[1:]] == [
        ("1", "ทีมปัญญาประดิษฐ์", "0.95"),
        ("2", "智能制造队", "0.7"),
        ("3", '\'=HYPERLINK("http://x")', "0.6"),
    ]


def test_xlsx_keeps_numbers_as_numbers_and_neutralises_text(organizer_client, board):
    response = _post(
        organizer_client, dataset="phase-leaderboard", params={"phase": board.pk}, format="xlsx"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][-1] == "Last submission (UTC)"
    assert values[1][:2] == (1, "智能制造队")
    assert values[1][5] == 0.9 and isinstance(values[1][7], dt.datetime)
    assert [v[1] for v in values[1:]] == [
        "智能制造队",
        "ทีมปัญญาประดิษฐ์",
        "Đội Trí Tuệ Nhân Tạo",
        '\'=HYPERLINK("http://x")',
    ]


def test_json_is_data_with_keys(organizer_client, board):
    response = _post(
        organizer_client, dataset="phase-leaderboard", params={"phase": board.pk}, format="json"
    )
    assert response["Content-Type"] == "application/json"
    document = json.loads(b"".join(response.streaming_content))
    assert document["meta"]["dataset"] == "phase-leaderboard"
    assert document["meta"]["rows"] == 4
    assert document["rows"][0]["team"] == "智能制造队"
    assert document["rows"][0]["cross_border"] is True
    assert document["rows"][3]["team"] == '=HYPERLINK("http://x")'


def test_an_unknown_phase_is_refused_with_the_parameter_named(organizer_client):
    response = _post(
        organizer_client, dataset="phase-leaderboard", params={"phase": 999999}, format="csv"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_export_params"
    assert "phase" in body["details"]
    assert "999999" in body["message"]
    bad_split = _post(
        organizer_client,
        dataset="phase-leaderboard",
        params={"phase": PhaseFactory().pk, "split": "secret"},
        format="csv",
    )
    assert bad_split.status_code == 400
    assert "split" in bad_split.json()["details"]


def _export_all(phase) -> list:
    export = services.export_check(
        user=_organizer(), dataset_name="phase-leaderboard", params={"phase": phase.pk},
        format="csv",
    )  # fmt: skip
    return export


def _organizer():
    from django.contrib.auth.models import Group

    user = UserFactory()
    user.groups.add(Group.objects.get(name="Organizers"))
    return user


@pytest.mark.postgres
def test_queries_do_not_grow_with_the_rows(django_assert_num_queries):
    """10 rows and 1,000 rows: the same number of queries (the file streams
    the ranked rows and fetches the teams' members once per batch)."""
    counts = {}
    for rows in (10, 1000):
        phase = PhaseFactory()
        bulk_leaderboard(phase, rows, tag=f"q{rows}")
        export = _export_all(phase)
        assert export.count == rows
        with CaptureQueriesContext(connection) as captured:
            lines = b"".join(services.stream_chunks(export)).count(b"\r\n")
        assert lines == rows + 1
        counts[rows] = len(captured)
    assert counts[10] == counts[1000]
    with django_assert_num_queries(counts[10]):
        b"".join(services.stream_chunks(export))
