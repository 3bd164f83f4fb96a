"""Why a submission failed, in the reader's language: a failure of the
platform by its code, a file's problems from their stored codes and values."""

from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from submissions.evaluation.errors import stored_violations_text

# Participant-safe reasons for failures that are not the file's fault,
# by error code; rendered in the reader's language.
PLATFORM_FAILURES = {
    # No number of seconds: the limit is the evaluation workers' setting,
    # which the web process showing this message need not share.
    "time_limit": _(
        "The evaluation went past its time limit and was stopped. "
        "This submission does not count against your quota."
    ),
    "internal_error": ngettext_lazy(
        "The evaluation failed on our side %(attempts)s time; the organizers have been told. "
        "This submission does not count against your quota.",
        "The evaluation failed on our side %(attempts)s times; the organizers have been told. "
        "This submission does not count against your quota.",
        "attempts",
    ),
    "interrupted": ngettext_lazy(
        "The evaluation was interrupted %(attempts)s time; the organizers have been told. "
        "This submission does not count against your quota.",
        "The evaluation was interrupted %(attempts)s times; the organizers have been told. "
        "This submission does not count against your quota.",
        "attempts",
    ),
    "sandbox_unavailable": ngettext_lazy(
        "Your program could not be run: the platform's sandbox failed %(attempts)s time. "
        "The organizers have been told. This submission does not count against your quota.",
        "Your program could not be run: the platform's sandbox failed %(attempts)s times. "
        "The organizers have been told. This submission does not count against your quota.",
        "attempts",
    ),
    "out_of_memory": _(
        "The evaluation ran out of memory and was stopped; the organizers have been told. "
        "This submission does not count against your quota."
    ),
    "no_answer_key": _(
        "This phase has no answer key yet; the organizers will re-run the evaluation. "
        "This submission does not count against your quota."
    ),
}


def failure_message(*, code: str, stored: str, attempts: int, params: dict | None = None) -> str:
    """A failure's reason in the active language: a platform failure by its
    code, a file's problems from their stored codes and values; otherwise
    (older rows, messages without a stored form) the English text stored."""
    template = PLATFORM_FAILURES.get(code)
    if template is None:
        violations = (params or {}).get("violations")
        if violations:
            return stored_violations_text(violations) or stored
        return stored
    # ``template % params`` picks the plural form from the count in ``params``.
    return force_str(template % {"attempts": attempts})
