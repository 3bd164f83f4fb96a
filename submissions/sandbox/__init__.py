"""Running participants' programs in a bubblewrap sandbox, and judging them.

Django-free: the evaluation mode for code challenges calls it with paths,
limits and test cases.
"""

from submissions.sandbox.judge import (
    Comparison,
    JudgeResult,
    TestCase,
    TestOutcome,
    TestVerdict,
    compare_output,
    judge_tests,
    verdict_for_test,
)
from submissions.sandbox.runner import (
    collect_output_file,
    run_program,
    runtime_description,
    sandbox_available,
)
from submissions.sandbox.terms import (
    INPUTS_DIR,
    OUTPUT_DIR,
    PROGRAM_DIR,
    DetailCode,
    Limits,
    OutputFileError,
    RunResult,
    SandboxFailure,
    SandboxUnavailable,
    Verdict,
)

__all__ = [
    "INPUTS_DIR",
    "OUTPUT_DIR",
    "PROGRAM_DIR",
    "Comparison",
    "DetailCode",
    "JudgeResult",
    "Limits",
    "OutputFileError",
    "RunResult",
    "SandboxFailure",
    "SandboxUnavailable",
    "TestCase",
    "TestOutcome",
    "TestVerdict",
    "Verdict",
    "collect_output_file",
    "compare_output",
    "judge_tests",
    "run_program",
    "runtime_description",
    "sandbox_available",
    "verdict_for_test",
]
