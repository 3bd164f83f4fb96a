"""Judging: how each challenge is judged, the rubrics, the judges, their
conflicts, the entries they judge (by code), assignments and reviews.

Raw scores (``CriterionScore``) are never altered; calibrated, trimmed and
combined scores are computed from them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from league.models import Challenge, Phase, Track
from league.reference_data import site_languages
from submissions.models import ReviewPackage, Submission
from submissions.storage import private_storage
from teams.models import Organisation, Registration, Team


class NationalityRule(models.TextChoices):
    NONE = "none", _("No nationality rule")
    NO_SAME_COUNTRY = "no_same_country", _("No judge from a team member's country")
    AT_MOST_K = "at_most_k", _("At most k judges of a panel from a team member's country")


class JudgedScoreMethod(models.TextChoices):
    RAW_MEAN = "raw_mean", _("Mean of the judges' totals")
    CALIBRATED = "calibrated", _("Mean of the calibrated totals")
    TRIMMED = "trimmed", _("Trimmed mean (4 or more judges)")


class ChallengeJudging(models.Model):
    """How the judges of one challenge work."""

    challenge = models.OneToOneField(
        Challenge, on_delete=models.CASCADE, related_name="judging", verbose_name=_("challenge")
    )
    blind = models.BooleanField(
        _("blind review"),
        default=True,
        help_text=_("Judges see an entry code, never the team, its members or organisations."),
    )
    judges_per_entry = models.PositiveSmallIntegerField(_("judges per entry"), default=3)
    others_visible_after_submit = models.BooleanField(
        _("others' scores visible after submitting"),
        default=True,
        help_text=_("A judge sees the other judges' scores of an entry once their own is in."),
    )
    edit_window_hours = models.PositiveIntegerField(
        _("edit window (hours)"),
        default=48,
        help_text=_(
            "After submitting, a judge may change a review freely for this long; then "
            "every change needs a reason."
        ),
    )
    due_at = models.DateTimeField(_("reviews due at"), null=True, blank=True)
    nationality_rule = models.CharField(
        _("nationality rule"),
        max_length=16,
        choices=NationalityRule.choices,
        default=NationalityRule.NONE,
    )
    nationality_k = models.PositiveSmallIntegerField(_("k of the nationality rule"), default=1)
    region_limit = models.PositiveSmallIntegerField(
        _("most judges of one region per entry"),
        null=True,
        blank=True,
        help_text=_(
            "The automatic assignment spreads each panel over regions (China, ASEAN, other) "
            "so that at most this many judges come from one. Empty: no limit."
        ),
    )
    finalists = models.PositiveSmallIntegerField(
        _("finalists judged"),
        default=0,
        help_text=_(
            "For challenges scored automatically: how many of the top of the private "
            "leaderboard the judges review after the close (0: none)."
        ),
    )
    judged_score_method = models.CharField(
        _("judged score"),
        max_length=16,
        choices=JudgedScoreMethod.choices,
        default=JudgedScoreMethod.RAW_MEAN,
    )
    min_reviews_for_calibration = models.PositiveSmallIntegerField(
        _("reviews needed for calibration"), default=5
    )
    disagreement_range = models.DecimalField(
        _("disagreement: range of totals"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1.50"),
        help_text=_(
            "An entry goes to the discussion list when its judges' weighted totals "
            "differ by at least this much."
        ),
    )
    disagreement_z = models.DecimalField(
        _("disagreement: standard deviations"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.50"),
        help_text=_(
            "…or when one judge's total is this many standard deviations (of all "
            "totals of the challenge) from the mean of the entry's judges."
        ),
    )

    class Meta:
        verbose_name = _("judging of a challenge")
        verbose_name_plural = _("judging of challenges")
        constraints = [
            models.CheckConstraint(
                condition=Q(judges_per_entry__gte=1), name="judging_judges_per_entry_positive"
            ),
            models.CheckConstraint(
                condition=Q(nationality_k__gte=1), name="judging_nationality_k_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.challenge)


class Criterion(models.Model):
    """One criterion of a rubric. A rubric is either a track's (every
    challenge of the track) or a challenge's own, which then replaces it.
    The weights of one rubric sum to 1: the service checks, and on
    PostgreSQL a deferred constraint trigger refuses any commit breaking it."""

    track = models.ForeignKey(
        Track,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="criteria",
        verbose_name=_("track"),
    )
    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="criteria",
        verbose_name=_("challenge"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=4)
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(track__isnull=False, challenge__isnull=True)
                | Q(track__isnull=True, challenge__isnull=False),
                name="criterion_track_or_challenge",
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=1), name="criterion_weight_within_unit"
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CriterionLevel(models.Model):
    """What a score of a criterion means, so judges score against anchors."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="levels", verbose_name=_("criterion")
    )
    score = models.SmallIntegerField(_("score"))
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["criterion", "score"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "score"], name="criterion_level_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion} · {self.score}"


class Judge(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="judge",
        verbose_name=_("user"),
    )
    display_name = models.CharField(_("display name"), max_length=120)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="judges",
        verbose_name=_("organisation"),
    )
    country = CountryField(_("country"), blank=True)
    expertise = models.JSONField(
        _("expertise areas"),
        default=list,
        blank=True,
        help_text=_('A list of areas, for example ["manufacturing", "computer vision"].'),
    )
    load_cap = models.PositiveSmallIntegerField(_("most entries"), default=10)
    active = models.BooleanField(_("active"), default=True)
    language = models.CharField(
        _("language of e-mails"),
        max_length=16,
        choices=site_languages,
        blank=True,
        help_text=_("Reminders are written in this language (empty: English)."),
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("judge")
        verbose_name_plural = _("judges")

    def __str__(self) -> str:
        return self.display_name


class InstitutionDomainAlias(models.Model):
    """E-mail domains of one institution (several domains of one university
    count as the same institution for conflicts)."""

    domain = models.CharField(_("e-mail domain"), max_length=255, unique=True)
    institution = models.CharField(
        _("institution key"),
        max_length=120,
        help_text=_("Domains with the same key belong to one institution."),
    )

    class Meta:
        ordering = ["institution", "domain"]
        verbose_name = _("institution domain alias")
        verbose_name_plural = _("institution domain aliases")

    def __str__(self) -> str:
        return f"{self.domain} → {self.institution}"


class Entry(models.Model):
    """What judges judge: one registration's work in one phase, known to
    judges by its code only (``II-7F3K``)."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="entries", verbose_name=_("challenge")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="entries", verbose_name=_("phase")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("registration"),
    )
    code = models.CharField(_("entry code"), max_length=16, unique=True)
    package = models.ForeignKey(
        ReviewPackage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("review package"),
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("final submission"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["challenge", "code"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["registration", "phase"], name="entry_once_per_phase")
        ]

    def __str__(self) -> str:
        # Judges' pages and the admin's breadcrumbs use this: never the team.
        return self.code


class ConflictSource(models.TextChoices):
    DECLARED = "declared", _("Declared by the judge")
    ORGANISATION = "organisation", _("Same organisation")
    DOMAIN = "domain", _("Same e-mail domain")
    MEMBERSHIP = "membership", _("Member of the team")
    NATIONALITY = "nationality", _("Nationality rule")


class Conflict(models.Model):
    """A judge may not judge a team. An organizer may override it; the
    override keeps who and why, and the conflict stays on record."""

    judge = models.ForeignKey(
        Judge, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("judge")
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="judge_conflicts", verbose_name=_("team")
    )
    source = models.CharField(_("source"), max_length=16, choices=ConflictSource.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )
    overridden_at = models.DateTimeField(_("overridden at"), null=True, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")
        constraints = [
            # One standing conflict per source; overridden ones stay on record.
            models.UniqueConstraint(
                fields=["judge", "team", "source"],
                condition=Q(overridden_at__isnull=True),
                name="conflict_once_per_source",
            ),
        ]
        indexes = [models.Index(fields=["judge", "team"], name="conflict_judge_team_idx")]

    def __str__(self) -> str:
        return f"{self.judge} · {self.get_source_display()}"

    @property
    def active(self) -> bool:
        return self.overridden_at is None


class Assignment(models.Model):
    judge = models.ForeignKey(
        Judge, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("judge")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("entry")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
        help_text=_("Empty: assigned automatically."),
    )
    created_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        ordering = ["entry", "judge"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["judge", "entry"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.judge}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Review(models.Model):
    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="review", verbose_name=_("assignment")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    comment_to_team = models.TextField(_("comment to the team"), blank=True)
    note_to_organizers = models.TextField(_("private note to the organizers"), blank=True)
    submitted_at = models.DateTimeField(
        _("first submitted at"),
        null=True,
        blank=True,
        help_text=_("The edit window runs from here."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="review_submitted_has_time",
            )
        ]

    def __str__(self) -> str:
        return str(self.assignment)


class CriterionScore(models.Model):
    """A judge's raw score of one criterion: never altered by calibration."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    score = models.SmallIntegerField(_("score"))

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="criterion_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class ReviewChange(models.Model):
    """One change of a submitted review: who, when, why, and the values
    before and after (scores by criterion id, comment and note)."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="changes", verbose_name=_("review")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    old_values = models.JSONField(_("before"))
    new_values = models.JSONField(_("after"))

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("change of a review")
        verbose_name_plural = _("changes of reviews")

    def __str__(self) -> str:
        return f"{self.review} · {self.changed_at:%Y-%m-%d %H:%M}"


class JudgeReminder(models.Model):
    """One reminder e-mail to a judge on one day, claimed before it is sent
    (safe to run twice) and published again by the sweeper if lost."""

    judge = models.ForeignKey(
        Judge, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("judge")
    )
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    queued_at = models.DateTimeField(_("handed to the queue at"), null=True, blank=True)
    sending_at = models.DateTimeField(_("being sent since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    open_reviews = models.PositiveIntegerField(_("reviews due"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "judge"]
        verbose_name = _("reminder to a judge")
        verbose_name_plural = _("reminders to judges")
        constraints = [
            models.UniqueConstraint(fields=["judge", "day"], name="judge_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.judge} · {self.day}"


class TrackRubric(Track):
    """A track seen as its rubric, so the admin edits all its criteria (and
    their weights) in one save."""

    class Meta:
        proxy = True
        verbose_name = _("rubric of a track")
        verbose_name_plural = _("rubrics of tracks")


class ChallengeRubric(Challenge):
    """A challenge's own rubric (replaces its track's)."""

    class Meta:
        proxy = True
        verbose_name = _("rubric of a challenge")
        verbose_name_plural = _("rubrics of challenges")


class AssignmentRunState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    INFEASIBLE = "infeasible", _("Infeasible")
    FAILED = "failed", _("Failed")


class AssignmentRun(models.Model):
    """One run of the automatic assignment of a challenge, started from the
    admin and done in the background; its outcome stays on record."""

    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.CASCADE,
        related_name="assignment_runs",
        verbose_name=_("challenge"),
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=AssignmentRunState.choices,
        default=AssignmentRunState.PENDING,
    )
    # Why it is infeasible, as the solver's reason codes and parameters
    # (entry codes, judge names, country codes): shown translated.
    explanation = models.JSONField(_("explanation"), default=list, blank=True)
    entries = models.PositiveIntegerField(_("entries"), default=0)
    conflicts_found = models.PositiveIntegerField(_("new conflicts detected"), default=0)
    assignments_kept = models.PositiveIntegerField(_("assignments kept"), default=0)
    assignments_added = models.PositiveIntegerField(_("assignments added"), default=0)
    assignments_removed = models.PositiveIntegerField(_("assignments removed"), default=0)
    total_affinity = models.FloatField(_("total affinity"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    published = models.BooleanField(
        _("handed to the workers"),
        default=False,
        help_text=_("Off: the message broker did not take the job; start the run again."),
    )
    publish_attempts = models.PositiveSmallIntegerField(_("times handed to the workers"), default=0)
    published_at = models.DateTimeField(_("last handed to the workers at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")

    def __str__(self) -> str:
        return f"{self.challenge} · {self.requested_at:%Y-%m-%d %H:%M}"


class FinalistWriteup(models.Model):
    """The short write-up (a PDF) a finalist team uploads for the judges;
    a new upload replaces it. Stored under the entry, never the team."""

    entry = models.OneToOneField(
        Entry, on_delete=models.CASCADE, related_name="writeup", verbose_name=_("entry")
    )
    file = models.FileField(_("write-up PDF"), storage=private_storage, max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("finalist's write-up")
        verbose_name_plural = _("finalists' write-ups")

    def __str__(self) -> str:
        return self.entry.code


# The final standings' models live in their own module (judging/results/).
from judging.results.models import (  # noqa: E402, F401
    ChallengeStandings,
    Normalisation,
    StandingsMethod,
    StandingsSnapshot,
    TalentAward,
    TrackAwards,
)
