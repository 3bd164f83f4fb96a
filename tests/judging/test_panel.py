"""The judges' panel at /judging/: what a judge sees and does, and what
nobody else sees (S5: blind review; 404 for the unassigned and conflicted)."""

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from judging import services
from judging.models import Conflict, ConflictSource, ReviewStatus
from tests.factories import JudgeFactory, ParticipantFactory


def _url(name, entry):
    return reverse(f"judging:{name}", kwargs={"entry_id": entry.pk})


def _post_review(client, entry, criteria, scores, action="submit", **fields):
    data = {f"criterion_{c.pk}": s for c, s in zip(criteria, scores, strict=True)}
    data.update(fields)
    data[action] = "1"
    return client.post(_url("entry", entry), data)


def test_the_queue_shows_the_judges_entries_with_progress(judge_client, blind_entry):
    page = judge_client.get(reverse("judging:index"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "II-7F3K" in body
    assert "Done: 0 · Remaining: 1" in body
    assert "Declare a conflict" in body


def test_the_entry_page_shows_the_rubric_with_anchors_and_the_checklist(judge_client, blind_entry):
    body = judge_client.get(_url("entry", blind_entry["entry"])).content.decode()
    assert "C1 outstanding" in body and "C2 poor" in body
    assert 'type="radio"' in body
    assert "Save draft" in body and "Submit" in body
    assert "Proposal PDF" in body  # the automated checklist
    assert _url("entry-proposal", blind_entry["entry"]) in body


def test_submitting_shows_the_other_judges_scores_only_then(judge_client, blind_entry):
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    services.review_save(
        judge=blind_entry["other_judge"],
        entry_id=entry.pk,
        scores={c.pk: 5 for c in criteria},
        submit=True,
    )
    before = judge_client.get(_url("entry", entry)).content.decode()
    assert "other-scores" not in before
    assert "appear here once you have submitted yours" in before

    response = _post_review(judge_client, entry, criteria, [3, 4], comment_to_team="Good")
    assert response.status_code == 302
    after = judge_client.get(_url("entry", entry)).content.decode()
    assert 'id="other-scores"' in after
    assert "5.00" in after  # the other judge's weighted total
    assert "3.40" in after  # 0.6×3 + 0.4×4, the judge's own
    assert "Save changes" in after


def test_a_draft_stays_a_draft(judge_client, blind_entry):
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    _post_review(judge_client, entry, criteria[:1], [2], action="draft")
    review = entry.assignments.get(judge=blind_entry["judge"]).review
    assert review.status == ReviewStatus.DRAFT
    body = judge_client.get(reverse("judging:index")).content.decode()
    assert "Draft" in body


def test_an_incomplete_submission_says_what_is_missing(judge_client, blind_entry):
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    response = _post_review(judge_client, entry, criteria[:1], [2])
    assert response.status_code == 400
    assert "missing: C2" in response.content.decode()


def test_the_history_lists_each_change(judge_client, blind_entry):
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    _post_review(judge_client, entry, criteria, [3, 4])
    _post_review(judge_client, entry, criteria, [5, 4], reason="Second reading")
    body = judge_client.get(_url("entry-history", entry)).content.decode()
    assert "Second reading" in body
    assert "C1: 3 → 5" in body


def test_declaring_a_conflict_from_the_queue_removes_the_entry(judge_client, blind_entry):
    entry = blind_entry["entry"]
    response = judge_client.post(_url("entry-conflict", entry), {"reason": "My former student"})
    assert response.status_code == 302
    assert Conflict.objects.filter(
        judge=blind_entry["judge"], source=ConflictSource.DECLARED, reason="My former student"
    ).exists()
    queue = judge_client.get(reverse("judging:index")).content.decode()
    assert "II-7F3K has left your queue" in queue
    assert 'id="judging-queue"' not in queue
    assert judge_client.get(_url("entry", entry)).status_code == 404


def test_the_proposal_is_inline_under_the_entry_code(judge_client, blind_entry):
    response = judge_client.get(_url("entry-proposal", blind_entry["entry"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="II-7F3K-proposal.pdf"'
    assert response["X-Frame-Options"] == "SAMEORIGIN"


ENTRY_ROUTES = ["entry", "entry-proposal", "entry-history", "entry-conflict"]


@pytest.mark.parametrize("name", ENTRY_ROUTES)
def test_an_unassigned_judge_gets_not_found(client, blind_entry, unassigned_judge, name):
    client.force_login(unassigned_judge.user)
    assert client.get(_url(name, blind_entry["entry"])).status_code == 404
    assert client.post(_url(name, blind_entry["entry"])).status_code in (404, 405)


@pytest.mark.parametrize("name", ENTRY_ROUTES)
def test_a_conflicted_judge_gets_not_found_even_when_assigned(client, blind_entry, name):
    Conflict.objects.create(
        judge=blind_entry["judge"], team=blind_entry["team"], source=ConflictSource.DOMAIN
    )
    client.force_login(blind_entry["judge"].user)
    assert client.get(_url(name, blind_entry["entry"])).status_code == 404
    assert "II-7F3K" not in client.get(reverse("judging:index")).content.decode()


def test_an_overridden_conflict_no_longer_hides_the_entry(client, blind_entry):
    conflict = Conflict.objects.create(
        judge=blind_entry["judge"], team=blind_entry["team"], source=ConflictSource.DOMAIN
    )
    services.conflict_override(conflict=conflict, by=None, reason="Different faculty")
    client.force_login(blind_entry["judge"].user)
    assert client.get(_url("entry", blind_entry["entry"])).status_code == 200


def test_staff_in_the_judges_group_without_a_judge_row_sees_no_panel(client, judge, blind_entry):
    client.force_login(judge)
    assert client.get(reverse("judging:index")).status_code == 302
    assert client.get(_url("entry", blind_entry["entry"])).status_code == 404


def test_a_judge_row_outside_the_judges_group_grants_nothing(client, blind_entry):
    outsider = JudgeFactory(in_group=False)
    client.force_login(outsider.user)
    assert client.get(reverse("judging:index")).status_code == 302


def test_anonymous_visitors_are_sent_to_sign_in(client, blind_entry):
    response = client.get(_url("entry", blind_entry["entry"]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    login = client.get(reverse("judging:login"))
    assert login.status_code == 302 and "/accounts/login/" in login["Location"]


def test_a_participant_gets_not_found(client, blind_entry):
    client.force_login(ParticipantFactory())
    assert client.get(_url("entry", blind_entry["entry"])).status_code == 404


def test_a_blind_entry_never_shows_who_the_team_is(judge_client, blind_entry):
    """S5: every judge-facing page, download and API answer of a blind
    challenge, before and after submitting, with another judge's review and a
    change on record."""
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    services.review_save(
        judge=blind_entry["other_judge"],
        entry_id=entry.pk,
        scores={c.pk: 4 for c in criteria},
        submit=True,
    )
    seen = []

    def read(response):
        assert response.status_code in (200, 302), response
        body = b"".join(response.streaming_content) if response.streaming else response.content
        headers = "\n".join(f"{k}: {v}" for k, v in response.items())
        seen.append(body.decode("latin-1") + headers)

    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=blind_entry['judge'].user).key}"
    )
    api_entry = reverse("judging_api:entry", kwargs={"entry_id": entry.pk})
    api_review = reverse("judging_api:review", kwargs={"entry_id": entry.pk})

    def read_api(response):
        read(response)
        # The API's answers, read as a client would (the text, not only the bytes).
        seen.append(json.dumps(response.json(), ensure_ascii=False))

    for _ in range(2):
        read_api(api.get(reverse("judging_api:assignments")))
        read_api(api.get(api_entry))
        read_api(api.get(api_review))
        read(judge_client.get(reverse("judging:index")))
        read(judge_client.get(_url("entry", entry)))
        read(judge_client.get(_url("entry-proposal", entry)))
        read(judge_client.get(_url("entry-history", entry)))
        read(judge_client.get(_url("entry-conflict", entry)))
        read(_post_review(judge_client, entry, criteria, [3, 5], comment_to_team="Solid"))
    read(_post_review(judge_client, entry, criteria, [4, 5], reason="Re-read"))
    read(judge_client.get(_url("entry-history", entry)))
    read_api(
        api.patch(api_review, {"scores": {str(criteria[0].pk): 5}, "reason": "API"}, format="json")
    )
    # After submitting, the entry shows the other judge's scores: still nobody's name.
    after = api.get(api_entry)
    read_api(after)
    assert after.json()["others"] and after.json()["review"]["changes"]
    assert str(entry) == "II-7F3K"
    assert str(entry.assignments.first()).startswith("II-7F3K · ")
    for text in seen:
        for secret in blind_entry["identifying"]:
            assert secret not in text, secret


def test_a_challenge_that_is_not_blind_shows_the_teams_roles(judge_client, blind_entry):
    settings = blind_entry["entry"].challenge.judging
    settings.blind = False
    settings.save()
    body = judge_client.get(_url("entry", blind_entry["entry"])).content.decode()
    assert "Somchai Kittikorn leads" in body
