"""The files participants handed in, as the site sends them back: always as a
download of an opaque type, or (a proposal PDF) inline under a policy that
lets it do nothing, never sniffed by the browser."""

from django.http import FileResponse


def download_response(submission, *, filename: str | None = None) -> FileResponse:
    """The submitted file as an attachment; ``filename`` replaces the team's
    own (judges of a blind review)."""
    return attachment_response(submission.file, filename=filename or submission.original_name)


def attachment_response(fieldfile, *, filename: str) -> FileResponse:
    """Any stored file a participant handed in, only ever as a download of
    an opaque type: the browser neither renders nor sniffs it."""
    response = FileResponse(
        fieldfile.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def proposal_response(version, *, filename: str | None = None) -> FileResponse:
    """A proposal PDF shown inline: a fixed PDF type the browser may not
    second-guess, and a policy that lets the page fetch, script and submit
    nothing, so a participant's file can never act as a page of the site.
    ``filename`` replaces the team's own (judges of a blind review)."""
    return pdf_inline_response(
        version.proposal, filename=filename or version.proposal_name or "proposal.pdf"
    )


def pdf_inline_response(fieldfile, *, filename: str) -> FileResponse:
    """Any stored PDF a participant handed in, shown inline as above."""
    response = FileResponse(
        fieldfile.open("rb"), as_attachment=False, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'none'; form-action 'none'; "
        "base-uri 'none'; frame-ancestors 'self'"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def archive_response(version, *, filename: str | None = None) -> FileResponse:
    return attachment_response(
        version.archive, filename=filename or version.archive_name or "code.zip"
    )
