"""Review packages (industrial innovation): judged by experts, never scored
automatically. The checks here only tell the team what to fix."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from league.errors import Violation
from league.models import EvaluationMode
from submissions import rules
from submissions.archives import ArchiveLimits, archive_violations
from submissions.modes.base import EvaluationModeHandler, PageText
from submissions.pdfs import PdfFacts, inspect_pdf

# A code archive is there for judges to read, not to run: a few thousand files
# and half a gigabyte unpacked are plenty; a higher ratio than 100:1 is a bomb.
ARCHIVE_LIMITS = ArchiveLimits(max_members=5000, max_total_bytes=512 * 1024**2, max_ratio=100)


class ReviewMode(EvaluationModeHandler):
    name = EvaluationMode.REVIEW
    label = gettext_lazy("Expert review only")
    default_extensions = (".pdf",)
    queued_for_evaluation = False
    takes_packages = True

    def allowed_extensions(self, challenge) -> list[str]:
        """The proposal is a PDF whatever the challenge lists for other modes."""
        return list(self.default_extensions)

    def inspect_proposal(self, *, upload, challenge) -> PdfFacts:
        """Name, size, structure and page count of a proposal PDF."""
        problems = rules.file_violations(
            name=upload.name or "",
            size=upload.size,
            allowed=self.allowed_extensions(challenge),
            max_bytes=challenge.max_file_size_bytes,
        )
        if problems:
            return PdfFacts(violations=problems)
        facts = inspect_pdf(upload, size=upload.size)
        if facts.pages is not None and not facts.violations:
            facts.violations = rules.proposal_page_violations(
                pages=facts.pages, max_pages=challenge.max_proposal_pages
            )
        return facts

    def intake_violations(self, *, upload, challenge, phase) -> list[Violation]:
        return self.inspect_proposal(upload=upload, challenge=challenge).violations

    def archive_violations(self, *, upload, challenge) -> list[Violation]:
        problems = rules.file_violations(
            name=upload.name or "",
            size=upload.size,
            allowed=[".zip"],
            max_bytes=challenge.max_file_size_bytes,
        )
        if problems:
            return problems
        return archive_violations(
            upload,
            max_members=ARCHIVE_LIMITS.max_members,
            max_total_bytes=ARCHIVE_LIMITS.max_total_bytes,
            max_ratio=ARCHIVE_LIMITS.max_ratio,
        )

    def page_text(self, challenge, phase=None) -> PageText:
        return PageText(
            hint=_(
                "A package: your proposal as a PDF (at most %(pages)s pages and %(size)s MB), "
                "optionally an https link to a demo video and your code as a .zip archive, "
                "and a short form about the scenario. Save as often as you like: each save "
                "is a new version, and the last version saved before the deadline is the "
                "one the judges read."
            )
            % {"pages": challenge.max_proposal_pages, "size": challenge.max_file_size_mb}
        )
