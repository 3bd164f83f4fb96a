"""Pure rules of code challenges: what a program archive must hold, what a
code phase needs before it takes entries. Every broken rule, each with a
stable code and a translatable message."""

import re
from collections.abc import Mapping
from pathlib import PurePosixPath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from league.errors import Violation
from submissions.sandbox import DetailCode

DEFAULT_ENTRY_POINT = "main.py"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
MAX_COMPONENT = 100
MAX_DEPTH = 12


def sanitized_path(name: str) -> str | None:
    """A relative path made only of safe characters, or None for a name that
    cannot be one (empty, ``.``/``..`` only, absolute, too deep)."""
    normalised = (name or "").replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return None
    parts = [p for p in normalised.split("/") if p not in ("", ".")]
    if not parts or ".." in parts or len(parts) > MAX_DEPTH:
        return None
    return "/".join(_UNSAFE.sub("_", part)[:MAX_COMPONENT] for part in parts)


def entry_point_violations(entry_point: str) -> list[Violation]:
    path = sanitized_path(entry_point)
    if path is None or not path.endswith(".py") or path != entry_point.replace("\\", "/"):
        return [
            Violation(
                "entry_point_invalid",
                _(
                    "The entry point “%(entry)s” must be a .py file inside the archive, such as "
                    "“main.py” or “src/run.py” (letters, digits, dot, dash and underscore)."
                )
                % {"entry": entry_point},
            )
        ]
    return []


def program_name_violations(*, names: list[str], entry_point: str) -> list[Violation]:
    """A program archive's member names (already safe) against the entry point."""
    found = entry_point_violations(entry_point)
    seen: dict[str, str] = {}
    for name in names:
        clean = sanitized_path(name)
        if clean is None:
            continue
        if clean in seen:
            found.append(
                Violation(
                    "archive_name_clash",
                    _("“%(first)s” and “%(second)s” would land in the same file.")
                    % {"first": seen[clean], "second": name},
                )
            )
        seen[clean] = name
    if not found and entry_point not in seen:
        found.append(
            Violation(
                "entry_point_missing",
                _(
                    "The archive has no “%(entry)s”. Put your program there, or name the file "
                    "to run as the entry point."
                )
                % {"entry": entry_point},
                {"entry_point": entry_point},
            )
        )
    return found


def tar_violations(members, *, limits) -> list[Violation]:
    """``members``: (name, is a file or folder, size) of a tar, or None if unreadable."""
    if members is None:
        return [Violation("archive_unreadable", _("The archive is not a readable tar file."))]
    found = []
    if len(members) > limits.max_members:
        found.append(
            Violation(
                "archive_too_many_members",
                _("The archive holds %(count)s entries; the limit is %(limit)s.")
                % {"count": len(members), "limit": limits.max_members},
            )
        )
    for name, regular, _size in members:
        if not regular:
            found.append(
                Violation(
                    "archive_link",
                    _(
                        "“%(name)s” is a link or a special file; archives may hold only files "
                        "and folders."
                    )
                    % {"name": name},
                )
            )
        elif sanitized_path(name) is None and PurePosixPath(name).parts not in ((), (".",)):
            found.append(
                Violation(
                    "archive_parent_path",
                    _("“%(name)s” is an absolute path or climbs out of the archive.")
                    % {"name": name},
                )
            )
    if sum(size for _name, _regular, size in members) > limits.max_total_bytes:
        found.append(
            Violation(
                "archive_too_large",
                _("Unpacked, the archive would exceed %(limit)s MB.")
                % {"limit": limits.max_total_bytes // 1048576},
            )
        )
    return found


def code_task_violations(
    *,
    has_task: bool,
    kind: str | None,
    public_tests: int,
    private_tests: int,
    has_hidden_inputs: bool,
    has_answer_key: bool,
    higher_is_better: bool,
) -> list[Violation]:
    """What a code phase still lacks before it can take programs."""
    if not has_task:
        return [
            Violation(
                "code_task_missing",
                _(
                    "This phase cannot take programs yet: the organizers have not set up how "
                    "they run. Nothing was stored and no quota was spent; try again later."
                ),
            )
        ]
    found = []
    if kind == "tests":
        if public_tests + private_tests == 0:
            found.append(
                Violation(
                    "code_tests_missing",
                    _("This phase cannot take programs yet: it has no test cases."),
                )
            )
        elif public_tests == 0:
            found.append(
                Violation(
                    "code_public_tests_missing",
                    _(
                        "This phase cannot take programs yet: it has no public test case, so "
                        "no public score can be computed."
                    ),
                )
            )
        if not higher_is_better:
            found.append(
                Violation(
                    "code_metric_direction",
                    _(
                        "Test cases give a score from 0 to 100 where higher is better, but the "
                        "challenge's metric ranks lower scores first; choose a metric where "
                        "higher is better (for example accuracy)."
                    ),
                )
            )
    else:
        if not has_hidden_inputs:
            found.append(
                Violation(
                    "code_inputs_missing",
                    _("This phase cannot take programs yet: it has no hidden inputs."),
                )
            )
        if not has_answer_key:
            found.append(
                Violation(
                    "answer_key_missing",
                    _(
                        "This phase cannot take programs yet: the organizers have not uploaded "
                        "its answer key. Nothing was stored and no quota was spent; try again "
                        "later."
                    ),
                )
            )
    return found


# The verdicts a team sees per run: the online judge's, and "ok" for a
# predictions run that finished.
VERDICT_LABELS = {
    "ok": _("Finished"),
    "accepted": _("Accepted"),
    "wrong_answer": _("Wrong answer"),
    "time_limit": _("Time limit exceeded"),
    "memory_limit": _("Memory limit exceeded"),
    "runtime_error": _("Runtime error"),
    "output_limit": _("Output limit exceeded"),
}

# Why a run stopped, as the sandbox names it: a code (runner.DetailCode) and
# its values, worded here in the reader's language (the runner runs without
# Django).
DETAIL_MESSAGES = {
    DetailCode.WALL_TIME: _("wall-clock time over %(seconds)s s"),
    DetailCode.CPU_TIME: _("CPU time over %(seconds)s s"),
    DetailCode.MEMORY: _("memory over %(size)s"),
    DetailCode.STDOUT: _("standard output over %(size)s"),
    DetailCode.STDERR: _("standard error output over %(size)s"),
    DetailCode.FILE_SIZE: _("a file over %(size)s"),
    DetailCode.OUTPUT_FILE: _("the file %(name)s over %(size)s"),
    DetailCode.SIGNAL: _("stopped by the signal %(signal)s"),
    DetailCode.EXIT_CODE: _("exit code %(code)s"),
    DetailCode.SANDBOX_ENDED: _("the program brought the sandbox down"),
}


def _shown_values(values: Mapping) -> dict:
    shown = dict(values)
    if "seconds" in shown:
        shown["seconds"] = f"{float(shown['seconds']):g}"
    if "bytes" in shown:
        shown["size"] = filesizeformat(int(shown["bytes"]))
    return shown


def detail_text(code: str, values: Mapping | None = None) -> str:
    """Why a run stopped, from the runner's detail code and values, in the
    active language; "" for a run that finished, the code itself for a code
    this release does not know (one added to the runner later)."""
    if not code:
        return ""
    message = DETAIL_MESSAGES.get(code)
    if message is None:
        return code
    try:
        return str(message) % _shown_values(values or {})
    except (KeyError, TypeError, ValueError):
        return code


def stored_detail_text(stored: Mapping) -> str:
    """The detail of a run as stored with a submission (a test's entry of its
    ``details``, or the values of a ``program_failed`` reason) in the active
    language: from ``detail_code`` and ``detail_values``, or, for a row stored
    before the runner gave codes, from its English ``detail``."""
    if "detail_code" in stored:
        return detail_text(stored["detail_code"], stored.get("detail_values"))
    return old_detail_text(stored.get("detail") or "")


# The English text the runner wrote as a run's detail before it gave codes,
# each form with the code it stands for. Read only for rows stored then.
_OLD_DETAIL_FORMS = (
    (r"wall time over (?P<seconds>[\d.]+) s", DetailCode.WALL_TIME),
    (r"CPU time over (?P<seconds>[\d.]+) s", DetailCode.CPU_TIME),
    (r"memory over (?P<bytes>\d+) bytes", DetailCode.MEMORY),
    (r"stdout over (?P<bytes>\d+) bytes", DetailCode.STDOUT),
    (r"stderr over (?P<bytes>\d+) bytes", DetailCode.STDERR),
    (r"a file over (?P<bytes>\d+) bytes", DetailCode.FILE_SIZE),
    (r"(?P<name>\S+) over (?P<bytes>\d+) bytes", DetailCode.OUTPUT_FILE),
    (r"killed by (?P<signal>SIG\w+)", DetailCode.SIGNAL),
    (r"exit code (?P<code>-?\d+)", DetailCode.EXIT_CODE),
    (r"the program ended the sandbox", DetailCode.SANDBOX_ENDED),
)
OLD_DETAIL_FORMS = tuple((re.compile(pattern), code) for pattern, code in _OLD_DETAIL_FORMS)


def old_detail_text(detail: str) -> str:
    """Only the fallback for rows stored before the runner gave a detail code,
    whose detail is the runner's English text ("exit code 1"): a form it wrote
    then is worded as ``detail_text`` words its code; text of any other form
    is shown as written. Rows stored since carry ``detail_code`` and
    ``detail_values`` and never come here: the runner's text is not parsed."""
    for pattern, code in OLD_DETAIL_FORMS:
        match = pattern.fullmatch(detail)
        if match:
            return detail_text(code, match.groupdict())
    return detail
