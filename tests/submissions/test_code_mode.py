"""Code challenges: programs handed in, run in the real sandbox, judged per
test (online judge) or scored by their predictions file."""

import io
import textwrap
import zipfile
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from league.errors import RuleViolation
from submissions import selectors, services
from submissions.evaluation.scoring import score_predictions
from submissions.models import AnswerKey, Submission
from submissions.sandbox import SandboxFailure
from submissions.sandbox import runner as sandbox_runner
from submissions.services import Outcome
from submissions.storage import private_storage
from tests.factories import (
    AnswerKeyFactory,
    CodeTaskFactory,
    CodeTestCaseFactory,
    PhaseFactory,
    SubmissionFactory,
    answer_key_csv,
)
from tests.submissions.conftest import make_team

pytestmark = pytest.mark.django_db

SUM_PER_LINE = """
import sys
for line in sys.stdin:
    print(sum(map(int, line.split())))
"""
# Wrong on negative numbers: sums their absolute values.
SUM_OF_ABSOLUTES = """
import sys
for line in sys.stdin:
    print(sum(abs(int(n)) for n in line.split()))
"""
LOOP_FOREVER = "while True:\n    pass\n"


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, textwrap.dedent(text))
    return buffer.getvalue()


def sum_phase(*, wall_seconds=2):
    """A tests-kind phase: sum of the numbers on each line; three public
    tests (one with a negative number) and one private test."""
    task = CodeTaskFactory(wall_seconds=wall_seconds)
    for name, given, expected, split in [
        ("two-lines", "1 2\n3 4\n", "3\n7\n", "public"),
        ("negative", "10 -5\n", "5\n", "public"),
        ("zero", "0\n", "0\n", "public"),
        ("big", "100 200 300\n", "600\n", "private"),
    ]:
        CodeTestCaseFactory(
            task=task, name=name, input_text=given, expected_output=expected, split=split
        )
    registration, users = make_team(challenge=task.phase.challenge)
    return task.phase, registration, users[0]


def submit(phase, member, source: str | None = None, *, name="solution.py", content=None, **kw):
    content = content if content is not None else textwrap.dedent(source).encode()
    return services.submission_create(
        user=member, phase=phase, upload=SimpleUploadedFile(name, content), **kw
    )


def evaluate(submission) -> Submission:
    services.submission_evaluate(submission_id=submission.pk)
    submission.refresh_from_db()
    return submission


def verdicts(submission) -> dict[str, str]:
    return {t["name"]: t["verdict"] for t in submission.details["tests"]}


@pytest.mark.sandbox
def test_a_correct_program_in_a_zip_with_its_entry_point_scores_full_marks():
    phase, _registration, member = sum_phase()
    archive = zip_of(
        {
            "src/run.py": "import sys\nfrom helpers import total\n"
            "for line in sys.stdin:\n    print(total(line))\n",
            "src/helpers.py": "def total(line):\n    return sum(map(int, line.split()))\n",
        }
    )
    submission = submit(
        phase, member, name="solution.zip", content=archive, entry_point="src/run.py"
    )
    assert submission.entry_point == "src/run.py"
    submission = evaluate(submission)
    assert submission.status == "scored", submission.error_message
    assert (submission.public_score, submission.private_score) == (100.0, 100.0)
    assert set(verdicts(submission).values()) == {"accepted"}
    first = submission.details["tests"][0]
    assert first["stdout_head"] == "3\n7\n" and first["wall_seconds"] > 0


@pytest.mark.sandbox
def test_a_wrong_answer_earns_the_other_tests_and_shows_where():
    phase, _registration, member = sum_phase()
    submission = evaluate(submit(phase, member, SUM_OF_ABSOLUTES))
    assert submission.status == "scored"
    assert submission.public_score == pytest.approx(200 / 3, abs=1e-4)
    assert submission.private_score == 100.0
    assert verdicts(submission)["negative"] == "wrong_answer"
    assert submission.counts_against_quota


@pytest.mark.sandbox
def test_an_infinite_loop_hits_the_time_limit_and_the_next_program_scores_as_expected():
    phase, _registration, member = sum_phase(wall_seconds=1)
    looping = evaluate(submit(phase, member, LOOP_FOREVER))
    assert looping.status == "scored"
    assert (looping.public_score, looping.private_score) == (0.0, 0.0)
    assert set(verdicts(looping).values()) == {"time_limit"}

    normal = evaluate(submit(phase, member, SUM_PER_LINE))
    assert (normal.public_score, normal.private_score) == (100.0, 100.0)


@pytest.mark.sandbox
def test_a_program_reading_the_answer_key_gets_nothing_and_scores_zero():
    phase, _registration, member = sum_phase()
    key = AnswerKeyFactory(phase=PhaseFactory())
    secret_paths = [key.file.path, str(settings.BASE_DIR / "league" / "settings.py")]
    thief = f"""
    for path in {secret_paths!r}:
        try:
            print(open(path).read()[:40])
        except OSError:
            print("nothing")
    """
    submission = evaluate(submit(phase, member, thief))
    assert submission.status == "scored"
    assert (submission.public_score, submission.private_score) == (0.0, 0.0)
    assert submission.details["tests"][0]["stdout_head"] == "nothing\n" * 2


@pytest.mark.sandbox
def test_nul_bytes_in_the_output_are_shown_not_fatal():
    phase, _registration, member = sum_phase()
    submission = evaluate(submit(phase, member, "print('a\\x00b')"))
    assert submission.status == "scored" and submission.public_score == 0.0
    assert submission.details["tests"][0]["stdout_head"] == "a\ufffdb\n"


def _stored_files() -> set[str]:
    """Every file in private storage (earlier runs may have left some)."""
    root = Path(private_storage().location)
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_a_zip_climbing_out_is_refused_with_its_reason_nothing_stored_no_quota(monkeypatch):
    phase, registration, member = sum_phase()
    archive = zip_of({"main.py": SUM_PER_LINE, "../evil.py": "print('x')"})
    stored_before = _stored_files()
    with pytest.raises(RuleViolation) as caught:
        submit(phase, member, name="solution.zip", content=archive)
    assert [v.code for v in caught.value.violations] == ["archive_parent_path"]
    assert "../evil.py" in caught.value.message
    assert not Submission.objects.exists()
    assert _stored_files() == stored_before
    assert selectors.quota_for(registration=registration, phase=phase).used_total == 0


def test_a_zip_without_its_entry_point_is_refused():
    phase, _registration, member = sum_phase()
    with pytest.raises(RuleViolation) as caught:
        submit(phase, member, name="solution.zip", content=zip_of({"solve.py": SUM_PER_LINE}))
    assert caught.value.code == "entry_point_missing"
    assert "main.py" in caught.value.message
    with pytest.raises(RuleViolation) as caught:
        submit(
            phase,
            member,
            name="solution.zip",
            content=zip_of({"solve.py": SUM_PER_LINE}),
            entry_point="../solve.py",
        )
    assert caught.value.code == "entry_point_invalid"
    assert not Submission.objects.exists()


def test_without_the_sandbox_code_is_refused_at_intake(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox_runner, "BWRAP", str(tmp_path / "no-bwrap"))
    monkeypatch.setattr(sandbox_runner, "_probe_cache", {})
    phase, registration, member = sum_phase()
    with pytest.raises(RuleViolation) as caught:
        submit(phase, member, SUM_PER_LINE)
    assert caught.value.code == "sandbox_unavailable"
    assert "Nothing was stored and no quota was spent" in caught.value.message
    assert not Submission.objects.exists()
    assert selectors.quota_for(registration=registration, phase=phase).used_total == 0


@pytest.mark.sandbox
def test_a_sandbox_failing_at_evaluation_is_the_platforms_fault():
    phase, _registration, member = sum_phase()
    submission = submit(phase, member, SUM_PER_LINE)
    with (
        mock.patch("submissions.modes.code.run_program", side_effect=SandboxFailure("bwrap: x")),
        mock.patch("submissions.services.evaluation.publish_evaluation"),
    ):
        outcomes = [services.submission_evaluate(submission_id=submission.pk) for _ in range(3)]
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED]
    submission.refresh_from_db()
    assert submission.error_code == "sandbox_unavailable"
    assert submission.failure_cause == "platform" and not submission.counts_against_quota
    from submissions.presentation import submission_public_dict

    shown = submission_public_dict(submission)["error_message"]
    assert "sandbox failed 3 times" in shown and "bwrap" not in shown


def test_a_code_phase_says_what_it_lacks_before_it_takes_programs():
    phase = PhaseFactory(challenge__evaluation_mode="code", challenge__metric="accuracy")
    registration, users = make_team(challenge=phase.challenge)
    with pytest.raises(RuleViolation) as caught:
        submit(phase, users[0], SUM_PER_LINE)
    assert caught.value.code == "code_task_missing"

    task = CodeTaskFactory(phase=phase, kind="tests")
    with pytest.raises(RuleViolation) as caught:
        submit(phase, users[0], SUM_PER_LINE)
    assert caught.value.code == "code_tests_missing"

    task.kind = "predictions"
    task.save()
    with pytest.raises(RuleViolation) as caught:
        submit(phase, users[0], SUM_PER_LINE)
    assert [v.code for v in caught.value.violations] == [
        "code_inputs_missing",
        "answer_key_missing",
    ]
    assert selectors.quota_for(registration=registration, phase=phase).used_total == 0


# -- the predictions kind ------------------------------------------------------

PREDICT_FROM_INPUTS = """
ids = open("/sandbox/inputs/test.csv").read().split()[1:]
with open("/sandbox/output/predictions.csv", "w") as out:
    out.write("id,prediction\\n")
    for row_id in ids:
        out.write(f"{row_id},{'a' if int(row_id[1:]) % 2 == 0 else 'b'}\\n")
"""


def predictions_phase():
    task = CodeTaskFactory(kind="predictions")
    inputs = zip_of({"test.csv": "id\n" + "".join(f"r{i}\n" for i in range(20))})
    task.hidden_inputs.save("inputs.zip", ContentFile(inputs), save=True)
    AnswerKeyFactory(phase=task.phase)
    registration, users = make_team(challenge=task.phase.challenge)
    return task.phase, registration, users[0]


@pytest.mark.sandbox
def test_a_predicting_program_is_scored_like_a_prediction_file():
    phase, _registration, member = predictions_phase()
    submission = evaluate(submit(phase, member, PREDICT_FROM_INPUTS))
    assert submission.status == "scored", submission.error_message
    assert (submission.public_score, submission.private_score, submission.scored_rows) == (
        1.0,
        1.0,
        20,
    )
    assert submission.details["tests"][0]["verdict"] == "ok"


@pytest.mark.sandbox
def test_a_predicting_program_cannot_copy_the_answer_key():
    phase, _registration, member = predictions_phase()
    key = AnswerKey.objects.get(phase=phase)
    thief = f"""
    try:
        answers = open({key.file.path!r}).read()
    except OSError:
        answers = None
    ids = open("/sandbox/inputs/test.csv").read().split()[1:]
    with open("/sandbox/output/predictions.csv", "w") as out:
        out.write("id,prediction\\n")
        for row_id in ids:
            out.write(f"{{row_id}},a\\n")
    print("copied" if answers else "nothing")
    """
    submission = evaluate(submit(phase, member, thief))
    all_a = "id,prediction\n" + "".join(f"r{i},a\n" for i in range(20))
    expected = score_predictions(
        answer_key_file=ContentFile(answer_key_csv(20)),
        prediction_file=ContentFile(all_a.encode()),
        metric_name="accuracy",
    )
    assert submission.details["tests"][0]["stdout_head"] == "nothing\n"
    assert (submission.public_score, submission.private_score) == (
        expected.public,
        expected.private,
    )


@pytest.mark.sandbox
def test_a_crashing_predicting_program_fails_by_the_file_and_shows_its_output():
    phase, registration, member = predictions_phase()
    submission = evaluate(submit(phase, member, "print('loading')\nraise ValueError('no model')"))
    assert submission.status == "failed"
    assert submission.failure_cause == "file" and submission.counts_against_quota
    assert submission.error_code == "program_failed"
    assert "Runtime error" in submission.error_message
    assert submission.error_params["violations"] == [
        {
            "code": "program_failed",
            "params": {
                "verdict": "runtime_error",
                "detail_code": "exit_code",
                "detail_values": {"code": 1},
            },
        }
    ]
    run = submission.details["tests"][0]
    assert run["verdict"] == "runtime_error" and "no model" in run["stderr_head"]
    assert (run["detail_code"], run["detail_values"]) == ("exit_code", {"code": 1})
    assert selectors.quota_for(registration=registration, phase=phase).used_total == 1


@pytest.mark.sandbox
def test_a_programs_failure_reads_in_the_readers_language():
    phase, _registration, member = predictions_phase()
    submission = evaluate(submit(phase, member, "print('no predictions')"))
    assert submission.error_code == "predictions_missing"
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(member)
    shown = client.get(reverse("submissions:api-detail", args=[submission.pk])).json()
    assert (
        shown["error_message"]
        == "你的程序已运行完毕，但没有写出文件 /sandbox/output/predictions.csv。"
    )
    crashed = evaluate(submit(phase, member, "raise SystemExit(3)"))
    shown = client.get(reverse("submissions:api-detail", args=[crashed.pk])).json()
    assert shown["error_message"].startswith(
        "你的程序在写出预测结果之前就停止了：运行错误（退出码 3）"
    )


# -- what the team sees ----------------------------------------------------------

DETAILS = {
    "kind": "tests",
    "tests": [
        {
            "name": name,
            "group": "",
            "split": split,
            "verdict": verdict,
            "wall_seconds": 0.05,
            "cpu_seconds": 0.04,
            "stdout_head": f"out-of-{name}",
            "stderr_head": "",
            "detail": "",
        }
        for name, split, verdict in [
            ("visible-test", "public", "wrong_answer"),
            ("hidden-test", "private", "accepted"),
        ]
    ],
}


def test_the_team_sees_public_verdicts_and_private_ones_only_after_the_reveal(client):
    task = CodeTaskFactory()
    registration, users = make_team(challenge=task.phase.challenge)
    submission = SubmissionFactory(
        registration=registration,
        phase=task.phase,
        status="scored",
        public_score=0.0,
        private_score=100.0,
        details=DETAILS,
    )
    client.force_login(users[0])
    api = client.get(reverse("submissions:api-detail", args=[submission.pk])).json()
    assert [(t["name"], t["verdict_label"]) for t in api["tests"]] == [
        ("visible-test", "Wrong answer")
    ]
    listed = client.get(reverse("submissions:api-phase-submissions", args=[task.phase.pk]))
    assert listed.json()["results"][0]["tests"] is None

    page = client.get(
        reverse("submissions:detail", args=[submission.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "out-of-visible-test" in page and "hidden-test" not in page
    assert "答案错误" in page

    task.phase.private_revealed_at = timezone.now() - timedelta(minutes=1)
    task.phase.save()
    api = client.get(reverse("submissions:api-detail", args=[submission.pk])).json()
    assert [t["name"] for t in api["tests"]] == ["visible-test", "hidden-test"]


def _failed_runs(details_of_runs):
    """A scored submission whose public runs stopped, as stored by the worker."""
    task = CodeTaskFactory()
    registration, users = make_team(challenge=task.phase.challenge)
    tests = [
        {**DETAILS["tests"][0], "name": f"run-{n}", "verdict": verdict, **stored}
        for n, (verdict, stored) in enumerate(details_of_runs)
    ]
    submission = SubmissionFactory(
        registration=registration,
        phase=task.phase,
        status="scored",
        public_score=0.0,
        details={"kind": "tests", "tests": tests},
    )
    return submission, users[0]


RUNS = [
    ("runtime_error", {"detail_code": "exit_code", "detail_values": {"code": 3}}),
    ("time_limit", {"detail_code": "wall_time", "detail_values": {"seconds": 2}}),
    ("runtime_error", {"detail_code": "signal", "detail_values": {"signal": "SIGSEGV"}}),
    ("wrong_answer", {"detail_code": "", "detail_values": {}}),
]
RUNS_SHOWN = {
    "en": ["exit code 3", "wall-clock time over 2 s", "stopped by the signal SIGSEGV", ""],
    "zh-hans": ["退出码 3", "实际运行时间超过 2 秒", "被信号 SIGSEGV 终止", ""],
    "vi": [
        "mã thoát 3",
        "thời gian chạy thực tế vượt quá 2 giây",
        "bị dừng bởi tín hiệu SIGSEGV",
        "",
    ],
    "th": ["จบการทำงานด้วยรหัส 3", "เวลาทำงานจริงเกิน 2 วินาที", "ถูกหยุดด้วยสัญญาณ SIGSEGV", ""],
    "id": [
        "kode keluar 3",
        "waktu berjalan melebihi 2 detik",
        "dihentikan oleh sinyal SIGSEGV",
        "",
    ],
    "ms": [
        "kod keluar 3",
        "masa berjalan sebenar melebihi 2 saat",
        "dihentikan oleh isyarat SIGSEGV",
        "",
    ],
}
# The same runs as stored when the runner wrote its detail as English text.
OLD_RUNS = [
    ("runtime_error", {"detail": "exit code 3"}),
    ("time_limit", {"detail": "wall time over 2 s"}),
    ("runtime_error", {"detail": "killed by SIGSEGV"}),
    ("wrong_answer", {"detail": ""}),
]


@pytest.mark.parametrize("language", RUNS_SHOWN)
@pytest.mark.parametrize("runs", [RUNS, OLD_RUNS], ids=["codes", "old-english-text"])
def test_the_team_reads_why_each_run_stopped_in_its_language(client, runs, language):
    submission, member = _failed_runs(runs)
    client.force_login(member)
    api = client.get(
        reverse("submissions:api-detail", args=[submission.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).json()
    assert [t["detail"] for t in api["tests"]] == RUNS_SHOWN[language]
    page = client.get(
        reverse("submissions:detail", args=[submission.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    for shown in filter(None, RUNS_SHOWN[language]):
        assert f'<small class="muted">{shown}</small>' in page


def test_the_submit_page_states_runtime_limits_and_what_to_write(client):
    phase, _registration, member = sum_phase()
    client.force_login(member)
    body = client.get(reverse("submissions:submit", args=[phase.pk])).content.decode()
    assert "Limits per run: 2 s of time, 512 MB of memory, 1 MB of output." in body
    assert "read the test&#x27;s input from standard input" in body
    assert 'name="entry_point"' in body
    assert "id,prediction" not in body
