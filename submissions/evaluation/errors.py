"""Every problem the evaluation finds, each with a stable code and a message.

Messages are shown to participants: they name the line, the byte or the id
the participant sent, and never a traceback or an expected value of the
answer key.
"""

from collections import Counter

from django.utils.encoding import force_str
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from league.errors import RuleViolation, Violation
from submissions.code_rules import VERDICT_LABELS, stored_detail_text

# A file with a problem on every line would otherwise bury the first ones.
MAX_EXAMPLES = 5
MAX_SHOWN_CHARS = 40

MESSAGES = {
    # The file as a whole.
    "empty_file": _("The file is empty."),
    "utf16_bom": _(
        "The file is saved as %(encoding)s. Save it as UTF-8 instead "
        "(in Excel: “CSV UTF-8 (comma delimited)”)."
    ),
    "binary_file": _(
        "The file is not text: it holds a NUL byte at byte offset %(offset)s. If it is an Excel "
        "workbook, an archive or a UTF-16 file, export it as CSV in UTF-8."
    ),
    "html_file": _(
        "The file is an HTML or XML page, not a CSV file. Perhaps a web page was saved "
        "instead of the file itself."
    ),
    "wrong_encoding": _(
        "Line %(line)s is not valid UTF-8 (at byte offset %(offset)s). Save the file as UTF-8."
    ),
    "line_too_long": ngettext_lazy(
        "Line %(line)s is longer than %(limit)s byte; this is not a CSV file of predictions.",
        "Line %(line)s is longer than %(limit)s bytes; this is not a CSV file of predictions.",
        "limit",
    ),
    "malformed_csv": _(
        'Line %(line)s cannot be read as CSV: a value there opens a double quote (") '
        "that never closes."
    ),
    "too_many_rows": ngettext_lazy(
        "The file has more than %(limit)s row.",
        "The file has more than %(limit)s rows.",
        "limit",
    ),
    # The header.
    "missing_header": _(
        "The first line must be the header “%(expected)s”, but it already holds data "
        "(“%(found)s”). Add the header as the first line."
    ),
    "wrong_header": _("The first line must be the header “%(expected)s”; found “%(found)s”."),
    "wrong_delimiter": _(
        "The columns are separated by “%(delimiter)s”; separate them with commas, as in "
        "“%(expected)s”."
    ),
    # One line.
    "wrong_column_count": ngettext_lazy(
        "Line %(line)s should have %(expected_count)s column (%(expected)s) but has "
        "%(found)s. Put a value that contains a comma in double quotes.",
        "Line %(line)s should have %(expected_count)s columns (%(expected)s) but has "
        "%(found)s. Put a value that contains a comma in double quotes.",
        "expected_count",
    ),
    "missing_id": _("Line %(line)s has no id."),
    "duplicate_ids": _("Line %(line)s: the id “%(id)s” already appeared on line %(first_line)s."),
    "unknown_ids": _("Line %(line)s: the id “%(id)s” is not in the test set."),
    "missing_value": _("Line %(line)s has no prediction."),
    "non_numeric_value": _("Line %(line)s: “%(value)s” is not a number."),
    "nan_value": _(
        "Line %(line)s: “%(value)s” marks a missing number; every row needs a finite number."
    ),
    "infinite_value": _("Line %(line)s: “%(value)s” is infinite; every row needs a finite number."),
    "out_of_range": _("Line %(line)s: “%(value)s” is not a probability between 0 and 1."),
    "unknown_label": _(
        "Line %(line)s: “%(value)s” is not one of the classes of the answer key (%(classes)s); "
        "every row needs one of them, written exactly so."
    ),
    "more_lines": ngettext_lazy(
        "…and %(count)s more line with the same problem.",
        "…and %(count)s more lines with the same problem.",
        "count",
    ),
    # The file as a whole, against the answer key.
    "missing_ids": ngettext_lazy(
        "Your file lacks %(count)s id of the test set: %(examples)s.",
        "Your file lacks %(count)s ids of the test set, for example: %(examples)s.",
        "count",
    ),
    # The answer key (organizers see these when they upload it).
    "wrong_split": _("Line %(line)s: the split must be “public” or “private”; found “%(value)s”."),
    "missing_expected": _("Line %(line)s has no expected value."),
    "no_public_rows": _("The answer key has no public rows, so no public score can be computed."),
    "invalid_expected_value": _(
        "Line %(line)s of the answer key holds an expected value that the metric "
        "“%(metric)s” cannot use (%(problem)s)."
    ),
    # A program (code challenges) that gave no predictions to score.
    "program_unreadable": _("Your archive could not be unpacked safely; send it again."),
    "program_failed": _(
        "Your program stopped before writing its predictions: %(verdict)s "
        "(%(detail)s). Its output is shown below."
    ),
    "predictions_missing": _("Your program finished but did not write the file %(path)s."),
    # The metric.
    "unknown_metric": _("There is no metric “%(metric)s”; choose one of: %(names)s."),
    "single_class": _(
        "ROC AUC needs both classes, 0 and 1, among the expected values of each part of the "
        "answer key, but one part holds a single class. Please tell the organizers."
    ),
    "undefined_score": _(
        "The metric “%(metric)s” gives no finite score on one part of the answer key; "
        "that part may have too few rows. Please tell the organizers."
    ),
}


def _shown_params(params: dict) -> dict:
    """A run's verdict and detail are kept as codes (the detail with its
    values; in English text in older rows) and named in the reader's
    language."""
    shown = dict(params)
    if shown.get("verdict") in VERDICT_LABELS:
        shown["verdict"] = VERDICT_LABELS[shown["verdict"]]
    if "detail_code" in shown or "detail" in shown:
        shown["detail"] = stored_detail_text(params)
    return shown


def _interpolate(message, params: dict) -> str:
    # ``message % params`` rather than ``force_str(message) % params``: a
    # message with plural forms picks its form from the count in ``params``.
    return force_str(message % _shown_params(params))


# Interpolated when shown, so that a message found by a worker in one
# language is rendered in the language of whoever reads it.
_lazy_interpolate = lazy(_interpolate, str)


def violation(code: str, *, message_code: str | None = None, **params) -> Violation:
    return Violation(
        code,
        _lazy_interpolate(MESSAGES[message_code or code], params),
        params,
        message_code=message_code or "",
    )


def _plain(value):
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return force_str(value)


def stored_violations(violations) -> list[dict]:
    """Violations as stored with a failed submission: the message's code and
    its parameters, so that the reason is rendered in the reader's language."""
    return [
        {
            "code": v.message_code or v.code,
            "params": {key: _plain(value) for key, value in v.params.items()},
        }
        for v in violations
    ]


def stored_violations_text(stored: list[dict]) -> str | None:
    """The stored violations in the active language; None when one of them has
    no known message (then the text stored at the time is shown)."""
    parts = []
    for item in stored:
        message = MESSAGES.get(item.get("code"))
        if message is None:
            return None
        try:
            parts.append(_interpolate(message, item.get("params") or {}))
        except (KeyError, TypeError, ValueError):
            return None
    return " ".join(parts)


def excerpt(text: str) -> str:
    """Participant text as quoted in a message: short enough to read."""
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    return text[: MAX_SHOWN_CHARS - 1] + "…"


class EvaluationError(RuleViolation):
    """Every problem found in an answer key or a prediction file, not just the first."""

    code = "evaluation_failed"

    @property
    def codes(self) -> list[str]:
        return [v.code for v in self.violations]


class InvalidValue(ValueError):
    """One cell that a metric cannot use; the reader adds the line number."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


class Problems:
    """The problems found while reading a file: the first few of each code in
    full, the rest counted, so that one pass reports everything."""

    def __init__(self, limit: int = MAX_EXAMPLES):
        self.limit = limit
        self.stopped = False
        self._examples: dict[str, list[Violation]] = {}
        self._counts: Counter = Counter()

    def add(self, code: str, **params) -> None:
        self._counts[code] += 1
        if self._counts[code] <= self.limit:
            self._examples.setdefault(code, []).append(violation(code, **params))

    def stop(self, code: str, **params) -> None:
        """Record a problem after which reading on would only report noise."""
        self.add(code, **params)
        self.stopped = True

    def __bool__(self) -> bool:
        return bool(self._counts)

    def violations(self) -> list[Violation]:
        found = []
        for code, examples in self._examples.items():
            found.extend(examples)
            more = self._counts[code] - len(examples)
            if more:
                found.append(violation(code, message_code="more_lines", count=more))
        return found

    def raise_if_any(self) -> None:
        if self:
            raise EvaluationError(self.violations())
