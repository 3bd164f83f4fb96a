"""A challenge's data files and who accepted its terms (models of the league
app, imported by ``league.models``)."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from league.storage import private_storage


class FileKind(models.TextChoices):
    TRAINING = "training", _("Training data")
    TEST_INPUTS = "test_inputs", _("Test inputs")
    SAMPLE_SUBMISSION = "sample_submission", _("Sample submission")
    OTHER = "other", _("Other")


def challenge_file_upload_to(instance, filename: str) -> str:
    """A random name per challenge; the name participants download is kept in the row."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"challenge-files/challenge-{instance.challenge_id}/{uuid.uuid4().hex}{extension}"


class ChallengeFile(models.Model):
    """A file participants download: training data, test inputs, a sample
    submission, a template. Kept in private storage, served after checks."""

    challenge = models.ForeignKey(
        "league.Challenge",
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("challenge"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=FileKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=challenge_file_upload_to, max_length=255
    )
    download_name = models.CharField(
        _("download name"),
        max_length=200,
        blank=True,
        help_text=_("The file name participants get. Empty: the uploaded file's name."),
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["challenge", "order", "id"]
        verbose_name = _("data file")
        verbose_name_plural = _("data files")

    def __str__(self) -> str:
        return f"{self.challenge} · {self.title}"


class TermsAcceptance(models.Model):
    """A person accepted a challenge's terms (once; needed before downloads)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="terms_acceptances",
        verbose_name=_("user"),
    )
    challenge = models.ForeignKey(
        "league.Challenge",
        on_delete=models.CASCADE,
        related_name="terms_acceptances",
        verbose_name=_("challenge"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")
        constraints = [
            models.UniqueConstraint(fields=["user", "challenge"], name="terms_accepted_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.challenge}"
