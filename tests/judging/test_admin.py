"""The organizers' admin of judging, through the organizers' permissions."""

import pytest
from django.contrib import admin as django_admin
from django.urls import reverse

from judging.models import Assignment, ChallengeJudging, Conflict, ConflictSource, Entry
from tests.factories import JudgeFactory, PackageVersionFactory, PhaseFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
JUDGING_MODELS = [m for m in django_admin.site._registry if m._meta.app_label == "judging"]


@pytest.mark.parametrize("model", JUDGING_MODELS, ids=lambda m: m._meta.model_name)
def test_organizers_open_every_judging_list(organizer_client, blind_entry, model):
    url = reverse(f"admin:judging_{model._meta.model_name}_changelist")
    assert organizer_client.get(url).status_code == 200


def test_staff_without_the_organizers_permissions_sees_no_judging(client, bare_staff):
    client.force_login(bare_staff)
    assert client.get(reverse("admin:judging_review_changelist")).status_code == 403


def test_a_manual_assignment_is_refused_with_the_conflict_reason(organizer_client, blind_entry):
    judge = JudgeFactory()
    Conflict.objects.create(
        judge=judge, team=blind_entry["team"], source=ConflictSource.DECLARED, reason="Co-author"
    )
    response = organizer_client.post(
        reverse("admin:judging_assignment_add"),
        {"entry": blind_entry["entry"].pk, "judge": judge.pk},
    )
    assert response.status_code == 200
    assert "Co-author" in response.content.decode()
    assert not Assignment.objects.filter(judge=judge).exists()

    other = JudgeFactory()
    organizer_client.post(
        reverse("admin:judging_assignment_add"),
        {"entry": blind_entry["entry"].pk, "judge": other.pk},
    )
    assert Assignment.objects.get(judge=other).created_by == organizer_client.organizer


def test_the_override_action_keeps_who_and_why(organizer_client, blind_entry):
    conflict = Conflict.objects.create(
        judge=JudgeFactory(), team=blind_entry["team"], source=ConflictSource.ORGANISATION
    )
    organizer_client.post(
        reverse("admin:judging_conflict_changelist"),
        {
            "action": "override_selected",
            "_selected_action": [conflict.pk],
            "apply": "1",
            "reason": "Different campus",
        },
    )
    conflict.refresh_from_db()
    assert conflict.overridden_by == organizer_client.organizer
    assert conflict.override_reason == "Different campus"


def test_the_sync_action_creates_entries_from_ready_packages(organizer_client, db):
    registration = RegistrationFactory(challenge__evaluation_mode="review")
    phase = PhaseFactory(challenge=registration.challenge)
    PackageVersionFactory(
        package__registration=registration,
        package__phase=phase,
        scenario="s",
        industry="i",
        target_countries=["TH"],
        deployment_stage="pilot",
        expected_impact="e",
        team_roles="r",
    )
    settings = ChallengeJudging.objects.create(challenge=registration.challenge)
    organizer_client.post(
        reverse("admin:judging_challengejudging_changelist"),
        {"action": "sync_entries", "_selected_action": [settings.pk]},
    )
    assert Entry.objects.filter(registration=registration).count() == 1


def test_a_rubric_whose_weights_do_not_sum_to_one_is_refused_in_the_admin(
    organizer_client, blind_entry
):
    challenge = blind_entry["entry"].challenge
    first, second = blind_entry["criteria"]
    prefix = "criteria"
    data = {
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "2",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, (criterion, weight) in enumerate([(first, "0.7"), (second, "0.4")]):
        data.update(
            {
                f"{prefix}-{i}-id": criterion.pk,
                f"{prefix}-{i}-challenge": challenge.pk,
                f"{prefix}-{i}-order": i,
                f"{prefix}-{i}-name": criterion.name,
                f"{prefix}-{i}-weight": weight,
                f"{prefix}-{i}-scale_min": 1,
                f"{prefix}-{i}-scale_max": 5,
            }
        )
    url = reverse("admin:judging_challengerubric_change", args=[challenge.pk])
    response = organizer_client.post(url, data)
    assert response.status_code == 200
    assert "must sum to 1" in response.content.decode()
    first.refresh_from_db()
    assert str(first.weight) == "0.6000"
