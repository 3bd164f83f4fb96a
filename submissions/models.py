"""What teams hand in, how it was evaluated, and each team's best per phase."""

import uuid

from django.conf import settings
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
    failure_cause = models.CharField(
        _("failure caused by"), max_length=16, choices=FailureCause.choices, blank=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    counts_against_quota = models.BooleanField(_("counts against the quota"), default=True)
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
    updated_at = models.DateTimeField(auto_now=True)

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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

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
