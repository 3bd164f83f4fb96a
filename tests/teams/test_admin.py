"""Organizers in the admin: verify, reject with a reason, bulk, filters, CSV."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from teams.admin import csv_safe
from teams.models import Registration, RegistrationStatus
from tests.factories import RegistrationFactory, TeamFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:teams_registration_changelist"


def test_organizers_may_view_and_change_teams_models():
    perms = set(
        Group.objects.get(name="Organizers")
        .permissions.filter(content_type__app_label="teams")
        .values_list("codename", flat=True)
    )
    assert {"view_registration", "change_registration", "view_team", "change_team"} <= perms
    assert "delete_registration" not in perms


def test_bulk_verify_verifies_those_that_pass_and_says_why_not(
    organizer_client, talent, industrial
):
    good = RegistrationFactory(challenge=talent, status=RegistrationStatus.PENDING)
    bad = RegistrationFactory(challenge=industrial, status=RegistrationStatus.PENDING)
    response = organizer_client.post(
        reverse(CHANGELIST),
        {"action": "verify_selected", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == RegistrationStatus.VERIFIED
    assert good.decided_by == organizer_client.organizer
    assert bad.status == RegistrationStatus.PENDING
    text = response.content.decode()
    assert "was not verified" in text
    assert "Add a member from an ASEAN member state" in text


def test_bulk_reject_asks_for_a_reason_then_rejects(organizer_client):
    registrations = [RegistrationFactory(status=RegistrationStatus.PENDING) for _ in range(2)]
    ids = [r.pk for r in registrations]
    form = organizer_client.post(
        reverse(CHANGELIST), {"action": "reject_selected", "_selected_action": ids}
    )
    assert form.status_code == 200
    assert "reason" in form.content.decode()
    organizer_client.post(
        reverse(CHANGELIST),
        {
            "action": "reject_selected",
            "_selected_action": ids,
            "apply": "1",
            "reason": "Members not eligible",
        },
    )
    assert set(Registration.objects.values_list("status", "rejection_reason")) == {
        ("rejected", "Members not eligible")
    }


def test_one_by_one_on_the_change_page_shows_the_rules(organizer_client, industrial):
    registration = RegistrationFactory(challenge=industrial, status=RegistrationStatus.PENDING)
    url = reverse("admin:teams_registration_change", args=[registration.pk])
    page = organizer_client.get(url).content.decode()
    assert "Regions are counted by nationality." in page
    organizer_client.post(url, {"status": "rejected", "rejection_reason": "Not cross-border"})
    registration.refresh_from_db()
    assert registration.status == "rejected"
    assert registration.rejection_reason == "Not cross-border"


def test_region_mix_and_country_filters(organizer_client):
    china = RegistrationFactory(team=TeamFactory(members=["HK"]))
    asean = RegistrationFactory(
        team=TeamFactory(captain__profile__nationality="TH") if False else _team_of("TH", "SG")
    )
    mixed = RegistrationFactory(team=TeamFactory(members=["TL"]))
    other = RegistrationFactory(team=TeamFactory(members=["US"]))
    cases = {
        "china": {china},
        "asean": {asean},
        "cross_border": {mixed},
        "other": {other},
    }
    for value, expected in cases.items():
        response = organizer_client.get(reverse(CHANGELIST), {"region_mix": value})
        shown = set(response.context["cl"].queryset)
        assert shown == expected, value
    response = organizer_client.get(reverse(CHANGELIST), {"country": "TL"})
    assert set(response.context["cl"].queryset) == {mixed}


def _team_of(*nationalities):
    from tests.factories import ParticipantFactory

    captain = ParticipantFactory(nationality=nationalities[0])
    return TeamFactory(captain=captain, members=list(nationalities[1:]))


def test_csv_export_neutralises_formulas(organizer_client):
    registration = RegistrationFactory(team=TeamFactory(name='=HYPERLINK("x")'))
    response = organizer_client.post(
        reverse(CHANGELIST), {"action": "export_csv", "_selected_action": [registration.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["id", "team", "challenge"]
    assert rows[1][1] == '\'=HYPERLINK("x")'
    assert [csv_safe(v) for v in ["+1", "-1", "@a", "ok", None]] == ["'+1", "'-1", "'@a", "ok", ""]
