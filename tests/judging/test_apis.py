"""The judges' API with a personal token: the queue, an entry, the review
(draft, submit, change within and after the edit window) and declaring a
conflict; 404 for anyone not assigned, 403 for non-judges on the queue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from judging import services
from judging.models import Conflict, ConflictSource, Review, ReviewChange
from tests.factories import JudgeFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def url(name, entry=None):
    if entry is None:
        return reverse(f"judging_api:{name}")
    return reverse(f"judging_api:{name}", kwargs={"entry_id": entry.pk})


@pytest.fixture
def api(blind_entry):
    return token_client(blind_entry["judge"].user)


def scores_of(criteria, *values):
    return {str(c.pk): v for c, v in zip(criteria, values, strict=True)}


def test_the_queue_lists_the_judges_entries_with_their_review_status(api, blind_entry):
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    queue = api.get(url("assignments"))
    assert queue.status_code == 200, queue.content
    (row,) = queue.json()["results"]
    assert row == {
        "entry_id": entry.pk,
        "code": "II-7F3K",
        "challenge": {"id": entry.challenge_id, "title": "Battery line review"},
        "kind": "package",
        "due_at": None,
        "status": "todo",
    }
    api.put(url("review", entry), {"scores": scores_of(criteria, 3, 4)}, format="json")
    assert api.get(url("assignments")).json()["results"][0]["status"] == "draft"


def test_the_queue_is_for_judges_only(blind_entry):
    participant = token_client(ParticipantFactory())
    refused = participant.get(url("assignments"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert APIClient().get(url("assignments")).status_code == 401
    # A judge with nothing assigned has an empty queue.
    assert token_client(JudgeFactory().user).get(url("assignments")).json()["count"] == 0


def test_the_entry_gives_materials_rubric_and_an_empty_review(api, blind_entry):
    entry = blind_entry["entry"]
    body = api.get(url("entry", entry)).json()
    assert body["code"] == "II-7F3K" and body["blind"] is True and body["kind"] == "package"
    assert body["materials"]["proposal"]["url"] == reverse(
        "judging:entry-proposal", kwargs={"entry_id": entry.pk}
    )
    assert "team_roles" not in body["materials"]["form"]
    assert body["materials"]["checklist"]
    assert [c["id"] for c in body["rubric"]] == [c.pk for c in blind_entry["criteria"]]
    assert body["review"]["status"] == "todo" and body["review"]["scores"] == {}
    assert body["others"] is None


def test_draft_then_submit_then_the_others_scores_appear(api, blind_entry):
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    services.review_save(
        judge=blind_entry["other_judge"],
        entry_id=entry.pk,
        scores={c.pk: 2 for c in criteria},
        submit=True,
    )
    draft = api.put(
        url("review", entry),
        {"scores": scores_of(criteria, 3, 4), "comment_to_team": "Promising"},
        format="json",
    )
    assert draft.status_code == 200, draft.content
    assert draft.json()["status"] == "draft"
    assert api.get(url("entry", entry)).json()["others"] is None

    # PATCH changes what it sends and keeps the rest (the other criterion's score).
    submitted = api.patch(
        url("review", entry),
        {"scores": {str(criteria[0].pk): 5}, "submit": True, "comment_to_team": "x"},
        format="json",
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["scores"] == scores_of(criteria, 5, 4)
    assert submitted.json()["comment_to_team"] == "x"
    others = api.get(url("entry", entry)).json()["others"]
    assert others == [{"label": "1", "scores": scores_of(criteria, 2, 2), "total": 2.0}]


def test_a_put_submission_needs_every_criterion(api, blind_entry):
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    refused = api.put(
        url("review", entry),
        {"scores": {str(criteria[0].pk): 3}, "submit": True},
        format="json",
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "review_incomplete"
    assert not Review.objects.exists()


def test_bad_scores_are_refused_clearly(api, blind_entry):
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    off_scale = api.put(url("review", entry), {"scores": scores_of(criteria, 9, 1)}, format="json")
    assert off_scale.status_code == 422
    assert "is scored from" in off_scale.json()["message"]
    not_an_id = api.put(url("review", entry), {"scores": {"abc": 3}}, format="json")
    assert not_an_id.status_code == 422
    assert not_an_id.json()["code"] == "unknown_criterion"
    assert "criteria not in the entry's rubric" in not_an_id.json()["message"]
    not_a_number = api.put(
        url("review", entry), {"scores": scores_of(criteria, "high", 1)}, format="json"
    )
    assert not_a_number.status_code == 400
    assert not Review.objects.exists()


def test_a_change_after_the_edit_window_needs_a_reason_and_is_kept(api, blind_entry):
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    api.put(
        url("review", entry), {"scores": scores_of(criteria, 3, 3), "submit": True}, format="json"
    )
    Review.objects.update(submitted_at=timezone.now() - timedelta(hours=49))

    refused = api.patch(url("review", entry), {"scores": scores_of(criteria, 4, 3)}, format="json")
    assert refused.status_code == 422, refused.content
    assert "say why you change it" in refused.json()["message"]
    assert not ReviewChange.objects.exists()

    changed = api.patch(
        url("review", entry),
        {"scores": scores_of(criteria, 4, 3), "reason": "Re-read the pilot results"},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    (change,) = changed.json()["changes"]
    assert change["reason"] == "Re-read the pilot results"
    assert change["old_values"]["scores"] == scores_of(criteria, 3, 3)
    assert change["new_values"]["scores"] == scores_of(criteria, 4, 3)


def test_declaring_a_conflict_takes_the_entry_out_of_the_queue(api, blind_entry):
    entry = blind_entry["entry"]
    blank = api.post(url("conflict", entry), {"reason": ""}, format="json")
    assert blank.status_code == 400
    declared = api.post(url("conflict", entry), {"reason": "I mentored them"}, format="json")
    assert declared.status_code == 201, declared.content
    assert declared.json()["code"] == "II-7F3K"
    conflict = Conflict.objects.get(judge=blind_entry["judge"])
    assert (conflict.source, conflict.reason) == (ConflictSource.DECLARED, "I mentored them")
    assert api.get(url("assignments")).json()["count"] == 0
    assert api.get(url("entry", entry)).status_code == 404


def test_unassigned_conflicted_and_non_judges_get_not_found(blind_entry):
    entry = blind_entry["entry"]
    Conflict.objects.create(
        judge=blind_entry["other_judge"], team=blind_entry["team"], source=ConflictSource.DOMAIN
    )
    for user in (
        JudgeFactory().user,
        blind_entry["other_judge"].user,
        ParticipantFactory(),
        blind_entry["team"].captain,
    ):
        client = token_client(user)
        for response in (
            client.get(url("entry", entry)),
            client.get(url("review", entry)),
            client.put(url("review", entry), {"comment_to_team": "x"}, format="json"),
            client.post(url("conflict", entry), {"reason": "x"}, format="json"),
        ):
            assert response.status_code == 404, (user, response.content)
            assert "II-7F3K" not in response.content.decode()
    assert not Review.objects.exists()


def test_others_scores_stay_hidden_where_the_challenge_says_so(api, blind_entry):
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    settings = entry.challenge.judging
    settings.others_visible_after_submit = False
    settings.save()
    services.review_save(
        judge=blind_entry["other_judge"],
        entry_id=entry.pk,
        scores={c.pk: 2 for c in criteria},
        submit=True,
    )
    api.put(
        url("review", entry), {"scores": scores_of(criteria, 4, 4), "submit": True}, format="json"
    )
    body = api.get(url("entry", entry)).json()
    assert body["review"]["status"] == "submitted"
    assert body["others"] is None
