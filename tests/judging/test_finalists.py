"""Finalists of a challenge scored automatically: picked from the private
leaderboard by the finals rule once it is revealed, their write-up uploaded by
the team, and both read by their judges under the entry's code."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from judging import rules, services
from judging.models import Entry, FinalistWriteup
from league.errors import RuleViolation
from submissions.pdfs import minimal_pdf
from submissions.services.standings import teambest_refresh
from tests.factories import (
    AssignmentFactory,
    ChallengeFactory,
    ChallengeJudgingFactory,
    PhaseFactory,
    ProfileFactory,
    RegistrationFactory,
    SubmissionFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def _closed_phase(challenge, *, revealed=True):
    now = timezone.now()
    return PhaseFactory(
        challenge=challenge,
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=1),
        max_final_selections=2,
        private_revealed_at=now - timedelta(hours=1) if revealed else None,
    )


def _scored(registration, phase, public, private, *, final=False, minutes_ago=60):
    submission = SubmissionFactory(
        registration=registration,
        phase=phase,
        status="scored",
        public_score=public,
        private_score=private,
        is_final=final,
        created_at=timezone.now() - timedelta(days=2, minutes=minutes_ago),
    )
    teambest_refresh(registration_id=registration.pk, phase=phase)
    return submission


def _challenge(finalists=2, *, title="Crop yield forecast"):
    challenge = ChallengeFactory(evaluation_mode="prediction", metric="accuracy", title=title)
    ChallengeJudgingFactory(challenge=challenge, finalists=finalists, blind=True)
    return challenge


@pytest.fixture
def board():
    """Four teams on a revealed private leaderboard. Lucky's best private
    score (0.99) is on a submission it did not select as final; its final
    scores 0.70, so Steady (0.80) and Unselected (0.75, no finals: its best
    by public score count) are the two finalists."""
    challenge = _challenge()
    phase = _closed_phase(challenge)
    teams = {
        name: RegistrationFactory(challenge=challenge, team=TeamFactory(name=name))
        for name in ("Lucky", "Steady", "Unselected", "Last")
    }
    _scored(teams["Lucky"], phase, 0.90, 0.70, final=True)
    _scored(teams["Lucky"], phase, 0.50, 0.99)
    steady_final = _scored(teams["Steady"], phase, 0.80, 0.80, final=True)
    _scored(teams["Steady"], phase, 0.60, 0.62)
    unselected_best = _scored(teams["Unselected"], phase, 0.70, 0.75)
    _scored(teams["Unselected"], phase, 0.30, 0.10)
    _scored(teams["Last"], phase, 0.85, 0.60, final=True)
    return {
        "challenge": challenge,
        "phase": phase,
        "teams": teams,
        "steady_final": steady_final,
        "unselected_best": unselected_best,
    }


def test_finalists_are_the_top_of_the_private_leaderboard_by_the_finals_rule(board):
    created = services.entries_sync(challenge=board["challenge"])

    entries = {e.registration.team.name: e for e in Entry.objects.select_related("registration")}
    assert created == 2
    assert set(entries) == {"Steady", "Unselected"}
    assert entries["Steady"].submission == board["steady_final"]
    assert entries["Unselected"].submission == board["unselected_best"]
    assert entries["Steady"].phase == board["phase"]
    assert entries["Steady"].package is None


def test_syncing_again_creates_nothing_and_keeps_the_codes(board):
    services.entries_sync(challenge=board["challenge"])
    codes = set(Entry.objects.values_list("code", flat=True))

    assert services.entries_sync(challenge=board["challenge"]) == 0
    assert set(Entry.objects.values_list("code", flat=True)) == codes


def test_finalists_are_refused_before_the_reveal_and_before_the_close():
    hidden = _challenge()
    _closed_phase(hidden, revealed=False)
    still_open = _challenge()
    PhaseFactory(challenge=still_open)

    with pytest.raises(RuleViolation) as before_reveal:
        services.entries_sync(challenge=hidden)
    with pytest.raises(RuleViolation) as before_close:
        services.entries_sync(challenge=still_open)

    assert before_reveal.value.code == "finalists_before_reveal"
    assert "revealed" in before_reveal.value.message
    assert before_close.value.code == "finalists_before_close"
    assert not Entry.objects.exists()


def test_a_challenge_without_finalists_creates_no_entries(board):
    board["challenge"].judging.finalists = 0
    board["challenge"].judging.save()

    assert services.entries_sync(challenge=board["challenge"]) == 0


def test_equal_private_scores_rank_the_earlier_best_submission_first():
    now = timezone.now()
    standings = [
        (1, 0.8, now),
        (2, 0.8, now - timedelta(hours=1)),
        (3, 0.9, now),
        (4, None, now - timedelta(days=1)),
    ]

    assert rules.finalists_pick(standings, count=2, higher_is_better=True) == [3, 2]
    assert rules.finalists_pick(standings, count=2, higher_is_better=False) == [2, 1]


@pytest.fixture
def finalist(board):
    services.entries_sync(challenge=board["challenge"])
    entry = Entry.objects.get(registration=board["teams"]["Steady"])
    team = entry.registration.team
    return {**board, "entry": entry, "member": team.captain, "team": team}


def _pdf(name="approach.pdf", content=None):
    return SimpleUploadedFile(name, content or minimal_pdf(2), content_type="application/pdf")


def _writeup_url(entry):
    return reverse("finalists:writeup", kwargs={"entry_id": entry.pk})


def test_a_member_uploads_the_write_up_and_sees_it(client, finalist):
    client.force_login(finalist["member"])

    posted = client.post(_writeup_url(finalist["entry"]), {"file": _pdf()})
    page = client.get(_writeup_url(finalist["entry"]))

    assert posted.status_code == 302
    writeup = FinalistWriteup.objects.get(entry=finalist["entry"])
    assert writeup.pages == 2 and writeup.uploaded_by == finalist["member"]
    assert "Uploaded: 2 pages" in page.content.decode()


def test_a_new_upload_replaces_the_write_up(client, finalist, django_capture_on_commit_callbacks):
    client.force_login(finalist["member"])
    client.post(_writeup_url(finalist["entry"]), {"file": _pdf()})
    first = FinalistWriteup.objects.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_writeup_url(finalist["entry"]), {"file": _pdf(content=minimal_pdf(3))})

    writeup = FinalistWriteup.objects.get()
    assert writeup.pages == 3 and writeup.file.name != first
    assert not writeup.file.storage.exists(first)


def test_a_non_pdf_write_up_is_refused_and_nothing_is_kept(client, finalist):
    client.force_login(finalist["member"])

    response = client.post(
        _writeup_url(finalist["entry"]), {"file": _pdf("approach.pdf", b"<html>not a pdf</html>")}
    )

    assert response.status_code == 422
    assert "not a PDF" in response.content.decode()
    assert not FinalistWriteup.objects.exists()


def test_a_write_up_larger_than_the_challenge_allows_is_refused(client, finalist):
    challenge = finalist["challenge"]
    challenge.max_file_size_mb = 1
    challenge.save()
    client.force_login(finalist["member"])
    padded = minimal_pdf(1) + b"%" + b"x" * (1024 * 1024)

    response = client.post(_writeup_url(finalist["entry"]), {"file": _pdf(content=padded)})

    assert response.status_code == 422
    assert not FinalistWriteup.objects.exists()


def test_outsiders_and_non_finalists_get_not_found(client, finalist):
    outsider = ProfileFactory(nationality="VN").user
    client.force_login(outsider)
    assert client.get(_writeup_url(finalist["entry"])).status_code == 404
    assert client.post(_writeup_url(finalist["entry"]), {"file": _pdf()}).status_code == 404
    assert not FinalistWriteup.objects.exists()

    lucky = finalist["teams"]["Lucky"]
    client.force_login(lucky.team.captain)
    assert client.get(_writeup_url(finalist["entry"])).status_code == 404


def _panel(name, entry):
    return reverse(f"judging:{name}", kwargs={"entry_id": entry.pk})


def test_the_judge_reads_the_finalist_materials_under_the_code_only(client, finalist):
    entry = finalist["entry"]
    client.force_login(finalist["member"])
    client.post(_writeup_url(entry), {"file": _pdf("Steady-approach.pdf")})
    judge = AssignmentFactory(entry=entry).judge
    client.force_login(judge.user)

    page = client.get(_panel("entry", entry))
    download = client.get(_panel("entry-submission", entry))
    writeup = client.get(_panel("entry-writeup", entry))

    body = page.content.decode()
    assert page.status_code == 200
    assert "0.8" in body  # the final submission's automated scores
    assert _panel("entry-submission", entry) in body and _panel("entry-writeup", entry) in body
    assert "Steady" not in body
    assert finalist["member"].email not in body
    assert download["Content-Disposition"] == f'attachment; filename="{entry.code}-submission.csv"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == finalist["steady_final"].file.open().read()
    assert writeup["Content-Disposition"] == f'inline; filename="{entry.code}-writeup.pdf"'
    assert writeup["Content-Type"] == "application/pdf"


def test_an_unassigned_or_conflicted_judge_gets_not_found(client, finalist):
    entry = finalist["entry"]
    client.force_login(finalist["member"])
    client.post(_writeup_url(entry), {"file": _pdf()})
    assignment = AssignmentFactory(entry=entry)
    other = AssignmentFactory().judge
    client.force_login(other.user)
    for name in ("entry", "entry-submission", "entry-writeup"):
        assert client.get(_panel(name, entry)).status_code == 404, name

    services.conflict_declare(judge=assignment.judge, entry_id=entry.pk, reason="I mentored them")
    client.force_login(assignment.judge.user)
    for name in ("entry", "entry-submission", "entry-writeup"):
        assert client.get(_panel(name, entry)).status_code == 404, name


# -- the way to the write-up page ----------------------------------------------------


def test_a_finalist_member_finds_the_write_up_link_on_the_team_and_submit_pages(client, finalist):
    url = _writeup_url(finalist["entry"])
    client.force_login(finalist["member"])
    team_page = client.get(reverse("teams:team-detail", kwargs={"team_id": finalist["team"].pk}))
    submit_page = client.get(
        reverse("submissions:submit", kwargs={"phase_id": finalist["phase"].pk})
    )
    for page in (team_page, submit_page):
        assert page.status_code == 200
        text = page.content.decode()
        assert f'href="{url}"' in text
        assert "Upload your finalist write-up for “Crop yield forecast”" in text


def test_no_write_up_link_for_other_teams_or_organizers(organizer_client, finalist):
    client, organizer = organizer_client, organizer_client.organizer
    url = _writeup_url(finalist["entry"])
    last = finalist["teams"]["Last"].team  # on the board, not a finalist
    client.force_login(last.captain)
    for path in (
        reverse("teams:team-detail", kwargs={"team_id": last.pk}),
        reverse("submissions:submit", kwargs={"phase_id": finalist["phase"].pk}),
    ):
        page = client.get(path)
        assert page.status_code == 200
        assert "finalist write-up" not in page.content.decode()
    # Organizers may read the finalist's team page, but the upload is the members'.
    ProfileFactory(user=organizer)
    client.force_login(organizer)
    page = client.get(reverse("teams:team-detail", kwargs={"team_id": finalist["team"].pk}))
    assert page.status_code == 200
    assert url not in page.content.decode()
