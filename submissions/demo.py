"""Demo data: answer keys for the prediction phases, scored submissions and
the team bests, so the leaderboards are not empty. Idempotent.

Small scale scores a handful of real files; large scale bulk-inserts 200,000
scored rows (sharing one stored file) and computes TeamBest with one
aggregate insert per phase.
"""

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from league import services as league_services
from league.metrics import higher_is_better
from league.models import EvaluationMode, Phase
from submissions import demo_data
from submissions.evaluation.scoring import score_predictions
from submissions.models import (
    AnswerKey,
    CodeTask,
    CodeTaskKind,
    CodeTestCase,
    DeploymentStage,
    PackageVersion,
    ReviewPackage,
    Submission,
    SubmissionStatus,
    TeamBest,
)
from submissions.pdfs import minimal_pdf
from submissions.sandbox import sandbox_available
from submissions.services.evaluation import submission_evaluate
from submissions.services.standings import teambest_refresh
from submissions.storage import private_storage, submission_path
from teams.models import Registration, RegistrationStatus

KEY_ROWS = 300
SMALL_PER_TEAM = 3
LARGE_TOTAL = 200_000
LARGE_BATCH = 5_000
LABELS = {"macro_f1": ["healthy", "leaf_blight", "algal_spot", "phomopsis"]}


def seed(ctx) -> None:
    phases = list(
        Phase.objects.filter(challenge__evaluation_mode=EvaluationMode.PREDICTION)
        .select_related("challenge")
        .order_by("pk")
    )
    keys = {phase.pk: _answer_key(ctx, phase) for phase in phases}
    demo_data.seed(ctx, key_rows=KEY_ROWS, labels=LABELS)
    registrations = _registrations(ctx)
    scored = 0
    now = timezone.now()
    for registration in registrations:
        for phase in phases:
            if phase.challenge_id != registration.challenge_id or phase.opens_at > now:
                continue
            scored += _small_submissions(ctx, registration, phase, keys[phase.pk])
    revealed = sum(_reveal_if_closed(phase, now) for phase in phases)
    ctx.say(
        f"submissions: {len(keys)} answer keys, {scored} new scored demo submissions, "
        f"{revealed} phases' private scores revealed"
    )
    packages = sum(_review_package(registration) for registration in registrations)
    ctx.say(f"submissions: {packages} new review packages")
    _code_phases(ctx, registrations)
    if ctx.scale == "large":
        _seed_large(ctx, phases)


def _reveal_if_closed(phase: Phase, now) -> int:
    """The organizers' reveal of a closed phase's private scores."""
    if phase.closes_at > now or phase.private_scores_visible:
        return 0
    return int(league_services.phase_reveal_private_scores(phase=phase))


def _review_package(registration: Registration) -> int:
    """A sample package (a real three-page PDF and a filled form) in the open
    phase of a review challenge, ready for judging."""
    if registration.challenge.evaluation_mode != EvaluationMode.REVIEW:
        return 0
    now = timezone.now()
    phase = registration.challenge.phases.filter(opens_at__lte=now, closes_at__gte=now).first()
    if (
        phase is None
        or ReviewPackage.objects.filter(registration=registration, phase=phase).exists()
    ):
        return 0
    # The demo writes this PDF: its metadata names the challenge, never the team (blind review).
    content = minimal_pdf(3, title=f"{registration.challenge.title}: proposal")
    name = private_storage().save(
        f"packages/team-{registration.team_id}/phase-{phase.pk}/proposal-demo.pdf",
        ContentFile(content),
    )
    package = ReviewPackage.objects.create(registration=registration, phase=phase)
    PackageVersion.objects.create(
        package=package,
        number=1,
        saved_by=registration.team.captain,
        saved_at=now - timedelta(days=2),
        proposal=name,
        proposal_name="proposal.pdf",
        proposal_size=len(content),
        proposal_sha256=hashlib.sha256(content).hexdigest(),
        proposal_pages=3,
        video_url="https://video.example.org/demo",
        scenario=f"{registration.challenge.title}: a vision model flags defects at line speed.",
        industry=registration.challenge.get_theme_display(),
        target_countries=["CN", "TH", "VN"],
        deployment_stage=DeploymentStage.PILOT,
        expected_impact="Fewer scrapped parts and earlier alerts for the line's engineers.",
        team_roles="Captain: product and data; members: model training and plant integration.",
    )
    return 1


# The demo's code challenge: the sum of each line (tests kind), and its sample
# solution, the same as docs/demo/line_sums.py.
LINE_SUMS_TESTS = [
    # (name, input, expected output, split)
    ("one-line", "1 2 3\n", "6\n", "public"),
    ("two-lines", "10 20\n-5 5\n", "30\n0\n", "public"),
    ("empty-sum", "0\n", "0\n", "public"),
    ("big-numbers", "1000000000 1000000000\n", "2000000000\n", "private"),
    (
        "many-lines",
        "".join(f"{n} {n}\n" for n in range(50)),
        "".join(f"{2 * n}\n" for n in range(50)),
        "private",
    ),
]
LINE_SUMS_SOLUTION = b"""import sys

for line in sys.stdin:
    print(sum(int(number) for number in line.split()))
"""


def _code_phases(ctx, registrations) -> None:
    """Every code phase gets its test cases; each registered team's open
    phase gets the sample solution, run in the sandbox when it works here."""
    tasks = 0
    for phase in Phase.objects.filter(challenge__evaluation_mode=EvaluationMode.CODE):
        task, created = CodeTask.objects.get_or_create(
            phase=phase, defaults=dict(kind=CodeTaskKind.TESTS, wall_seconds=5, memory_mb=512)
        )
        if created:
            for position, (name, given, expected, split) in enumerate(LINE_SUMS_TESTS):
                CodeTestCase.objects.create(
                    task=task,
                    name=name,
                    position=position,
                    input_text=given,
                    expected_output=expected,
                    split=split,
                )
            tasks += 1
    ctx.say(f"submissions: {tasks} new code tasks")
    ok, reason = sandbox_available()
    if not ok:
        ctx.say(f"submissions: sample solutions not run, the sandbox is unavailable: {reason}")
        return
    now = timezone.now()
    ran = 0
    for registration in registrations:
        if registration.challenge.evaluation_mode != EvaluationMode.CODE:
            continue
        phase = registration.challenge.phases.filter(opens_at__lte=now, closes_at__gte=now).first()
        if (
            phase is None
            or Submission.objects.filter(registration=registration, phase=phase).exists()
        ):
            continue
        name = private_storage().save(
            submission_path(team_id=registration.team_id, phase_id=phase.pk, original_name="x.py"),
            ContentFile(LINE_SUMS_SOLUTION),
        )
        submission = Submission.objects.create(
            registration=registration,
            phase=phase,
            submitted_by=registration.team.captain,
            file=name,
            original_name="line_sums.py",
            sha256=hashlib.sha256(LINE_SUMS_SOLUTION).hexdigest(),
            size=len(LINE_SUMS_SOLUTION),
            description="Sample solution",
            entry_point="main.py",
            enqueued_at=now,
        )
        submission_evaluate(submission_id=submission.pk)
        ran += 1
    ctx.say(f"submissions: {ran} sample solutions run in the sandbox")


def _registrations(ctx) -> list[Registration]:
    ids = ctx.shared.get("registrations")
    queryset = Registration.objects.filter(status=RegistrationStatus.VERIFIED)
    if ids:
        queryset = queryset.filter(pk__in=ids[:50])
    elif ctx.shared.get("season"):
        queryset = queryset.filter(challenge__track__season=ctx.shared["season"])
    return list(queryset.select_related("team", "challenge").order_by("pk")[:50])


def _expected(ctx, metric: str, i: int) -> str:
    rng = ctx.rng
    if metric in ("rmse", "mae", "r2"):
        return f"{rng.uniform(0, 100):.2f}"
    if metric in ("roc_auc", "log_loss"):
        return str(i % 2)
    if metric == "map_at_k":
        return " ".join(rng.sample([f"p{n}" for n in range(20)], 3))
    labels = LABELS.get(metric, ["match", "no_match"])
    return rng.choice(labels)


def _answer_key(ctx, phase: Phase) -> bytes:
    existing = AnswerKey.objects.filter(phase=phase).first()
    if existing:
        with existing.file.open("rb") as f:
            return f.read()
    metric = phase.challenge.metric
    lines = ["id,expected,split"]
    for i in range(KEY_ROWS):
        split = "public" if i % 10 < 3 else "private"
        lines.append(f"q{i:04d},{_expected(ctx, metric, i)},{split}")
    content = ("\n".join(lines) + "\n").encode()
    key = AnswerKey(phase=phase, rows=KEY_ROWS)
    key.file.save("key.csv", ContentFile(content), save=True)
    return content


def _prediction(ctx, metric: str, expected: str, skill: float) -> str:
    rng = ctx.rng
    if metric in ("rmse", "mae", "r2"):
        return f"{float(expected) + rng.gauss(0, 30 * (1 - skill)):.2f}"
    if metric in ("roc_auc", "log_loss"):
        right = rng.random() < skill
        p = rng.uniform(0.55, 0.95)
        return f"{p if (expected == '1') == right else 1 - p:.3f}"
    if metric == "map_at_k":
        items = expected.split()
        return " ".join(items if rng.random() < skill else list(reversed(items)))
    if rng.random() < skill:
        return expected
    return rng.choice(LABELS.get(metric, ["match", "no_match"]))


def _small_submissions(ctx, registration, phase, key: bytes) -> int:
    if Submission.objects.filter(registration=registration, phase=phase).exists():
        return 0
    metric = phase.challenge.metric
    rows = [line.split(",") for line in key.decode().splitlines()[1:]]
    storage = private_storage()
    captain = registration.team.captain
    created = 0
    for n in range(SMALL_PER_TEAM):
        skill = ctx.rng.uniform(0.4, 0.9)
        body = "id,prediction\n" + "".join(
            f"{row_id},{_prediction(ctx, metric, expected, skill)}\n"
            for row_id, expected, _split in rows
        )
        content = body.encode()
        scores = score_predictions(
            answer_key_file=ContentFile(key),
            prediction_file=ContentFile(content),
            metric_name=metric,
        )
        name = storage.save(
            submission_path(
                team_id=registration.team_id, phase_id=phase.pk, original_name="predictions.csv"
            ),
            ContentFile(content),
        )
        # Before the deadline of a closed phase; the last one is the team's final choice.
        end = min(timezone.now(), phase.closes_at)
        at = end - timedelta(days=SMALL_PER_TEAM - n, hours=ctx.rng.randint(0, 20))
        closed = phase.closes_at <= timezone.now()
        Submission.objects.create(
            registration=registration,
            phase=phase,
            submitted_by=captain,
            file=name,
            original_name=f"predictions-v{n + 1}.csv",
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            description=f"Demo model, version {n + 1}",
            status=SubmissionStatus.SCORED,
            public_score=scores.public,
            private_score=scores.private,
            scored_rows=scores.rows,
            is_final=closed and n == SMALL_PER_TEAM - 1,
            attempts=1,
            created_at=at,
            enqueued_at=at,
            started_at=at,
            finished_at=at + timedelta(seconds=3),
        )
        created += 1
    teambest_refresh(registration_id=registration.pk, phase=phase)
    return created


def _seed_large(ctx, phases: list[Phase]) -> None:
    """200,000 scored submissions over the registrations of the prediction
    phases that have opened; TeamBest by one aggregate insert per phase."""
    now = timezone.now()
    open_phases = {p.challenge_id: p for p in phases if p.opens_at <= now}
    registrations = list(
        Registration.objects.filter(
            status=RegistrationStatus.VERIFIED, challenge_id__in=list(open_phases)
        )
        .order_by("pk")
        .values_list("pk", "challenge_id")
    )
    existing = Submission.objects.filter(phase__in=list(open_phases.values())).count()
    missing = LARGE_TOTAL - existing
    if not registrations or missing <= 0:
        ctx.say("submissions: large scale already seeded")
        return
    content = b"id,prediction\nq0000,0\n"
    storage = private_storage()
    name = "submissions/demo/bench-placeholder.csv"
    if not storage.exists(name):
        name = storage.save(name, ContentFile(content))
    digest = hashlib.sha256(content).hexdigest()
    rng = ctx.rng
    batch = []
    for i in range(missing):
        registration_id, challenge_id = registrations[i % len(registrations)]
        phase = open_phases[challenge_id]
        span = max(1, int((min(now, phase.closes_at) - phase.opens_at).total_seconds()))
        at = phase.opens_at + timedelta(seconds=rng.randrange(span))
        score = rng.random()
        batch.append(
            Submission(
                registration_id=registration_id,
                phase_id=phase.pk,
                file=name,
                original_name="predictions.csv",
                sha256=digest,
                size=len(content),
                status=SubmissionStatus.SCORED,
                public_score=score,
                private_score=min(1.0, max(0.0, score + rng.uniform(-0.05, 0.05))),
                attempts=1,
                created_at=at,
                enqueued_at=at,
                started_at=at,
                finished_at=at,
            )
        )
        if len(batch) >= LARGE_BATCH:
            Submission.objects.bulk_create(batch)
            batch = []
    if batch:
        Submission.objects.bulk_create(batch)
    for phase in open_phases.values():
        _teambest_bulk(phase)
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner sees the bulk-loaded rows at once.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Submission._meta.db_table}, {TeamBest._meta.db_table}")
    ctx.say(f"submissions: {missing} benchmark submissions, team bests rebuilt")


def _teambest_bulk(phase: Phase) -> None:
    """Rebuild a phase's TeamBest rows: one INSERT ... SELECT aggregate, then
    the best submission of each team by one correlated UPDATE. The private
    score follows ``rules.final_private_score``: the finals, or with none
    the phase's number of best submissions by public score."""
    higher = higher_is_better(phase.challenge.metric)
    TeamBest.objects.filter(phase=phase).delete()
    best, direction = ("MAX", "DESC") if higher else ("MIN", "ASC")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {TeamBest._meta.db_table}
                (registration_id, phase_id, best_public_score, best_private_score,
                 scored_count, last_submitted_at, updated_at)
            SELECT registration_id, phase_id, {best}(public_score),
                   {best}(private_score) FILTER (
                       WHERE (has_final = 1 AND is_final) OR (has_final = 0 AND position <= %s)
                   ),
                   COUNT(*), MAX(created_at), %s
            FROM (
                SELECT registration_id, phase_id, public_score, private_score, created_at,
                       is_final,
                       ROW_NUMBER() OVER (
                           PARTITION BY registration_id
                           ORDER BY public_score {direction}, created_at, id
                       ) AS position,
                       MAX(CASE WHEN is_final THEN 1 ELSE 0 END) OVER (
                           PARTITION BY registration_id
                       ) AS has_final
                FROM {Submission._meta.db_table}
                WHERE phase_id = %s AND status = %s
            ) AS ranked
            GROUP BY registration_id, phase_id
            """,  # noqa: S608 - table names, MAX/MIN and the order come from code, values are parameters
            [phase.max_final_selections, timezone.now(), phase.pk, SubmissionStatus.SCORED],
        )
    score = F("public_score")
    top = Submission.objects.filter(
        registration_id=OuterRef("registration_id"),
        phase_id=phase.pk,
        status=SubmissionStatus.SCORED,
    ).order_by(score.desc() if higher else score.asc(), "created_at", "id")
    TeamBest.objects.filter(phase=phase).update(
        best_submission_id=Subquery(top.values("id")[:1]),
        best_submitted_at=Subquery(top.values("created_at")[:1]),
    )
