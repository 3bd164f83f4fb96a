"""Organizers in the admin: verify, reject with a reason, bulk, filters, CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.forms import BooleanField
from django.urls import reverse

from league.models import CountryRegion, Region
from teams import services, tasks
from teams.models import Membership, Registration, RegistrationStatus
from tests.factories import ParticipantFactory, RegistrationFactory, TeamFactory

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
    organizer_client.post(
        url, {"status": RegistrationStatus.REJECTED, "rejection_reason": "Not cross-border"}
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED
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


def test_csv_export_of_the_selected_registrations_neutralises_formulas(organizer_client):
    registration = RegistrationFactory(team=TeamFactory(name='=HYPERLINK("x")'))
    RegistrationFactory()  # not selected
    response = organizer_client.post(
        reverse(CHANGELIST), {"action": "export_selected", "_selected_action": [registration.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Registration", "Team", "Challenge"]
    assert len(rows) == 2
    assert rows[1][1] == '\'=HYPERLINK("x")'


# ---------------------------------------------------------------- through the services


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_verifying_a_team_that_breaks_a_rule_shows_the_reasons_alone(organizer_client, industrial):
    registration = RegistrationFactory(challenge=industrial, status=RegistrationStatus.PENDING)
    url = reverse("admin:teams_registration_change", args=[registration.pk])
    response = organizer_client.post(
        url, {"status": RegistrationStatus.VERIFIED, "rejection_reason": ""}, follow=True
    )
    page = response.content.decode()
    assert "Add a member from an ASEAN member state" in page
    assert "was changed successfully" not in page
    assert not any("successfully" in m for m in messages_of(response))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
    assert not LogEntry.objects.exists()


def test_a_status_only_the_platform_sets_cannot_be_chosen_by_hand(organizer_client, talent):
    registration = RegistrationFactory(challenge=talent, status=RegistrationStatus.PENDING)
    url = reverse("admin:teams_registration_change", args=[registration.pk])
    response = organizer_client.post(
        url, {"status": RegistrationStatus.NEEDS_REVIEW, "rejection_reason": ""}, follow=True
    )
    assert "choose “Verified” or “Rejected”" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_changing_a_rejection_reason_goes_through_the_service(organizer_client):
    registration = RegistrationFactory(
        status=RegistrationStatus.REJECTED, rejection_reason="Not eligible"
    )
    url = reverse("admin:teams_registration_change", args=[registration.pk])
    organizer_client.post(
        url, {"status": RegistrationStatus.REJECTED, "rejection_reason": "Two members too young"}
    )
    registration.refresh_from_db()
    assert registration.rejection_reason == "Two members too young"
    assert registration.decided_by == organizer_client.organizer


def test_the_team_admin_shows_members_and_registrations_but_edits_nothing(organizer_client):
    registration = RegistrationFactory(team=TeamFactory(members=["TH"]))
    team = registration.team
    url = reverse("admin:teams_team_change", args=[team.pk])
    page = organizer_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert team.captain.email in text
    assert 'name="_save"' not in text
    stranger = ParticipantFactory()
    response = organizer_client.post(
        url,
        {
            "name": "Renamed",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": stranger.pk,
            "registrations-TOTAL_FORMS": "1",
            "registrations-INITIAL_FORMS": "1",
            "registrations-0-id": registration.pk,
            "registrations-0-status": RegistrationStatus.REJECTED,
        },
    )
    assert response.status_code == 403
    team.refresh_from_db()
    registration.refresh_from_db()
    assert team.name != "Renamed"
    assert not Membership.objects.filter(user=stranger).exists()
    assert registration.status == RegistrationStatus.VERIFIED


def _flagged(industrial) -> Registration:
    team = TeamFactory(members=["TH"])
    registration = RegistrationFactory(team=team, challenge=industrial)
    industrial.track.cross_border_required = False
    industrial.track.max_country_share = Decimal("0.4")
    industrial.track.save()
    services.registrations_recheck(track_id=industrial.track_id)
    registration.refresh_from_db()
    return registration


def test_organizers_filter_the_registrations_that_need_review_and_see_why(
    organizer_client, industrial
):
    flagged = _flagged(industrial)
    RegistrationFactory(status=RegistrationStatus.PENDING)
    response = organizer_client.get(
        reverse(CHANGELIST), {"status__exact": RegistrationStatus.NEEDS_REVIEW}
    )
    assert set(response.context["cl"].queryset) == {flagged}
    page = organizer_client.get(reverse("admin:teams_registration_change", args=[flagged.pk]))
    assert "percent of a team may come from one country" in page.content.decode()


def test_a_profile_saved_in_the_admin_re_checks_the_members_teams(organizer_client, industrial):
    team = TeamFactory(members=["TH"])
    registration = RegistrationFactory(team=team, challenge=industrial)
    thai = team.memberships.exclude(user=team.captain).get().user
    profile = thai.profile
    organizer_client.post(
        reverse("admin:teams_profile_change", args=[profile.pk]),
        {
            "display_name": profile.display_name,
            "nationality": "CN",
            "residence": "CN",
            "participant_type": profile.participant_type,
            "organisation": profile.organisation_id,
        },
    )
    profile.refresh_from_db()
    registration.refresh_from_db()
    assert profile.nationality.code == "CN"
    assert registration.status == RegistrationStatus.NEEDS_REVIEW


# ---------------------------------------------------------------- league's admin hands over


def _form_data(response) -> dict:
    """What the change form would post back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
            if field.show_hidden_initial:  # as the browser posts it for a callable default
                data[f"initial-{name}"] = value
    return data


def _queued_tasks() -> list[tuple[str, dict]]:
    """The tasks waiting in the broker's default queue (taken off it)."""
    from league.celery import app

    found = []
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue("default")
        while True:
            try:
                message = queue.get(block=False)
            except queue.Empty:
                break
            found.append((message.headers["task"], message.payload[1]))
            message.ack()
        queue.close()
    return found


@pytest.mark.redis
def test_saving_a_tracks_rules_in_the_admin_has_its_teams_re_checked(
    organizer_client, industrial, purge_queues, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(team=TeamFactory(members=["TH"]), challenge=industrial)
    url = reverse("admin:league_track_change", args=[industrial.track_id])
    data = _form_data(organizer_client.get(url))
    data["max_country_share"] = "0.40"
    del data["cross_border_required"]
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    queued = _queued_tasks()
    assert queued == [("teams.recheck_registrations", {"track_id": industrial.track_id})]
    # What the worker then does with the message:
    tasks.recheck_registrations.apply(kwargs=queued[0][1])
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NEEDS_REVIEW


@pytest.mark.redis
def test_saving_a_track_without_changing_its_rules_sends_nothing(
    organizer_client, industrial, purge_queues, django_capture_on_commit_callbacks
):
    url = reverse("admin:league_track_change", args=[industrial.track_id])
    data = _form_data(organizer_client.get(url))
    data["description"] = "Now with a description"
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url, data)
    assert _queued_tasks() == []


@pytest.mark.redis
def test_moving_a_country_to_another_region_in_the_admin_has_teams_re_checked(
    organizer_client, industrial, purge_queues, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(team=TeamFactory(members=["TL"]), challenge=industrial)
    url = reverse("admin:league_countryregion_change", args=["TL"])
    data = _form_data(organizer_client.get(url))
    data["region"] = Region.OTHER
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(url, data)
    assert response.status_code == 302
    assert CountryRegion.objects.get(country="TL").region == Region.OTHER
    queued = _queued_tasks()
    assert queued == [("teams.recheck_registrations", {"track_id": None})]
    tasks.recheck_registrations.apply(kwargs=queued[0][1])
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NEEDS_REVIEW
    assert registration.review_reasons[0]["code"] == "cross_border_needs_asean"
