"""Pure rules of review packages: what a version may hold, how many a team
may save, and the checklist a team (and later its judges) reads."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries

from league.errors import Violation
from submissions.models import DeploymentStage

# Saving a version spends no daily quota (a package is edited, not re-scored);
# this cap only keeps a runaway client from filling the storage.
MAX_PACKAGE_VERSIONS = 50

FORM_FIELDS = {
    "scenario": gettext_lazy("Scenario"),
    "industry": gettext_lazy("Industry"),
    "target_countries": gettext_lazy("Target countries"),
    "deployment_stage": gettext_lazy("Deployment stage"),
    "expected_impact": gettext_lazy("Expected impact"),
    "team_roles": gettext_lazy("Team roles"),
}


def video_link_violations(*, url: str) -> list[Violation]:
    """An optional link; if given, an https URL (judges open it from the site)."""
    if not url:
        return []
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        return [
            Violation(
                "video_link_invalid",
                _("The demo video link must be a full https:// address, for example %(example)s.")
                % {"example": "https://www.youtube.com/watch?v=…"},
            )
        ]
    return []


def form_violations(*, target_countries: list[str], deployment_stage: str) -> list[Violation]:
    found = []
    unknown = [code for code in target_countries if code not in countries]
    if unknown:
        found.append(
            Violation(
                "unknown_country",
                _("Not a country code: %(codes)s.") % {"codes": ", ".join(unknown)},
                {"codes": unknown},
            )
        )
    if deployment_stage and deployment_stage not in DeploymentStage.values:
        found.append(
            Violation(
                "invalid_choice",
                _("Choose a deployment stage among: %(stages)s.")
                % {"stages": ", ".join(DeploymentStage.values)},
            )
        )
    return found


def version_limit_violations(*, saved: int, limit: int = MAX_PACKAGE_VERSIONS) -> list[Violation]:
    if saved < limit:
        return []
    return [
        Violation(
            "package_version_limit",
            ngettext(
                "Your team has saved %(limit)s version of this package, the most a phase keeps.",
                "Your team has saved %(limit)s versions of this package, the most a phase keeps.",
                limit,
            )
            % {"limit": limit},
            {"max_versions": limit},
        )
    ]


def package_required_violations() -> list[Violation]:
    return [
        Violation(
            "package_required",
            _(
                "This challenge takes a package (proposal, links and a short form), not a "
                "single file: fill in the package form of this phase."
            ),
        )
    ]


def not_a_package_phase_violations() -> list[Violation]:
    return [
        Violation(
            "not_a_package_phase",
            _("This challenge takes files, not packages: upload your file instead."),
        )
    ]


@dataclass(frozen=True)
class CheckItem:
    code: str
    label: str
    passed: bool
    detail: str

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "label": self.label,
            "passed": self.passed,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Checklist:
    items: list[CheckItem]

    @property
    def ready(self) -> bool:
        """Ready for judging: every check passes."""
        return all(item.passed for item in self.items)

    def as_dict(self) -> dict:
        return {"ready_for_judging": self.ready, "items": [i.as_dict() for i in self.items]}


def checklist(
    *,
    proposal_pages: int | None,
    max_pages: int,
    video_url: str,
    archive_members: int | None,
    form: dict,
) -> Checklist:
    """Every automated check of a package version, passed or not, with what to fix.

    A stored proposal or archive already passed its structure and safety
    checks at saving; the page limit is checked again because organizers may
    change it."""
    items = []
    has_proposal = proposal_pages is not None
    items.append(
        CheckItem(
            "proposal_pdf",
            _("Proposal PDF"),
            has_proposal,
            _("A valid PDF.") if has_proposal else _("Missing: add your proposal as a PDF."),
        )
    )
    within = has_proposal and proposal_pages <= max_pages
    if has_proposal:
        pages_detail = ngettext(
            "%(pages)s page of at most %(limit)s.",
            "%(pages)s pages of at most %(limit)s.",
            proposal_pages,
        ) % {"pages": proposal_pages, "limit": max_pages}
        if not within:
            pages_detail += " " + _("Shorten the proposal.")
    else:
        pages_detail = _("No proposal yet.")
    items.append(CheckItem("proposal_pages", _("Pages within the limit"), within, pages_detail))
    video_ok = not video_link_violations(url=video_url)
    items.append(
        CheckItem(
            "video_link",
            _("Demo video link"),
            video_ok,
            (_("An https link.") if video_url else _("None given (optional)."))
            if video_ok
            else _("Not an https link; correct it."),
        )
    )
    items.append(
        CheckItem(
            "code_archive",
            _("Code archive"),
            True,
            ngettext(
                "Checked safe: %(count)s entry.",
                "Checked safe: %(count)s entries.",
                archive_members,
            )
            % {"count": archive_members}
            if archive_members is not None
            else _("None given (optional)."),
        )
    )
    missing = [str(label) for name, label in FORM_FIELDS.items() if not form.get(name)]
    items.append(
        CheckItem(
            "form_complete",
            _("Every form field filled"),
            not missing,
            _("Still empty: %(fields)s.") % {"fields": ", ".join(missing)}
            if missing
            else _("Complete."),
        )
    )
    return Checklist(items)
