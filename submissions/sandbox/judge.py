"""Online-judge rules (pure): compare a program's output with the expected one,
and score a run over test cases.

Scoring rule: every test has a weight (1 by default). A test outside any group
earns its weight when accepted. The tests of one group earn the sum of their
weights only when every one of them is accepted (all or nothing). The score is
the earned weight over the total weight, as a percentage in [0, 100].
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from submissions.sandbox.terms import RunResult, Verdict


class Comparison(StrEnum):
    # Byte for byte, except that CRLF counts as LF and a final newline is optional.
    EXACT = "exact"
    # The same whitespace-separated tokens (spacing and line breaks do not matter).
    TOKENS = "tokens"
    # As TOKENS, but numbers match within an absolute or relative tolerance.
    FLOAT = "float"


class TestVerdict(StrEnum):
    __test__ = False  # not a pytest test class

    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    RUNTIME_ERROR = "runtime_error"
    OUTPUT_LIMIT = "output_limit"


@dataclass(frozen=True)
class TestCase:
    """A hidden test: never shown to participants (only its name and group)."""

    __test__ = False

    name: str
    input: bytes
    expected: bytes
    group: str = ""  # "" : scored alone
    weight: float = 1.0
    comparison: Comparison = Comparison.TOKENS
    tolerance: float = 1e-6


@dataclass(frozen=True)
class TestOutcome:
    """What a participant may see about one test."""

    name: str
    group: str
    verdict: TestVerdict
    wall_seconds: float
    cpu_seconds: float
    stdout_head: str
    stderr_head: str
    detail_code: str  # why the run stopped (runner.DetailCode), "" if it finished
    detail_values: dict


@dataclass(frozen=True)
class JudgeResult:
    tests: tuple[TestOutcome, ...]
    score: float  # 0..100
    passed: int


def _normalised(data: bytes) -> bytes:
    data = data.replace(b"\r\n", b"\n")
    return data[:-1] if data.endswith(b"\n") else data


def _float(token: bytes) -> float | None:
    try:
        value = float(token)
    except ValueError:
        return None
    return value


def _tokens_match(expected: bytes, actual: bytes, tolerance: float) -> bool:
    if expected == actual:
        return True
    want, got = _float(expected), _float(actual)
    if want is None or got is None or math.isnan(want) or math.isnan(got):
        return False
    if math.isinf(want) or math.isinf(got):
        return want == got
    return abs(want - got) <= tolerance or abs(want - got) <= tolerance * abs(want)


def compare_output(
    expected: bytes,
    actual: bytes,
    *,
    mode: Comparison | str = Comparison.TOKENS,
    tolerance: float = 1e-6,
) -> bool:
    mode = Comparison(mode)
    if mode == Comparison.EXACT:
        return _normalised(expected) == _normalised(actual)
    want, got = expected.split(), actual.split()
    if len(want) != len(got):
        return False
    if mode == Comparison.TOKENS:
        return want == got
    return all(_tokens_match(w, g, tolerance) for w, g in zip(want, got, strict=True))


_FROM_RUN = {
    Verdict.TIME_LIMIT: TestVerdict.TIME_LIMIT,
    Verdict.MEMORY_LIMIT: TestVerdict.MEMORY_LIMIT,
    Verdict.RUNTIME_ERROR: TestVerdict.RUNTIME_ERROR,
    Verdict.OUTPUT_LIMIT: TestVerdict.OUTPUT_LIMIT,
}


def verdict_for_test(case: TestCase, run: RunResult) -> TestVerdict:
    if run.verdict != Verdict.OK:
        return _FROM_RUN[run.verdict]
    if compare_output(case.expected, run.stdout, mode=case.comparison, tolerance=case.tolerance):
        return TestVerdict.ACCEPTED
    return TestVerdict.WRONG_ANSWER


def judge_tests(
    cases: Sequence[TestCase], results: Sequence[RunResult], *, head_chars: int = 2000
) -> JudgeResult:
    """A verdict per test and the score (see the module's rule)."""
    if len(cases) != len(results):
        raise ValueError("one run result per test case")
    outcomes = tuple(
        TestOutcome(
            name=case.name,
            group=case.group,
            verdict=verdict_for_test(case, run),
            wall_seconds=run.wall_seconds,
            cpu_seconds=run.cpu_seconds,
            stdout_head=run.stdout_head(head_chars),
            stderr_head=run.stderr_head(head_chars),
            detail_code=run.detail_code,
            detail_values=run.detail_values,
        )
        for case, run in zip(cases, results, strict=True)
    )
    total = sum(case.weight for case in cases)
    failed_groups = {
        case.group
        for case, outcome in zip(cases, outcomes, strict=True)
        if case.group and outcome.verdict != TestVerdict.ACCEPTED
    }
    earned = sum(
        case.weight
        for case, outcome in zip(cases, outcomes, strict=True)
        if outcome.verdict == TestVerdict.ACCEPTED and case.group not in failed_groups
    )
    passed = sum(outcome.verdict == TestVerdict.ACCEPTED for outcome in outcomes)
    score = round(100.0 * earned / total, 6) if total > 0 else 0.0
    return JudgeResult(tests=outcomes, score=score, passed=passed)
