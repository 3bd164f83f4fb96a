"""Demo data for judging: the demo judge (and a second judge) with Judge
rows, a rubric for the industrial-innovation track, blind judging of its
review challenges, entries from the demo packages and manual assignments.
The second judge has already submitted, so the demo judge sees the others'
scores appear once they submit their own."""

from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from judging import automation, selectors, services
from judging.models import (
    Assignment,
    AssignmentRunState,
    ChallengeJudging,
    Conflict,
    ConflictSource,
    Criterion,
    FinalistWriteup,
    Judge,
    Review,
    StandingsSnapshot,
)
from judging.results import services as results_services
from judging.services import CriterionSpec
from league.accounts import JUDGES
from league.demo import DEMO_PASSWORD
from league.errors import ApplicationError
from league.models import Challenge, EvaluationMode, Track, TrackKind, User
from submissions.pdfs import minimal_pdf

SECOND_JUDGE = "judge2@demo.league"
DEMO_DOMAIN = "demo.league"
MAX_DEMO_ENTRIES = 6

RUBRIC = [
    CriterionSpec(
        name="Industrial value",
        weight=Decimal("0.35"),
        description="How much the solution matters to the sponsor's operations.",
        levels={
            1: "No clear problem of the sponsor is addressed.",
            2: "A real problem, but the gain is small or unmeasured.",
            3: "A clear gain for one line or site, estimated plausibly.",
            4: "A measured gain that several sites could reuse.",
            5: "A large, measured gain that changes how the sponsor works.",
        },
    ),
    CriterionSpec(
        name="Technical soundness",
        weight=Decimal("0.30"),
        description="Is the AI approach right for the data and the task, and validated?",
        levels={
            1: "The method does not fit the task, or there is no validation.",
            2: "A plausible method, validated only on toy data.",
            3: "A suitable method validated on realistic data.",
            4: "Well validated, with honest error analysis.",
            5: "State of the art for the task, validated on the sponsor's data.",
        },
    ),
    CriterionSpec(
        name="Deployment readiness",
        weight=Decimal("0.20"),
        description="How close the solution is to running in production.",
        levels={
            1: "An idea only.",
            2: "A prototype on a laptop.",
            3: "A pilot on one line, with integration planned.",
            4: "Running in a pilot with operators using it.",
            5: "Deployed, with monitoring and a maintenance plan.",
        },
    ),
    CriterionSpec(
        name="Cross-border collaboration",
        weight=Decimal("0.15"),
        description="How well Chinese and ASEAN partners contribute and benefit.",
        levels={
            1: "No real collaboration across the border.",
            3: "Both sides contribute; benefits on one side mostly.",
            5: "Deep collaboration with clear benefits in several countries.",
        },
    ),
]


# How many of the top of a finished leaderboard the judges review.
FINALISTS = 3

FINALIST_RUBRIC = [
    CriterionSpec(
        name="Soundness of the approach",
        weight=Decimal("0.4"),
        description="Does the write-up explain a method that fits the data, and validate it?",
        levels={
            1: "No method is explained, or it does not fit the data.",
            3: "A suitable method, validated on the public split only.",
            5: "A well-argued method with honest validation and error analysis.",
        },
    ),
    CriterionSpec(
        name="Practical value",
        weight=Decimal("0.35"),
        description="Could the sponsor run the model, and would it help them?",
        levels={
            1: "It could not run outside the competition.",
            3: "It could run with some work; the gain is plausible.",
            5: "Ready to run at the sponsor, with a clear gain.",
        },
    ),
    CriterionSpec(
        name="Clarity of the write-up",
        weight=Decimal("0.25"),
        description="Can another team reproduce the result from the write-up?",
        levels={
            1: "Hard to follow; the result cannot be reproduced.",
            3: "Clear, with some steps missing.",
            5: "Clear and complete: the result can be reproduced.",
        },
    ),
]


def seed(ctx) -> None:
    users = ctx.shared.get("users", {})
    if "judge" not in users:
        return
    judges = [
        _judge(users["judge"], "Dr. Demo Judge", "SG"),
        _judge(_second_judge_user(ctx), "Prof. Second Judge", "MY"),
    ]
    tracks = Track.objects.filter(kind=TrackKind.INDUSTRIAL_INNOVATION)
    if ctx.shared.get("season"):
        tracks = tracks.filter(season=ctx.shared["season"])
    rubrics = 0
    for track in tracks:
        if not Criterion.objects.filter(track=track).exists():
            services.rubric_set(track=track, criteria=RUBRIC)
            rubrics += 1
    entries = assigned = 0
    organizer = users.get("organizer")
    for track in tracks:
        for challenge in track.challenges.filter(evaluation_mode=EvaluationMode.REVIEW):
            ChallengeJudging.objects.get_or_create(
                challenge=challenge,
                defaults={
                    "blind": True,
                    "judges_per_entry": 2,
                    "due_at": timezone.now() + timedelta(days=14),
                },
            )
            entries += services.entries_sync(challenge=challenge)
            solved = _solve(challenge, organizer)
            for entry in challenge.entries.order_by("pk")[:MAX_DEMO_ENTRIES]:
                for judge in judges if not solved else ():
                    if Assignment.objects.filter(entry=entry, judge=judge).exists():
                        continue
                    try:
                        services.assignment_add(entry=entry, judge=judge, by=organizer)
                        assigned += 1
                    except ApplicationError:
                        continue
                _second_judge_review(ctx, judges[1], entry)
    finalists, writeups = _finalists(ctx, judges, organizer)
    ctx.say(
        f"judging: {rubrics} rubrics, {entries} new entries, {assigned} new assignments, "
        f"{finalists} new finalist entries, {writeups} new write-ups"
    )
    _published_result(ctx, tracks, organizer)


def _finalists(ctx, judges, organizer) -> tuple[int, int]:
    """Finalists of the challenges scored automatically whose last phase has
    closed with its private scores revealed: picked by the finals rule,
    assigned to the demo judges, and one write-up uploaded by its team."""
    created = writeups = 0
    now = timezone.now()
    challenges = Challenge.objects.exclude(evaluation_mode=EvaluationMode.REVIEW)
    if ctx.shared.get("season"):
        challenges = challenges.filter(track__season=ctx.shared["season"])
    for challenge in challenges.order_by("pk"):
        last = challenge.phases.order_by("-closes_at").first()
        if last is None or last.closes_at > now or not last.private_scores_visible:
            continue
        ChallengeJudging.objects.get_or_create(
            challenge=challenge,
            defaults={
                "blind": True,
                "judges_per_entry": 2,
                "finalists": FINALISTS,
                "due_at": now + timedelta(days=10),
            },
        )
        if not Criterion.objects.filter(challenge=challenge).exists():
            services.rubric_set(challenge=challenge, criteria=FINALIST_RUBRIC)
        created += services.entries_sync(challenge=challenge, now=now)
        if not _solve(challenge, organizer):
            for entry in challenge.entries.order_by("pk"):
                for judge in judges:
                    if not Assignment.objects.filter(entry=entry, judge=judge).exists():
                        try:
                            services.assignment_add(entry=entry, judge=judge, by=organizer)
                        except ApplicationError:
                            continue
        first = challenge.entries.filter(submission__isnull=False).order_by("pk").first()
        if first is not None and not FinalistWriteup.objects.filter(entry=first).exists():
            pdf = minimal_pdf(2, title="Write-up")
            services.writeup_upload(
                user=first.registration.team.captain,
                entry_id=first.pk,
                upload=SimpleUploadedFile("approach.pdf", pdf, content_type="application/pdf"),
            )
            writeups += 1
        for entry in challenge.entries.order_by("pk"):
            _second_judge_review(ctx, judges[1], entry)
    return created, writeups


def _published_result(ctx, tracks, organizer) -> None:
    """One published version of final standings: the first review challenge
    whose entries have judged scores (review-only challenges need no reveal).
    Once any version exists, nothing more is published."""
    if StandingsSnapshot.objects.exists():
        return
    for track in tracks:
        for challenge in track.challenges.filter(evaluation_mode=EvaluationMode.REVIEW):
            try:
                results_services.standings_publish(challenge=challenge, by=organizer)
            except ApplicationError:
                continue
            ctx.say(f"judging: final standings of {challenge.slug} published (version 1)")
            return


def _solve(challenge, organizer) -> bool:
    """Detect conflicts and let the solver assign the judges, as the admin's
    "Assign judges" does (here in this process). Every demo account shares
    the demo.league domain: those conflicts are overridden, with the reason
    on record. False if the solver found no assignment (the demo then
    assigns by hand)."""
    automation.conflicts_detect(challenge=challenge)
    for conflict in Conflict.objects.filter(
        source=ConflictSource.DOMAIN,
        overridden_at__isnull=True,
        reason=DEMO_DOMAIN,
        team__registrations__challenge=challenge,
    ).distinct():
        services.conflict_override(
            conflict=conflict, by=organizer, reason="Demo accounts share one e-mail domain."
        )
    run = automation.assignment_run_now(challenge=challenge, by=organizer)
    return run.state == AssignmentRunState.DONE


def _judge(user, name: str, country: str) -> Judge:
    judge, _ = Judge.objects.get_or_create(
        user=user,
        defaults={
            "display_name": name,
            "country": country,
            "expertise": ["manufacturing", "automotive", "computer vision"],
            "load_cap": 20,
        },
    )
    return judge


def _second_judge_user(ctx) -> User:
    user, created = User.objects.get_or_create(
        username=SECOND_JUDGE, defaults={"email": SECOND_JUDGE, "is_staff": True}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=JUDGES))
    EmailAddress.objects.update_or_create(
        user=user, email=SECOND_JUDGE, defaults={"verified": True, "primary": True}
    )
    accounts = ctx.shared.setdefault("accounts", [])
    if not any(email == SECOND_JUDGE for _, email, _ in accounts):
        accounts.append(("judge 2", SECOND_JUDGE, DEMO_PASSWORD))
    return user


def _second_judge_review(ctx, judge: Judge, entry) -> None:
    if Review.objects.filter(assignment__judge=judge, assignment__entry=entry).exists():
        return
    if not Assignment.objects.filter(judge=judge, entry=entry).exists():
        return
    criteria = selectors.rubric(challenge=entry.challenge)
    if not criteria:
        return
    services.review_save(
        judge=judge,
        entry_id=entry.pk,
        scores={c.pk: ctx.rng.randint(c.scale_min + 1, c.scale_max) for c in criteria},
        comment_to_team="A clear proposal; show measured results from the pilot line.",
        submit=True,
    )
