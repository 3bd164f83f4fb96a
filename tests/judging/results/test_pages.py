"""Public results pages, downloads byte for byte, the organizers' preview and
publish (page and admin), and query counts that do not grow with the teams."""

import csv
import hashlib
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from judging.results import services
from judging.results.models import StandingsSnapshot, TalentAward, TrackAwards
from tests.factories import ParticipantFactory
from tests.judging.results.conftest import build_finals, bulk_teams, closed_phase

pytestmark = pytest.mark.django_db


def test_results_page_shows_the_latest_version_with_medals_method_and_awards(
    client, finals, organizer
):
    challenge, _phase, registrations = finals
    services.standings_publish(challenge=challenge, by=organizer)
    person = registrations[0].team.captain
    TalentAward.objects.create(
        registration=registrations[0], person=person, title="Young talent", citation="Clear code."
    )
    services.standings_publish(challenge=challenge, by=organizer)

    body = client.get(reverse("results:index")).content.decode()
    assert "Crop yield forecast" in body and "Version 2" in body and "Version 1" not in body
    assert "ทีมแม่น้ำโขง" in body and "Gold" in body and "Bronze" in body
    assert "Best cross-border team" in body
    assert "by rank, 1 − (rank − 1) / (n − 1)" in body
    assert "Ties: an equal blended score" in body
    assert "Young talent" in body and person.profile.display_name in body and "Clear code." in body
    # Django escapes the formula-like name; nothing runs in a page.
    assert "=HYPERLINK(&quot;http://x&quot;)" in body


def test_a_track_may_switch_off_its_cross_border_award(client, finals, organizer):
    challenge, _phase, _registrations = finals
    services.standings_publish(challenge=challenge, by=organizer)
    TrackAwards.objects.create(track=challenge.track, best_cross_border=False)
    assert "Best cross-border team" not in client.get(reverse("results:index")).content.decode()


def test_results_pages_are_in_chinese_too(client, finals, organizer):
    challenge, _phase, _registrations = finals
    services.standings_publish(challenge=challenge, by=organizer)
    body = client.get(reverse("results:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "最终排名" in body


def test_challenge_page_lists_every_version_and_each_downloads_byte_for_byte(
    client, finals, organizer
):
    challenge, _phase, _registrations = finals
    services.standings_publish(challenge=challenge, by=organizer)
    services.standings_publish(challenge=challenge, by=organizer)
    page = client.get(reverse("results:challenge", args=[challenge.slug])).content.decode()
    assert "same inputs as the previous version" in page
    for snapshot in StandingsSnapshot.objects.all():
        for fmt in ("csv", "xlsx", "json"):
            url = reverse("results:download", args=[challenge.slug, snapshot.version, fmt])
            assert url in page
            first = client.get(url).content
            second = client.get(url).content
            assert first == second
            assert hashlib.sha256(first).hexdigest() == getattr(snapshot, f"{fmt}_sha256")


def test_the_exports_neutralise_formulas_and_keep_thai(client, finals, organizer):
    challenge, _phase, _registrations = finals
    services.standings_publish(challenge=challenge, by=organizer)
    url = reverse("results:download", args=[challenge.slug, 1, "csv"])
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment")
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Rank", "Medal", "Team"]
    assert [r[2] for r in rows[1:]] == ["ทีมแม่น้ำโขง", '\'=HYPERLINK("http://x")', "Lotus Lab"]
    xlsx = client.get(url.replace(".csv", ".xlsx")).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert [sheet.cell(row=r, column=3).value for r in (2, 3)] == [
        "ทีมแม่น้ำโขง",
        '\'=HYPERLINK("http://x")',
    ]
    data = client.get(url.replace(".csv", ".json"))
    assert data.content.decode().count("HYPERLINK") == 1


def test_unknown_format_or_version_is_not_found(client, finals, organizer):
    challenge, _phase, _registrations = finals
    services.standings_publish(challenge=challenge, by=organizer)
    assert (
        client.get(reverse("results:download", args=[challenge.slug, 1, "exe"])).status_code == 404
    )
    assert (
        client.get(reverse("results:download", args=[challenge.slug, 2, "csv"])).status_code == 404
    )


def test_an_unpublished_challenge_says_so(client, finals):
    challenge, _phase, _registrations = finals
    body = client.get(reverse("results:challenge", args=[challenge.slug])).content.decode()
    assert "not published yet" in body
    assert "ทีมแม่น้ำโขง" not in body  # the preview is for organizers only


def test_preview_and_publish_are_for_organizers_only(client, finals, organizer):
    challenge, _phase, _registrations = finals
    preview = reverse("results:preview", args=[challenge.slug])
    publish = reverse("results:publish", args=[challenge.slug])
    anonymous = client.get(preview)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(ParticipantFactory())
    assert client.get(preview).status_code == 403
    assert client.post(publish).status_code == 403
    assert not StandingsSnapshot.objects.exists()

    client.force_login(organizer)
    body = client.get(preview).content.decode()
    assert "Preview of the standings" in body and "ทีมแม่น้ำโขง" in body
    response = client.post(publish, follow=True)
    assert "Version 1 of the standings is published." in response.content.decode()
    again = client.post(publish, follow=True).content.decode()
    assert "Its inputs are the same as the previous version" in again
    assert "same as the latest published version" in client.get(preview).content.decode()


def test_publish_before_the_reveal_shows_why(client, organizer):
    challenge, _phase, _registrations = build_finals([("Alpha", 0.5, [])], revealed=False)
    client.force_login(organizer)
    preview = client.get(reverse("results:preview", args=[challenge.slug])).content.decode()
    assert "not revealed yet" in preview
    response = client.post(reverse("results:publish", args=[challenge.slug]), follow=True)
    assert "Reveal private scores now" in response.content.decode()
    assert not StandingsSnapshot.objects.exists()


def test_admin_standings_page_previews_and_publishes(client, finals, organizer):
    challenge, _phase, _registrations = finals
    client.force_login(organizer)
    change = reverse("admin:judging_challengestandings_change", args=[challenge.pk])
    page = client.get(change).content.decode()
    assert "Publish these standings" in page and "ทีมแม่น้ำโขง" in page
    response = client.post(
        reverse("admin:judging_challengestandings_publish", args=[challenge.pk]), follow=True
    )
    assert "Version 1 of the standings is published." in response.content.decode()
    assert StandingsSnapshot.objects.get().published_by == organizer


def test_admin_standings_page_refuses_staff_without_the_permission(client, finals, bare_staff):
    challenge, _phase, _registrations = finals
    client.force_login(bare_staff)
    change = reverse("admin:judging_challengestandings_change", args=[challenge.pk])
    assert client.get(change).status_code in (302, 403)
    publish = reverse("admin:judging_challengestandings_publish", args=[challenge.pk])
    assert client.post(publish).status_code in (302, 403)
    assert not StandingsSnapshot.objects.exists()


def _published_with(teams: int, organizer):
    challenge, phase, _registrations = build_finals([])
    bulk_teams(challenge, phase, teams)
    services.standings_publish(challenge=challenge, by=organizer)
    return challenge


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "route",
    ["results:index", "results:challenge", "results:api-list", "results:api-detail", "preview"],
)
def test_query_counts_do_not_grow_from_10_to_1000_teams(client, organizer, route):
    counts = []
    for teams in (10, 1000):
        StandingsSnapshot.objects.all().delete()
        challenge = _published_with(teams, organizer)
        if route == "preview":
            client.force_login(organizer)
            url = reverse("results:preview", args=[challenge.slug])
        elif route in ("results:challenge", "results:api-detail"):
            url = reverse(route, args=[challenge.slug])
        else:
            url = reverse(route)
        counts.append(_queries(client, url))
        client.logout()
    assert counts[0] == counts[1] == PINNED[route]


PINNED = {
    "results:index": 2,
    "results:challenge": 2,
    "results:api-list": 1,
    "results:api-detail": 2,
    "preview": 15,  # the session, the user and permissions included
}


def test_the_finals_phase_is_the_last_to_close(organizer):
    challenge, phase, _registrations = build_finals([("Alpha", 0.5, [])])
    later = closed_phase(challenge)
    assert later.closes_at >= phase.closes_at


def test_admin_edits_the_method_and_lists_versions(client, finals, organizer):
    challenge, _phase, _registrations = finals
    client.force_login(organizer)
    assert client.get(reverse("admin:judging_challengestandings_changelist")).status_code == 200
    change = reverse("admin:judging_challengestandings_change", args=[challenge.pk])
    response = client.post(
        change,
        {
            "standings_method-TOTAL_FORMS": "1",
            "standings_method-INITIAL_FORMS": "0",
            "standings_method-MIN_NUM_FORMS": "0",
            "standings_method-MAX_NUM_FORMS": "1",
            "standings_method-0-normalisation": "minmax",
            "standings_method-0-gold": "2",
            "standings_method-0-silver": "0",
            "standings_method-0-bronze": "0",
            "standings_method-0-challenge": str(challenge.pk),
        },
    )
    assert response.status_code == 302
    snapshot = services.standings_publish(challenge=challenge, by=organizer)
    assert snapshot.method["normalisation"] == "minmax"
    assert [row["medal"] for row in snapshot.rows] == ["gold", "gold", ""]
    listed = client.get(reverse("admin:judging_standingssnapshot_changelist"))
    assert listed.status_code == 200
    detail = client.get(reverse("admin:judging_standingssnapshot_change", args=[snapshot.pk]))
    assert detail.status_code == 200 and snapshot.csv_sha256 in detail.content.decode()
