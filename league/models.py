"""The league itself: seasons, tracks, challenges, phases and regions."""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from league import rules


def validate_time_zone(value: str) -> None:
    if value not in rules.available_time_zones():
        raise ValidationError(_("“%(zone)s” is not a known time zone."), params={"zone": value})


class User(AbstractUser):
    """A person using the site. The time zone is the one pages show; the
    language is the one the site's e-mails to them are written in."""

    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Deadlines are shown in this zone. Empty: detected by the browser."),
    )
    # No choices here: the site's LANGUAGES grow without a migration.
    language = models.CharField(
        _("language of e-mails"),
        max_length=16,
        blank=True,
        help_text=_("Empty: the site's default language."),
    )
    email_on_scored = models.BooleanField(
        _("E-mail me when a submission is scored"),
        default=False,
        help_text=_("Also when one of your submissions fails, with the reason."),
    )

    def mail_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


class Region(models.TextChoices):
    CHINA = "china", _("China")
    ASEAN = "asean", _("ASEAN")
    OTHER = "other", _("Other")


class CountryRegion(models.Model):
    """Which region a country counts for. Data, not code: organizers edit it."""

    country = models.CharField(_("country code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=8, choices=Region.choices)

    class Meta:
        ordering = ["country"]
        verbose_name = _("country region")
        verbose_name_plural = _("country regions")

    def __str__(self) -> str:
        return f"{self.country} {self.name} → {self.get_region_display()}"

    def clean(self) -> None:
        self.country = (self.country or "").upper()


class Season(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    time_zone = models.CharField(
        _("display time zone"),
        max_length=64,
        default="Asia/Shanghai",
        validators=[validate_time_zone],
        help_text=_("The zone of official announcements; each viewer sees their own."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="season_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A season ends on or after its first day.")})


class TrackKind(models.TextChoices):
    INDUSTRIAL_INNOVATION = "industrial_innovation", _("Industrial innovation")
    BOTTLENECK_CHALLENGE = "bottleneck_challenge", _("Bottleneck challenge")
    TALENT_DISCOVERY = "talent_discovery", _("Talent discovery")


class ParticipantType(models.TextChoices):
    COMPANY_EMPLOYEE = "company_employee", _("Company employee")
    STARTUP = "startup", _("Startup founder or employee")
    RESEARCHER = "researcher", _("Researcher")
    UNIVERSITY = "university", _("University student or staff")
    INDIVIDUAL_DEVELOPER = "individual_developer", _("Individual developer")


class OrganisationType(models.TextChoices):
    COMPANY = "company", _("Company")
    STARTUP = "startup", _("Startup")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    UNIVERSITY = "university", _("University")
    NONE = "none", _("None (individual)")


class RegionBasis(models.TextChoices):
    NATIONALITY = "nationality", _("Nationality")
    RESIDENCE = "residence", _("Country of residence")


def _all_participant_types() -> list[str]:
    return list(ParticipantType.values)


def _all_organisation_types() -> list[str]:
    return list(OrganisationType.values)


class Track(models.Model):
    """One of a season's three events, with the team rules it enforces."""

    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("season")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=TrackKind.choices)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # Team rules (checked by teams/rules.py).
    min_members = models.PositiveSmallIntegerField(
        _("minimum members"), default=1, validators=[MinValueValidator(1)]
    )
    max_members = models.PositiveSmallIntegerField(
        _("maximum members"), default=5, validators=[MinValueValidator(1)]
    )
    cross_border_required = models.BooleanField(
        _("cross-border required"),
        default=False,
        help_text=_("At least one member from the China region and one from ASEAN."),
    )
    region_basis = models.CharField(
        _("region from"),
        max_length=16,
        choices=RegionBasis.choices,
        default=RegionBasis.NATIONALITY,
        help_text=_("Whether a member's region comes from nationality or residence."),
    )
    max_other_region_members = models.PositiveSmallIntegerField(
        _("maximum members from other regions"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. 0: only China and ASEAN members."),
    )
    max_country_share = models.DecimalField(
        _("maximum share of one country"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_(
            "For example 0.60: at most 60 percent of the members from one country. Empty: no limit."
        ),
    )
    allowed_participant_types = models.JSONField(
        _("allowed participant types"), default=_all_participant_types, blank=True
    )
    allowed_organisation_types = models.JSONField(
        _("allowed organisation types"), default=_all_organisation_types, blank=True
    )
    teams_per_person_per_challenge = models.PositiveSmallIntegerField(
        _("teams per person per challenge"), default=1, validators=[MinValueValidator(1)]
    )
    teams_per_person_in_track = models.PositiveSmallIntegerField(
        _("teams per person in the track"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: no limit across the track's challenges."),
    )
    allows_individual_entries = models.BooleanField(_("individual entries allowed"), default=False)
    auto_verify_registrations = models.BooleanField(
        _("verify registrations automatically"), default=False
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["season", "order", "id"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(fields=["season", "kind"], name="one_track_kind_per_season"),
            models.CheckConstraint(
                condition=Q(max_members__gte=models.F("min_members")),
                name="track_max_members_at_least_min",
            ),
            models.CheckConstraint(
                condition=Q(min_members__gte=1), name="track_min_members_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.season} · {self.name}"

    def clean(self) -> None:
        errors = rules.track_setting_errors(
            min_members=self.min_members,
            max_members=self.max_members,
            allowed_participant_types=self.allowed_participant_types,
            allowed_organisation_types=self.allowed_organisation_types,
            allows_individual_entries=self.allows_individual_entries,
        )
        if errors:
            raise ValidationError(errors)


class Theme(models.TextChoices):
    AUTOMOTIVE = "automotive", _("Automotive")
    CULTURAL_TOURISM = "cultural_tourism", _("Cultural tourism")
    CROSS_BORDER_ECOMMERCE = "cross_border_ecommerce", _("Cross-border e-commerce")
    SMART_AGRICULTURE = "smart_agriculture", _("Smart agriculture")
    HEALTHCARE = "healthcare", _("Healthcare")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    MARKET_REGULATION = "market_regulation", _("Market regulation")
    OTHER = "other", _("Other")


class EvaluationMode(models.TextChoices):
    PREDICTION = "prediction", _("Prediction file")
    CODE = "code", _("Code run in a sandbox")
    REVIEW = "review", _("Expert review only")


class Challenge(models.Model):
    track = models.ForeignKey(
        Track, on_delete=models.CASCADE, related_name="challenges", verbose_name=_("track")
    )
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    sponsor = models.CharField(_("sponsor"), max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)
    description = models.TextField(_("description"), blank=True)
    evaluation_mode = models.CharField(
        _("evaluation mode"), max_length=16, choices=EvaluationMode.choices
    )
    metric = models.CharField(
        _("metric"),
        max_length=40,
        blank=True,
        help_text=_("The automated metric, for prediction and code challenges."),
    )
    automated_weight = models.DecimalField(
        _("weight of the automated score"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    judges_weight = models.DecimalField(
        _("weight of the judges' score"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    max_file_size_mb = models.PositiveIntegerField(
        _("maximum file size (MB)"), default=200, validators=[MinValueValidator(1)]
    )
    max_proposal_pages = models.PositiveSmallIntegerField(
        _("maximum pages of a proposal"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("For review challenges: the longest proposal PDF a team may hand in."),
    )
    allowed_extensions = models.JSONField(
        _("allowed file extensions"),
        default=list,
        blank=True,
        help_text=_('For example [".csv"]. Empty: the evaluation mode\'s default.'),
    )
    prizes = models.TextField(_("prizes"), blank=True)
    terms = models.TextField(
        _("terms of the data"),
        blank=True,
        help_text=_("Each person accepts them once before downloading. Empty: no terms."),
    )
    data_open_to_everyone = models.BooleanField(
        _("data open to everyone"),
        default=False,
        help_text=_(
            "Anyone signed in may download the data files. "
            "Otherwise only members of teams registered in this challenge."
        ),
    )
    team_lock_at = models.DateTimeField(
        _("team lock"),
        null=True,
        blank=True,
        help_text=_("After this instant the membership of registered teams is frozen."),
    )

    class Meta:
        ordering = ["track", "title"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.CheckConstraint(
                condition=Q(automated_weight__gte=0, automated_weight__lte=1)
                & Q(judges_weight__gte=0, judges_weight__lte=1),
                name="challenge_weights_within_unit",
            ),
            models.CheckConstraint(
                condition=Q(max_file_size_mb__gte=1), name="challenge_file_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def max_file_size_bytes(self) -> int:
        return self.max_file_size_mb * 1024 * 1024

    def clean(self) -> None:
        errors = rules.challenge_setting_errors(
            automated_weight=self.automated_weight,
            judges_weight=self.judges_weight,
            evaluation_mode=self.evaluation_mode,
            metric=self.metric,
            allowed_extensions=self.allowed_extensions,
        )
        if errors:
            raise ValidationError(errors)


class LeaderboardVisibility(models.TextChoices):
    PUBLIC = "public", _("Public scores visible; private scores after reveal")
    TEAMS_ONLY = "teams_only", _("Each team sees only its own scores")
    HIDDEN = "hidden", _("Hidden until reveal")


class Phase(models.Model):
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="phases", verbose_name=_("challenge")
    )
    name = models.CharField(_("name"), max_length=120)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    daily_limit = models.PositiveSmallIntegerField(
        _("submissions per day"), default=5, validators=[MinValueValidator(1)]
    )
    total_limit = models.PositiveIntegerField(
        _("submissions in total"), default=100, validators=[MinValueValidator(1)]
    )
    limit_time_zone = models.CharField(
        _("daily limit resets at midnight of"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
    )
    max_final_selections = models.PositiveSmallIntegerField(
        _("final submissions a team selects"), default=2, validators=[MinValueValidator(1)]
    )
    leaderboard_visibility = models.CharField(
        _("leaderboard visibility"),
        max_length=16,
        choices=LeaderboardVisibility.choices,
        default=LeaderboardVisibility.PUBLIC,
    )
    private_revealed_at = models.DateTimeField(
        _("private scores revealed at"),
        null=True,
        blank=True,
        help_text=_("Empty: private scores stay hidden from participants."),
    )

    class Meta:
        ordering = ["challenge", "opens_at"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="phase_closes_after_open"
            ),
            models.CheckConstraint(
                condition=Q(daily_limit__gte=1), name="phase_daily_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(total_limit__gte=1), name="phase_total_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_final_selections__gte=1), name="phase_final_selections_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.name}"

    def clean(self) -> None:
        siblings = []
        if self.challenge_id:
            siblings = [
                (p.name, p.opens_at, p.closes_at)
                for p in Phase.objects.filter(challenge_id=self.challenge_id).exclude(pk=self.pk)
            ]
        errors = rules.phase_setting_errors(
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            daily_limit=self.daily_limit,
            total_limit=self.total_limit,
            siblings=siblings,
        )
        if errors:
            raise ValidationError(errors)

    def is_open(self, at=None) -> bool:
        return rules.phase_is_open(self.opens_at, self.closes_at, at or timezone.now())

    @property
    def private_scores_visible(self) -> bool:
        return self.private_revealed_at is not None and self.private_revealed_at <= timezone.now()

    @property
    def limit_zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.limit_time_zone)


# Models kept in their own module, registered with the league app here.
from league.data_files import ChallengeFile, FileKind, TermsAcceptance  # noqa: E402, F401

# Background exports live with the exports package; imported here so Django finds the model.
from league.exports.models import ExportJob, ExportStatus  # noqa: E402, F401


class OutgoingMail(models.Model):
    """An e-mail owed to someone, stored in the transaction that decided it
    (league/mail.py). A worker renders it in ``language`` and sends it; the
    sweeper publishes again the ones the broker refused or lost."""

    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=16)
    template = models.CharField(
        _("template"),
        max_length=100,
        help_text=_("Templates <name>_subject.txt and <name>_message.txt."),
    )
    context = models.JSONField(_("context"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    queued_at = models.DateTimeField(_("handed to the broker at"), null=True, blank=True)
    sending_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.template} → {self.to}"
