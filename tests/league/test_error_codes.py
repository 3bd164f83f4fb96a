"""One registry of error codes: every code the source uses is listed in
league/error_codes.py with its meaning, and every listed code is used."""

import ast
from pathlib import Path

from league.error_codes import ERROR_CODES, JUDGING, LEAGUE, SUBMISSIONS, TEAMS

ROOT = Path(__file__).resolve().parents[2]
APPS = ("league", "teams", "submissions", "judging")
# Calls whose first argument is an error code: a rule's Violation, the
# evaluation's violation(), a reader's problems.add()/stop(), a metric's InvalidValue.
CODE_FIRST = {"Violation", "violation", "InvalidValue"}
PROBLEM_METHODS = {"add", "stop"}


def _text(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _codes_in(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "code":
            yield _text(node.value)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            if (isinstance(func, ast.Name) and func.id in CODE_FIRST) or (
                isinstance(func, ast.Attribute)
                and func.attr in PROBLEM_METHODS
                and isinstance(func.value, ast.Name)
                and func.value.id == "problems"
            ):
                yield _text(node.args[0])
        elif isinstance(node, ast.ClassDef):  # ApplicationError subclasses
            for statement in node.body:
                if isinstance(statement, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "code" for t in statement.targets
                ):
                    yield _text(statement.value)
        elif isinstance(node, ast.Dict):  # {"code": ..., "message": ...} answers
            for key, value in zip(node.keys, node.values, strict=True):
                if _text(key) == "code":
                    yield _text(value)


def codes_used() -> dict[str, str]:
    """Each code found in the source, with one place it is used."""
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for code in _codes_in(ast.parse(path.read_text(), filename=str(path))):
                if code:
                    found.setdefault(code, str(path.relative_to(ROOT)))
    return found


def test_every_code_used_in_the_source_is_registered():
    missing = {code: where for code, where in codes_used().items() if code not in ERROR_CODES}
    assert not missing, f"add these codes to league/error_codes.py: {missing}"


def test_every_registered_code_is_used():
    unused = set(ERROR_CODES) - set(codes_used())
    assert not unused, f"remove these codes from league/error_codes.py: {sorted(unused)}"


def test_each_code_is_listed_once_with_a_one_line_meaning():
    groups = (LEAGUE, TEAMS, SUBMISSIONS, JUDGING)
    assert sum(map(len, groups)) == len(ERROR_CODES), "a code is listed in two apps"
    for code, meaning in ERROR_CODES.items():
        assert code == code.lower() and " " not in code
        assert meaning.strip() and "\n" not in meaning, code


def test_the_scan_finds_codes_however_they_are_raised():
    found = codes_used()
    assert found["captain_only"].startswith("teams/")  # code="..."
    assert found["daily_limit_reached"] == "submissions/rules.py"  # Violation("...")
    assert found["duplicate_ids"].startswith("submissions/evaluation/")  # problems.add
    assert found["not_found"] == "league/errors.py"  # a class's code
