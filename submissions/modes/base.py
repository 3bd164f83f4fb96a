"""What every evaluation mode provides (the registry's contract)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from league.errors import ApplicationError, Violation
from submissions import rules


class ModeUnavailable(ApplicationError):
    """A challenge's evaluation mode has no evaluator on this platform (yet)."""

    status = 422
    code = "mode_unavailable"
    default_message = _(
        "This challenge takes entries of a kind the platform cannot evaluate yet; "
        "the organizers have been told. Nothing was stored and no quota was spent."
    )


@dataclass(frozen=True)
class PageText:
    """What the submit page says about the expected entry."""

    hint: str
    example: str = ""


class EvaluationModeHandler:
    """One evaluation mode: its intake checks, configuration, page text and evaluator.

    ``name`` is a ``league.models.EvaluationMode`` value. A mode takes either
    single files (``services.submission_create``, each queued for the
    worker's ``evaluate``: ``queued_for_evaluation``) or, with
    ``takes_packages``, edited packages (``services.package_version_create``)
    that are never queued and wait for judges.
    """

    name: str = ""
    label = ""
    default_extensions: tuple[str, ...] = ()
    queued_for_evaluation: bool = True
    takes_packages: bool = False

    def allowed_extensions(self, challenge) -> list[str]:
        return rules.allowed_extensions(
            configured=challenge.allowed_extensions, defaults=list(self.default_extensions)
        )

    def intake_violations(self, *, upload, challenge, phase) -> list[Violation]:
        """Content checks at intake, after the name and size checks passed and
        before anything is stored or any quota spent."""
        return []

    def program_entry(self, *, upload, name: str, declared: str) -> tuple[str, list[Violation]]:
        """The file to run in an upload (code mode) and why the upload cannot
        run, checked at intake after ``intake_violations`` passed. Other
        modes run nothing: ``("", [])``."""
        return "", []

    def configuration_violations(self, *, phase) -> list[Violation]:
        """What the phase still lacks before it can take entries (the
        platform's side: refusing for it spends no quota)."""
        return []

    def evaluate(self, submission):
        """Run by the worker on a claimed submission: the mode's result
        (prediction: ``Scores``). Raise ``EvaluationError`` for the file's
        fault; anything else is the platform's and is retried. A result may
        carry ``details`` (what the team may see of the run), stored with it."""
        raise ModeUnavailable()

    def page_text(self, challenge, phase=None) -> PageText:
        """What the submit page says; ``phase`` for modes configured per phase."""
        raise NotImplementedError
