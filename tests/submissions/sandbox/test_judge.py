"""Online-judge rules: comparing outputs and scoring test groups (pure)."""

import dataclasses

import pytest

from submissions.sandbox import RunResult, TestCase, Verdict, compare_output, judge_tests


@pytest.mark.parametrize(
    ("expected", "actual", "mode", "same"),
    [
        (b"1 2\n3\n", b"1 2\n3\n", "exact", True),
        (b"1 2\n3\n", b"1 2\r\n3", "exact", True),  # CRLF and the final newline
        (b"1 2\n3\n", b"1  2\n3\n", "exact", False),
        (b"1 2\n3\n", b"1 2\n3\n\n", "exact", False),
        (b"1 2\n3\n", b"1  2 3", "tokens", True),
        (b"1 2 3", b"1 2", "tokens", False),
        (b"1.0", b"1", "tokens", False),
        (b"yes 0.333333", b"yes 0.3333334", "float", True),  # |diff| = 4e-7 <= 1e-6
        (b"yes 0.333333", b"yes 0.333335", "float", False),  # |diff| = 2e-6
        (b"1000000", b"1000000.5", "float", True),  # relative: 5e-7 <= 1e-6
        (b"1e9", b"1000000001", "float", True),  # relative 1e-9
        (b"nan", b"nan", "float", True),  # the same token
        (b"1.5", b"nan", "float", False),
        (b"inf", b"1e308", "float", False),
        (b"yes", b"YES", "float", False),
    ],
)
def test_compare_output(expected, actual, mode, same):
    assert compare_output(expected, actual, mode=mode, tolerance=1e-6) is same


def test_a_looser_tolerance():
    assert compare_output(b"3.14159", b"3.14", mode="float", tolerance=0.01)
    assert not compare_output(b"3.14159", b"3.14", mode="float", tolerance=0.0001)


def _run(stdout: bytes = b"", verdict: Verdict = Verdict.OK) -> RunResult:
    return RunResult(
        verdict=verdict, exit_code=0, wall_seconds=0.1, cpu_seconds=0.05, stdout=stdout, stderr=b""
    )


def test_a_verdict_per_test_and_groups_score_all_or_nothing():
    cases = [
        TestCase(name="sample", input=b"1 2", expected=b"3"),  # alone, weight 1
        TestCase(name="small-1", input=b"", expected=b"5", group="small", weight=2),
        TestCase(name="small-2", input=b"", expected=b"7", group="small", weight=2),
        TestCase(name="big-1", input=b"", expected=b"9", group="big", weight=3),
        TestCase(name="big-2", input=b"", expected=b"11", group="big", weight=3),
        TestCase(name="extra", input=b"", expected=b"1", weight=1),
    ]
    results = [
        _run(b"3\n"),
        _run(b"5"),
        _run(b"7"),
        _run(b"9"),
        _run(verdict=Verdict.TIME_LIMIT),
        _run(b"2"),
    ]
    judged = judge_tests(cases, results)
    assert [t.verdict for t in judged.tests] == [
        "accepted",
        "accepted",
        "accepted",
        "accepted",
        "time_limit",
        "wrong_answer",
    ]
    # sample 1 + group small 4; group big fails as a whole; extra fails: 5 of 12.
    assert judged.score == pytest.approx(100 * 5 / 12)
    assert judged.passed == 4


@pytest.mark.parametrize(
    "verdict", [Verdict.MEMORY_LIMIT, Verdict.RUNTIME_ERROR, Verdict.OUTPUT_LIMIT]
)
def test_run_verdicts_become_test_verdicts(verdict):
    judged = judge_tests([TestCase(name="t", input=b"", expected=b"")], [_run(verdict=verdict)])
    assert judged.tests[0].verdict == verdict.value
    assert judged.score == 0


def test_a_runs_detail_reaches_its_test_as_a_code_and_values():
    run = dataclasses.replace(
        _run(verdict=Verdict.RUNTIME_ERROR), detail_code="exit_code", detail_values={"code": 3}
    )
    (outcome,) = judge_tests([TestCase(name="t", input=b"", expected=b"")], [run]).tests
    assert (outcome.detail_code, outcome.detail_values) == ("exit_code", {"code": 3})


def test_what_participants_see_of_a_test():
    case = TestCase(name="t1", input=b"hidden input", expected=b"hidden answer")
    outcome = judge_tests([case], [_run(b"my output")]).tests[0]
    assert outcome.stdout_head == "my output"
    assert "hidden" not in repr(outcome)
