"""Code run in the bubblewrap sandbox (talent discovery, some bottleneck challenges).

A team hands in a Python program: one ``.py`` file (run as ``main.py``) or a
``.zip`` with an entry point (``main.py`` unless it names another). The
phase's ``CodeTask`` says how it runs:

- ``tests`` (online judge): the program runs once per test case, the test's
  input on stdin; its stdout is compared with the expected output. The
  public score comes from the public tests, the private score from the
  private ones (``sandbox.judge_tests``: 0 to 100).
- ``predictions``: the program runs once, finds the hidden inputs in
  ``/sandbox/inputs`` and writes ``/sandbox/output/predictions.csv``, which
  is scored against the answer key exactly like a prediction file.

Whose fault is what. A program that fails a test (wrong answer, runtime
error, time, memory or output limit) is scored: that test earns nothing,
and a program failing every test scores 0. A predictions run that does not
finish or writes no (valid) predictions file fails as a broken prediction
file does: the file's fault, it spends quota. The sandbox missing or failing
(``SandboxUnavailable``, ``SandboxFailure``) is the platform's: retried,
then failed without spending quota. Code never runs unsandboxed.
"""

import dataclasses
import logging
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from league.errors import Violation
from league.metrics import higher_is_better
from league.models import EvaluationMode
from submissions import code_rules
from submissions.code_files import (
    is_archive,
    program_violations,
    unpack_inputs,
    unpack_program,
)
from submissions.evaluation.errors import EvaluationError, violation
from submissions.evaluation.scoring import Scores, score_predictions
from submissions.models import AnswerKey, CodeTask, CodeTaskKind, TestSplit
from submissions.modes.base import EvaluationModeHandler, PageText
from submissions.sandbox import (
    INPUTS_DIR,
    OUTPUT_DIR,
    Limits,
    OutputFileError,
    RunResult,
    SandboxUnavailable,
    TestCase,
    collect_output_file,
    judge_tests,
    run_program,
    runtime_description,
    sandbox_available,
)

logger = logging.getLogger(__name__)

PREDICTIONS_FILE = "predictions.csv"
HEAD_CHARS = 2000
TESTS_EXAMPLE = "import sys\n\nfor line in sys.stdin:\n    print(sum(map(int, line.split())))\n"
MIB = 1024 * 1024


def limits_for(task: CodeTask) -> Limits:
    output = task.output_mb * MIB
    return Limits(
        wall_seconds=task.wall_seconds,
        cpu_seconds=task.wall_seconds,
        memory_bytes=task.memory_mb * MIB,
        stdout_bytes=output,
        file_bytes=output,
        tmp_bytes=max(Limits.tmp_bytes, output),
    )


def _shown(text: str) -> str:
    """Output as stored in JSON: PostgreSQL's jsonb refuses NUL characters."""
    return text.replace("\x00", "\ufffd")


def _run_entry(*, name: str, group: str, split: str, verdict: str, run: RunResult) -> dict:
    return {
        "name": name,
        "group": group,
        "split": split,
        "verdict": str(verdict),
        "wall_seconds": run.wall_seconds,
        "cpu_seconds": run.cpu_seconds,
        "stdout_head": _shown(run.stdout_head(HEAD_CHARS)),
        "stderr_head": _shown(run.stderr_head(HEAD_CHARS)),
        "detail_code": str(run.detail_code),
        "detail_values": run.detail_values,
    }


def _sandbox_case(case) -> TestCase:
    return TestCase(
        name=case.name,
        input=b"",
        expected=case.expected_output.encode(),
        group=case.group,
        weight=case.weight,
        comparison=case.comparison,
        tolerance=case.tolerance,
    )


def _stdin_of(case) -> bytes:
    if case.input_file:
        with case.input_file.open("rb") as source:
            return source.read()
    return case.input_text.encode()


class CodeMode(EvaluationModeHandler):
    name = EvaluationMode.CODE
    label = gettext_lazy("Code run in a sandbox")
    default_extensions = (".py", ".zip")

    def allowed_extensions(self, challenge) -> list[str]:
        """A program is a .py file or a .zip, whatever the challenge lists for other modes."""
        return list(self.default_extensions)

    def intake_violations(self, *, upload, challenge, phase) -> list[Violation]:
        ok, reason = sandbox_available()
        if ok:
            return []
        logger.error("code submission refused: the sandbox is unavailable: %s", reason)
        return [
            Violation(
                "sandbox_unavailable",
                _(
                    "Programs cannot run on the platform right now: its sandbox is unavailable. "
                    "The organizers have been told. Nothing was stored and no quota was spent."
                ),
            )
        ]

    def program_entry(self, *, upload, name: str, declared: str):
        if not is_archive(name):
            return code_rules.DEFAULT_ENTRY_POINT, []
        entry = (declared or "").strip() or code_rules.DEFAULT_ENTRY_POINT
        return entry, program_violations(upload, entry_point=entry)

    def configuration_violations(self, *, phase) -> list[Violation]:
        task = CodeTask.objects.filter(phase_id=phase.pk).first()
        splits = list(task.test_cases.values_list("split", flat=True)) if task else []
        return code_rules.code_task_violations(
            has_task=task is not None,
            kind=task.kind if task else None,
            public_tests=splits.count(TestSplit.PUBLIC),
            private_tests=splits.count(TestSplit.PRIVATE),
            has_hidden_inputs=bool(task and task.hidden_inputs),
            has_answer_key=AnswerKey.objects.filter(phase_id=phase.pk).exists(),
            higher_is_better=higher_is_better(phase.challenge.metric),
        )

    def evaluate(self, submission) -> Scores:
        task = CodeTask.objects.get(phase_id=submission.phase_id)
        with tempfile.TemporaryDirectory(prefix="league-code-") as scratch_name:
            scratch = Path(scratch_name)
            with submission.file.open("rb") as stored:
                try:
                    unpack_program(
                        stored_file=stored,
                        original_name=submission.original_name,
                        target=scratch / "program",
                    )
                except ValueError as exc:
                    raise EvaluationError([violation("program_unreadable")]) from exc
            inputs_dir = None
            if task.hidden_inputs:
                inputs_dir = scratch / "inputs"
                with task.hidden_inputs.open("rb") as inputs:
                    unpack_inputs(fileobj=inputs, name=task.hidden_inputs.name, target=inputs_dir)
            run = dict(
                program_dir=scratch / "program",
                entry=submission.entry_point or code_rules.DEFAULT_ENTRY_POINT,
                inputs_dir=inputs_dir,
                limits=limits_for(task),
            )
            if task.kind == CodeTaskKind.TESTS:
                return self._judge(task, scratch, run)
            return self._predict(submission, scratch, run)

    def _judge(self, task: CodeTask, scratch: Path, run: dict) -> Scores:
        cases = list(task.test_cases.all())
        results = [
            run_program(**run, stdin=_stdin_of(case), workdir=scratch / f"run-{n}")
            for n, case in enumerate(cases)
        ]
        judged = judge_tests([_sandbox_case(c) for c in cases], results, head_chars=HEAD_CHARS)

        def score(split: str) -> float | None:
            chosen = [n for n, case in enumerate(cases) if case.split == split]
            if not chosen:
                return None
            return judge_tests(
                [_sandbox_case(cases[n]) for n in chosen], [results[n] for n in chosen]
            ).score

        tests = [
            _run_entry(
                name=case.name,
                group=case.group,
                split=case.split,
                verdict=outcome.verdict,
                run=result,
            )
            for case, outcome, result in zip(cases, judged.tests, results, strict=True)
        ]
        return Scores(
            public=score(TestSplit.PUBLIC) or 0.0,
            private=score(TestSplit.PRIVATE),
            rows=len(cases),
            details={"kind": CodeTaskKind.TESTS.value, "tests": tests},
        )

    def _predict(self, submission, scratch: Path, run: dict) -> Scores:
        result = run_program(**run, stdin=None, workdir=scratch / "run", collect=PREDICTIONS_FILE)
        details = {
            "kind": CodeTaskKind.PREDICTIONS.value,
            "tests": [
                _run_entry(
                    name=PREDICTIONS_FILE,
                    group="",
                    split=TestSplit.PUBLIC,
                    verdict=result.verdict,
                    run=result,
                )
            ],
        }
        try:
            output = collect_output_file(result)
        except OutputFileError as exc:
            error = EvaluationError([self._no_predictions(result)])
            error.run_details = details
            raise error from exc
        answer_key = AnswerKey.objects.get(phase_id=submission.phase_id)
        with answer_key.file.open("rb") as key_file, open(output, "rb") as predictions:
            try:
                scores = score_predictions(
                    answer_key_file=key_file,
                    prediction_file=predictions,
                    metric_name=submission.phase.challenge.metric,
                )
            except EvaluationError as exc:
                exc.run_details = details
                raise
        return dataclasses.replace(scores, details=details)

    @staticmethod
    def _no_predictions(result: RunResult) -> Violation:
        """Stored as codes and values (errors.MESSAGES): the reason reads in
        the language of whoever looks, not the worker's."""
        if result.verdict != "ok":
            return violation(
                "program_failed",
                verdict=str(result.verdict),
                detail_code=str(result.detail_code),
                detail_values=result.detail_values,
            )
        return violation("predictions_missing", path=f"{OUTPUT_DIR}/{PREDICTIONS_FILE}")

    def page_text(self, challenge, phase=None) -> PageText:
        try:
            runtime = runtime_description()["text"]
        except SandboxUnavailable:
            runtime = _("unavailable at the moment (the organizers have been told)")
        task = CodeTask.objects.filter(phase_id=phase.pk).first() if phase else None
        parts = [
            _(
                "A Python program: one .py file, or a .zip archive whose entry point is "
                "“main.py” unless you name another. It runs with %(runtime)s, without network."
            )
            % {"runtime": runtime}
        ]
        if task is not None:
            parts.append(
                _(
                    "Limits per run: %(seconds)s s of time, %(memory)s MB of memory, "
                    "%(output)s MB of output."
                )
                % {
                    "seconds": task.wall_seconds,
                    "memory": task.memory_mb,
                    "output": task.output_mb,
                }
            )
            if task.kind == CodeTaskKind.TESTS:
                parts.append(
                    _(
                        "It runs once per test case: read the test's input from standard input "
                        "and print the answer to standard output. You see each test's verdict, "
                        "time and the beginning of your output, never the tests themselves."
                    )
                )
                example = (
                    "import sys\n\nfor line in sys.stdin:\n    print(sum(map(int, line.split())))\n"
                )
            else:
                parts.append(
                    _(
                        "It runs once: read the input files in %(inputs)s (read-only) and write "
                        "%(output)s, a CSV with the header “id,prediction”, scored like a "
                        "prediction file."
                    )
                    % {"inputs": INPUTS_DIR, "output": f"{OUTPUT_DIR}/{PREDICTIONS_FILE}"}
                )
                example = ""
            return PageText(hint=" ".join(parts), example=example)
        return PageText(hint=" ".join(parts))
