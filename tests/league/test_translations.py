"""Every language the switcher offers has every string: a page never mixes
English into a translated one because a message was added and not translated.

The catalogue is extracted afresh from the source (as `make messages` does),
in a copy of the tree, and compared with the committed one.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("league", "teams", "submissions", "judging", "templates", "static", "tests")
OFFERED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _gettext_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"needs {name}: install Debian's gettext (`apt-get install gettext`)"
        if IN_CI:
            pytest.fail(f"CI must run this test, but it {reason}", pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {reason}")
    return path


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A copy of the tree whose catalogues hold every string of today's source."""
    _gettext_tool("xgettext")
    copy = tmp_path_factory.mktemp("i18n")
    for name in SOURCES:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "locale", copy / "locale")
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    for code in OFFERED:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", to_locale(code), "-v", "0"],
            cwd=copy,
            env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "tests.settings"},
            check=True,
            capture_output=True,
        )
    return copy


def _entries(po: Path, *flags: str) -> list[str]:
    out = subprocess.run(
        [_gettext_tool("msgattrib"), "--no-obsolete", *flags, str(po)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


@pytest.mark.parametrize("code", OFFERED)
def test_every_string_is_translated(extracted, code):
    po = extracted / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"
    missing = _entries(po, "--untranslated")
    fuzzy = _entries(po, "--only-fuzzy")
    assert not missing, f"{len(missing)} strings lack a {code} translation: {missing[:15]}"
    assert not fuzzy, f"{len(fuzzy)} {code} translations are fuzzy (unchecked): {fuzzy[:15]}"


@pytest.mark.parametrize("code", OFFERED)
def test_translations_keep_every_placeholder(code):
    po = ROOT / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        [_gettext_tool("msgfmt"), "--check", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
