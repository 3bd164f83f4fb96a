"""Final standings: each challenge's method settings, the awards organizers
configure, and the published versions (frozen rows and exported files).

Imported by ``judging.models``, so the models belong to the judging app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from judging.results import rules
from league.models import Challenge, Track
from submissions.storage import private_storage
from teams.models import Registration


class Normalisation(models.TextChoices):
    RANK = rules.RANK, _("By rank: 1 − (rank − 1) / (n − 1)")
    MINMAX = rules.MINMAX, _("Min–max: (score − worst) / (best − worst)")


class StandingsMethod(models.Model):
    """How one challenge's final standings are computed and which medals it gives.
    A challenge without a row uses the defaults."""

    challenge = models.OneToOneField(
        Challenge,
        on_delete=models.CASCADE,
        related_name="standings_method",
        verbose_name=_("challenge"),
    )
    normalisation = models.CharField(
        _("normalisation of the automated score"),
        max_length=16,
        choices=Normalisation.choices,
        default=Normalisation.RANK,
    )
    gold = models.PositiveSmallIntegerField(_("gold medals"), default=1)
    silver = models.PositiveSmallIntegerField(_("silver medals"), default=1)
    bronze = models.PositiveSmallIntegerField(_("bronze medals"), default=1)

    class Meta:
        verbose_name = _("standings method")
        verbose_name_plural = _("standings methods")

    def __str__(self) -> str:
        return str(self.challenge)


class TrackAwards(models.Model):
    """The awards of a track beyond its challenges' medals."""

    track = models.OneToOneField(
        Track, on_delete=models.CASCADE, related_name="awards", verbose_name=_("track")
    )
    best_cross_border = models.BooleanField(
        _("best cross-border team award"),
        default=True,
        help_text=_(
            "Given to the best-ranked team with members from both China and ASEAN "
            "across the track's published standings."
        ),
    )

    class Meta:
        verbose_name = _("awards of a track")
        verbose_name_plural = _("awards of tracks")

    def __str__(self) -> str:
        return str(self.track)


class TalentAward(models.Model):
    """An award to a named person, picked by the organizers from the members
    of a registered team (or an individual entry), with a citation. It is
    published with the next version of the challenge's standings."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="talent_awards",
        verbose_name=_("registration"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="talent_awards",
        verbose_name=_("person"),
    )
    title = models.CharField(_("award"), max_length=120)
    citation = models.TextField(_("citation"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["registration", "pk"]
        verbose_name = _("talent award")
        verbose_name_plural = _("talent awards")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.registration_id
            and self.person_id
            and not self.registration.team.memberships.filter(user_id=self.person_id).exists()
        ):
            raise ValidationError(
                {"person": _("The person must be a member of the registered team.")}
            )


def snapshot_path(instance, filename: str) -> str:
    return f"standings/{instance.challenge_id}/v{instance.version}/{filename}"


class StandingsSnapshot(models.Model):
    """One published version of a challenge's final standings: frozen rows,
    the method and inputs they came from, and the exported files, which
    download again byte for byte."""

    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.CASCADE,
        related_name="standings_snapshots",
        verbose_name=_("challenge"),
    )
    version = models.PositiveIntegerField(_("version"))
    inputs_sha256 = models.CharField(_("SHA-256 of the inputs"), max_length=64)
    method_version = models.CharField(_("method version"), max_length=32)
    method = models.JSONField(_("method"))
    weights = models.JSONField(_("weights used"))
    max_finals = models.PositiveSmallIntegerField(
        _("final submissions counted"),
        null=True,
        blank=True,
        help_text=_("The finals rule of the private score (empty: no automated score)."),
    )
    rows = models.JSONField(_("rows"))
    talent_awards = models.JSONField(_("talent awards"), default=list)
    same_inputs_as_previous = models.BooleanField(_("same inputs as the previous version"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    csv_file = models.FileField(
        _("CSV"), storage=private_storage, upload_to=snapshot_path, max_length=255
    )
    csv_sha256 = models.CharField(_("SHA-256 of the CSV"), max_length=64)
    xlsx_file = models.FileField(
        _("XLSX"), storage=private_storage, upload_to=snapshot_path, max_length=255
    )
    xlsx_sha256 = models.CharField(_("SHA-256 of the XLSX"), max_length=64)
    json_file = models.FileField(
        _("JSON"), storage=private_storage, upload_to=snapshot_path, max_length=255
    )
    json_sha256 = models.CharField(_("SHA-256 of the JSON"), max_length=64)

    class Meta:
        ordering = ["challenge", "-version"]
        verbose_name = _("published standings")
        verbose_name_plural = _("published standings")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "version"], name="standings_version_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="standings_version_positive"),
        ]
        permissions = [("publish_standings", _("Can preview and publish final standings"))]

    def __str__(self) -> str:
        return f"{self.challenge} · v{self.version}"

    @property
    def etag(self) -> str:
        return f'"{self.inputs_sha256[:32]}-v{self.version}"'


class ChallengeStandings(Challenge):
    """A challenge seen as its final standings, so the admin shows the
    preview, the method settings and the publish button on one page."""

    class Meta:
        proxy = True
        verbose_name = _("standings of a challenge")
        verbose_name_plural = _("standings of challenges")
