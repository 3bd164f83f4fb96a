"""What a proposal PDF really is, judged by its structure, never by its name."""

import logging
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from league.errors import Violation

logger = logging.getLogger(__name__)
# The trailer may be followed by a little whitespace or junk from some writers.
TRAILER_WINDOW = 1024


@dataclass
class PdfFacts:
    pages: int | None = None
    violations: list[Violation] = field(default_factory=list)


def _not_a_pdf() -> Violation:
    return Violation(
        "pdf_not_a_pdf",
        _("The proposal is not a PDF: save or export it as PDF and send that file."),
    )


def _damaged() -> Violation:
    return Violation(
        "pdf_damaged",
        _(
            "The proposal PDF is damaged or incomplete (it may have been cut off while "
            "saving or uploading); export it again."
        ),
    )


def inspect_pdf(fileobj, *, size: int) -> PdfFacts:
    """A ``%PDF-`` header, an ``%%EOF`` trailer, a cross-reference table that
    parses and a page count; the file is left at offset 0."""
    fileobj.seek(0)
    if fileobj.read(5) != b"%PDF-":
        fileobj.seek(0)
        return PdfFacts(violations=[_not_a_pdf()])
    fileobj.seek(max(0, size - TRAILER_WINDOW))
    tail = fileobj.read(TRAILER_WINDOW)
    fileobj.seek(0)
    if b"%%EOF" not in tail:
        return PdfFacts(violations=[_damaged()])
    try:
        reader = PdfReader(fileobj, strict=True)
        if reader.is_encrypted:
            return PdfFacts(
                violations=[
                    Violation(
                        "pdf_encrypted",
                        _("The proposal PDF is password-protected; send it without a password."),
                    )
                ]
            )
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return PdfFacts(violations=[_damaged()])
    except Exception:  # a parser bug on hostile input is still a damaged file to us
        logger.warning("PDF parser failed on a proposal", exc_info=True)
        return PdfFacts(violations=[_damaged()])
    finally:
        fileobj.seek(0)
    if pages < 1:
        return PdfFacts(pages=0, violations=[_damaged()])
    return PdfFacts(pages=pages)


def minimal_pdf(pages: int = 1, *, title: str = "Proposal") -> bytes:
    """A small valid PDF with ``pages`` pages of one line of text each
    (the demo's sample proposal and the tests')."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i in range(pages):
        text = f"BT /F1 18 Tf 72 720 Td ({title} - page {i + 1}) Tj ET".encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
