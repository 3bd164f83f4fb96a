"""What teams hand in, how it was evaluated, and each team's best per phase."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from league.models import Phase
from submissions.storage import private_storage
from teams.models import Registration


class SubmissionStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SCORED = "scored", _("Scored")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", pgettext_lazy("submission status", "Rejected")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses after which the worker has nothing left to do.
FINISHED_STATUSES = (
    SubmissionStatus.SCORED,
    SubmissionStatus.FAILED,
    SubmissionStatus.REJECTED,
    SubmissionStatus.CANCELLED,
)


class FailureCause(models.TextChoices):
    NONE = "", _("None")
    FILE = "file", _("The submitted file")
    PLATFORM = "platform", _("The platform")


class Submission(models.Model):
    """One file handed in by a team for a phase.

    Quota is spent once, at intake (``counts_against_quota`` starts True);
    a cancellation or a failure caused by the platform gives it back, and an
    organizer's re-run never spends it again. Refusals at intake leave no row.
    """

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("registration"),
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("phase")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    file = models.FileField(_("file"), storage=private_storage, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.BigIntegerField(_("size in bytes"))
    description = models.CharField(_("description"), max_length=500, blank=True)

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.QUEUED,
    )
    public_score = models.FloatField(_("public score"), null=True, blank=True)
    private_score = models.FloatField(_("private score"), null=True, blank=True)
    scored_rows = models.PositiveIntegerField(_("rows scored"), null=True, blank=True)
    error_code = models.CharField(_("error code"), max_length=64, blank=True)
    error_message = models.TextField(
        _("reason"), blank=True, help_text=_("Shown to the team; never a traceback.")
    )
    error_params = models.JSONField(
        _("reason parameters"),
        default=dict,
        blank=True,
        help_text=_(
            "What the reason is made of (each problem's code and values), so that it is shown "
            "in the reader's language; the reason above is the English text kept as a fallback."
        ),
    )
    failure_cause = models.CharField(
        _("failure caused by"), max_length=16, choices=FailureCause.choices, blank=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    counts_against_quota = models.BooleanField(_("counts against the quota"), default=True)
    entry_point = models.CharField(
        _("entry point"),
        max_length=255,
        blank=True,
        help_text=_("Code challenges: the program file run, inside the submitted archive."),
    )
    details = models.JSONField(
        _("evaluation details"),
        null=True,
        blank=True,
        help_text=_(
            "Code challenges: a verdict, run time and the beginning of the output of each "
            "test; shown to the team (private tests only after the reveal)."
        ),
    )
    is_final = models.BooleanField(_("selected as final"), default=False)
    reruns = models.PositiveSmallIntegerField(_("re-runs by organizers"), default=0)

    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    enqueued_at = models.DateTimeField(
        _("handed to the broker at"),
        null=True,
        blank=True,
        help_text=_("Empty while the broker has not taken the job; the sweeper retries."),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The running evaluation's lease: renewed by its worker while it is alive;
    # once it lapses the sweeper puts the submission back in the queue.
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    lease_owner = models.CharField(_("evaluated by"), max_length=255, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [
            models.Index(
                fields=["registration", "phase", "created_at"], name="submission_quota_idx"
            ),
            models.Index(fields=["status", "enqueued_at"], name="submission_sweep_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=SubmissionStatus.SCORED) | Q(public_score__isnull=False),
                name="submission_scored_has_score",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES


class QuotaCounter(models.Model):
    """The quota a team has spent in a phase, kept in step with its submissions
    that count (``counts_against_quota``): one conditional UPDATE spends a unit
    at intake, a cancellation or a platform failure gives it back.

    One row per team and phase rather than per day: the total limit must be
    checked in the same statement as the daily one. ``day`` is the day (in
    ``zone``, the phase's limit time zone) that ``used_today`` counts; a row
    whose zone is not the phase's any more is recounted from the submissions.
    """

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="+", verbose_name=_("registration")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="+", verbose_name=_("phase")
    )
    zone = models.CharField(_("time zone of the daily limit"), max_length=64)
    day = models.DateField(_("day"))
    used_today = models.PositiveIntegerField(_("used that day"), default=0)
    used_total = models.PositiveIntegerField(_("used in total"), default=0)

    class Meta:
        verbose_name = _("quota counter")
        verbose_name_plural = _("quota counters")
        constraints = [
            models.UniqueConstraint(fields=["registration", "phase"], name="quota_once_per_phase")
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.phase}: {self.used_today}/{self.used_total}"


class TeamBest(models.Model):
    """A team's standing in a phase, kept in step with its scored submissions
    in the same transaction that records a score. The leaderboard reads only this."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="+", verbose_name=_("registration")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="team_bests", verbose_name=_("phase")
    )
    best_public_score = models.FloatField(_("best public score"), null=True, blank=True)
    best_submission = models.ForeignKey(
        Submission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("best submission"),
    )
    best_submitted_at = models.DateTimeField(
        _("best submission sent at"),
        null=True,
        blank=True,
        help_text=_("Breaks ties: the earlier submission ranks first."),
    )
    best_private_score = models.FloatField(_("best private score"), null=True, blank=True)
    scored_count = models.PositiveIntegerField(_("scored entries"), default=0)
    last_submitted_at = models.DateTimeField(_("last submission"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("team best")
        verbose_name_plural = _("team bests")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "phase"], name="teambest_once_per_phase"
            )
        ]
        indexes = [
            models.Index(
                fields=["phase", "best_public_score", "best_submitted_at"],
                name="teambest_board_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.phase}: {self.best_public_score}"


def answer_key_upload_to(instance, filename: str) -> str:
    return f"answer-keys/phase-{instance.phase_id}/{uuid.uuid4().hex}.csv"


class AnswerKey(models.Model):
    """The hidden answers of a phase (id, expected, split), uploaded by organizers."""

    phase = models.OneToOneField(
        Phase, on_delete=models.CASCADE, related_name="answer_key", verbose_name=_("phase")
    )
    file = models.FileField(
        _("answer key (CSV: id, expected, split)"),
        storage=private_storage,
        upload_to=answer_key_upload_to,
        max_length=255,
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    class Meta:
        verbose_name = _("answer key")
        verbose_name_plural = _("answer keys")

    def __str__(self) -> str:
        return f"{self.phase}"


class RerunJob(models.Model):
    """Progress of an organizer's re-run of every submission of a phase."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("rerun job status", "Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="+", verbose_name=_("phase")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.PENDING, verbose_name=_("state")
    )
    total = models.PositiveIntegerField(default=0, verbose_name=_("total"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("done"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("re-run of a phase")
        verbose_name_plural = _("re-runs of phases")

    def __str__(self) -> str:
        return f"{self.phase}: {self.done}/{self.total} ({self.get_state_display()})"


class DeploymentStage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    PILOT = "pilot", _("Pilot")
    DEPLOYED = "deployed", _("Deployed")


class ReviewPackage(models.Model):
    """A team's entry to a review phase: the versions it saved, kept forever.

    The version judged is the last one saved before the phase's deadline
    (``selectors.package_judged_version``)."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="review_packages",
        verbose_name=_("registration"),
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="review_packages", verbose_name=_("phase")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("review package")
        verbose_name_plural = _("review packages")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "phase"], name="review_package_once_per_phase"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.phase}"


class PackageVersion(models.Model):
    """One save of a package: its files (stored once, shared by later versions
    that keep them), its links and its form."""

    package = models.ForeignKey(
        ReviewPackage, on_delete=models.CASCADE, related_name="versions", verbose_name=_("package")
    )
    number = models.PositiveIntegerField(_("version"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    proposal = models.FileField(
        _("proposal PDF"), storage=private_storage, max_length=255, blank=True
    )
    proposal_name = models.CharField(_("proposal file name"), max_length=255, blank=True)
    proposal_size = models.BigIntegerField(_("proposal size in bytes"), null=True, blank=True)
    proposal_sha256 = models.CharField(_("proposal SHA-256"), max_length=64, blank=True)
    proposal_pages = models.PositiveIntegerField(_("proposal pages"), null=True, blank=True)
    video_url = models.URLField(_("demo video link"), max_length=500, blank=True)
    archive = models.FileField(
        _("code archive"), storage=private_storage, max_length=255, blank=True
    )
    archive_name = models.CharField(_("archive file name"), max_length=255, blank=True)
    archive_size = models.BigIntegerField(_("archive size in bytes"), null=True, blank=True)
    archive_sha256 = models.CharField(_("archive SHA-256"), max_length=64, blank=True)
    archive_members = models.PositiveIntegerField(_("archive entries"), null=True, blank=True)

    scenario = models.TextField(_("scenario"), blank=True)
    industry = models.CharField(_("industry"), max_length=200, blank=True)
    target_countries = models.JSONField(_("target countries"), default=list, blank=True)
    deployment_stage = models.CharField(
        _("deployment stage"), max_length=16, choices=DeploymentStage.choices, blank=True
    )
    expected_impact = models.TextField(_("expected impact"), blank=True)
    team_roles = models.TextField(_("team roles"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("package version")
        verbose_name_plural = _("package versions")
        constraints = [
            models.UniqueConstraint(fields=["package", "number"], name="package_version_number")
        ]
        indexes = [models.Index(fields=["package", "saved_at"], name="package_version_saved_idx")]

    def __str__(self) -> str:
        return f"{self.package} · v{self.number}"

    def form_data(self) -> dict:
        return {
            "scenario": self.scenario,
            "industry": self.industry,
            "target_countries": list(self.target_countries),
            "deployment_stage": self.deployment_stage,
            "expected_impact": self.expected_impact,
            "team_roles": self.team_roles,
        }


class CodeTaskKind(models.TextChoices):
    PREDICTIONS = "predictions", _("The program writes predictions, scored by the metric")
    TESTS = "tests", _("Test cases with expected outputs (online judge)")


class TestSplit(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class Comparison(models.TextChoices):
    EXACT = "exact", _("Exactly (line endings and a final newline aside)")
    TOKENS = "tokens", _("Token by token (spacing does not matter)")
    FLOAT = "float", _("Numbers within a tolerance")


# Sane maxima: one evaluation of every test must stay far inside the
# worker's time limit, and a program inside the machine's memory.
MAX_WALL_SECONDS = 60
MAX_MEMORY_MB = 4096
MIN_MEMORY_MB = 256
MAX_OUTPUT_MB = 64


def code_inputs_upload_to(instance, filename: str) -> str:
    name = filename.lower()
    extension = next((e for e in (".tar.gz", ".tgz", ".tar", ".zip") if name.endswith(e)), ".zip")
    return f"code-inputs/phase-{instance.phase_id}/{uuid.uuid4().hex}{extension}"


class CodeTask(models.Model):
    """How a code phase runs its programs: the kind, the limits and the hidden
    inputs. Never shown to participants beyond the kind and the limits."""

    phase = models.OneToOneField(
        Phase, on_delete=models.CASCADE, related_name="code_task", verbose_name=_("phase")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=CodeTaskKind.choices, default=CodeTaskKind.TESTS
    )
    wall_seconds = models.PositiveSmallIntegerField(
        _("time limit per run (seconds)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WALL_SECONDS)],
        help_text=_("Wall time and CPU time, per test (or per run for predictions)."),
    )
    memory_mb = models.PositiveIntegerField(
        _("memory limit (MB)"),
        default=1024,
        validators=[MinValueValidator(MIN_MEMORY_MB), MaxValueValidator(MAX_MEMORY_MB)],
    )
    output_mb = models.PositiveSmallIntegerField(
        _("output limit (MB)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_OUTPUT_MB)],
        help_text=_("Standard output, and the predictions file the program writes."),
    )
    hidden_inputs = models.FileField(
        _("hidden inputs (.zip or .tar.gz)"),
        storage=private_storage,
        upload_to=code_inputs_upload_to,
        max_length=255,
        blank=True,
        help_text=_(
            "Files the program finds, read-only, in /sandbox/inputs. Required for the "
            "predictions kind; optional for test cases."
        ),
    )

    class Meta:
        verbose_name = _("code task")
        verbose_name_plural = _("code tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(wall_seconds__gte=1, wall_seconds__lte=MAX_WALL_SECONDS)
                & Q(memory_mb__gte=MIN_MEMORY_MB, memory_mb__lte=MAX_MEMORY_MB)
                & Q(output_mb__gte=1, output_mb__lte=MAX_OUTPUT_MB),
                name="code_task_limits_sane",
            )
        ]

    def __str__(self) -> str:
        return f"{self.phase} ({self.get_kind_display()})"


class CodeTestCase(models.Model):
    """One hidden test of an online-judge phase: its input reaches the program
    on stdin; its output is compared with the expected one."""

    __test__ = False  # not a pytest test class

    task = models.ForeignKey(
        CodeTask, on_delete=models.CASCADE, related_name="test_cases", verbose_name=_("task")
    )
    name = models.CharField(_("name"), max_length=80)
    group = models.CharField(
        _("group"),
        max_length=80,
        blank=True,
        help_text=_("The tests of one group score only when all of them pass."),
    )
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0.0)])
    split = models.CharField(
        _("split"), max_length=8, choices=TestSplit.choices, default=TestSplit.PUBLIC
    )
    input_text = models.TextField(_("input (stdin)"), blank=True)
    input_file = models.FileField(
        _("input file (stdin, instead of the text)"),
        storage=private_storage,
        upload_to="code-tests/",
        max_length=255,
        blank=True,
    )
    expected_output = models.TextField(_("expected output"))
    comparison = models.CharField(
        _("comparison"), max_length=8, choices=Comparison.choices, default=Comparison.TOKENS
    )
    tolerance = models.FloatField(
        _("tolerance"),
        default=1e-6,
        validators=[MinValueValidator(0.0)],
        help_text=_("For numbers: absolute or relative."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["task", "position", "id"]
        verbose_name = _("test case")
        verbose_name_plural = _("test cases")
        constraints = [
            models.UniqueConstraint(fields=["task", "name"], name="code_test_name_once_per_task"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="code_test_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name
