"""A real Chromium (Debian's, driven by Playwright) against a live server."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        reason = "needs Debian's chromium (apt-get install chromium; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run browser tests, but it {reason}")
        pytest.skip(f"SKIPPED LOUDLY: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _signed_in_cookie(user, url: str) -> dict:
    """A session cookie of the user, so a test skips the login form."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": url}


@pytest.fixture
def page_in(browser, live_server):
    """``page_in(timezone_id=..., locale=..., user=...)``: a fresh browser page
    (signed in as ``user`` if given) whose ``goto`` takes paths relative to the
    live server."""
    contexts = []

    def open_page(*, timezone_id: str = "Asia/Shanghai", locale: str = "en-US", user=None):
        context = browser.new_context(
            base_url=live_server.url, timezone_id=timezone_id, locale=locale
        )
        context.set_default_timeout(15000)
        if user is not None:
            context.add_cookies([_signed_in_cookie(user, live_server.url)])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def evaluation_worker(django_db_setup):
    """One real evaluation worker for every test of a module that asks for it
    (marked ``worker``, so it needs Redis): starting one takes seconds, and it
    keeps no state between tests."""
    from league.celery import app
    from tests.workers import WorkerProcess, worker_database_url

    app.control.purge()
    worker = WorkerProcess(database_url=worker_database_url(), queues="evaluation", name="e2e")
    try:
        worker.wait_ready()
        yield worker
    finally:
        worker.stop()
