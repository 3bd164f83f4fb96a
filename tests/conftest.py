"""Small fixtures shared by every test.

Tests that need PostgreSQL or Redis skip with a loud reason on the embedded
defaults; in CI (``CI=true``) such a skip is an error instead, so a green CI
always means they ran.
"""

import importlib
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from league import local_cache
from tests.factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing_service(item) -> str | None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if item.get_closest_marker("postgres") and not engine.endswith("postgresql"):
        return "needs PostgreSQL: set DATABASE_URL=postgres://... (CI always does)"
    if (item.get_closest_marker("redis") or item.get_closest_marker("worker")) and not (
        settings.CELERY_BROKER_URL.startswith("redis")
    ):
        return "needs Redis: set CELERY_BROKER_URL=redis://... (CI always does)"
    if item.get_closest_marker("sandbox"):
        from submissions.sandbox import sandbox_available

        ok, reason = sandbox_available()
        if not ok:
            return f"needs the bubblewrap sandbox: {reason} (CI installs it)"
    return None


def pytest_runtest_setup(item):
    reason = _missing_service(item)
    if reason:
        if IN_CI:
            pytest.fail(f"CI must run this test, but it {reason}", pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {reason}")


def pytest_report_header(config):
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"league: database={db} broker={settings.CELERY_BROKER_URL.split(':', 1)[0]}"


@pytest.fixture(autouse=True)
def _default_language():
    """A request in another language leaves it active in this thread; every
    test starts in the site's default language, whatever ran before it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache: start every test with none spent, and
    no phase remembered from another test's rows."""
    cache.clear()
    local_cache.forget_all()
    yield


# The data migrations that seed reference data, and the organizers' grants.
ORGANIZER_GRANTS = (
    "league.migrations.0003_role_groups",
    "league.migrations.0005_challenge_pages",
    "league.migrations.0007_export_permission",
    "teams.migrations.0002_organizer_permissions",
    "submissions.migrations.0002_organizer_permissions",
    "judging.migrations.0002_organizer_permissions",
    "judging.migrations.0008_standings_permissions",
)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (real workers, live servers, threads) flush the
    database at their end; put back what the migrations seeded (regions, role
    groups, the organizers' permissions) before each test that needs it.

    (Django's serialized rollback cannot do it here: Playwright's event loop
    gives the test another database connection object, without the snapshot.)
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group, Permission

    from league.models import CountryRegion
    from league.reference_data import seed_country_regions, seed_role_groups

    if CountryRegion.objects.exists():
        return
    seed_country_regions(CountryRegion)
    seed_role_groups(Group)
    organizers = Group.objects.get(name="Organizers")
    for module in map(importlib.import_module, ORGANIZER_GRANTS):
        app_label = module.__name__.split(".")[0]
        organizers.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=module.CODENAMES
            )
        )


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def logged_in_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def organizer_client(client):
    """A client signed in as a staff member of the Organizers group."""
    from django.contrib.auth.models import Group

    organizer = UserFactory(is_staff=True)
    organizer.groups.add(Group.objects.get(name="Organizers"))
    client.force_login(organizer)
    client.organizer = organizer
    return client


@pytest.fixture
def judge(db):
    """A judge as the demo creates one: staff, in the Judges group."""
    from django.contrib.auth.models import Group

    judge = UserFactory(is_staff=True)
    judge.groups.add(Group.objects.get(name="Judges"))
    return judge


@pytest.fixture
def bare_staff(db):
    """An organizer's account without the organizers' permissions: staff only."""
    return UserFactory(is_staff=True)


@pytest.fixture
def database_url() -> str:
    """A URL for the database the tests use, for worker subprocesses."""
    from tests.workers import worker_database_url

    return worker_database_url()


@pytest.fixture
def purge_queues():
    """Empty the broker's queues so a test sees only its own messages."""
    from league.celery import app

    app.control.purge()


@pytest.fixture
def start_worker(transactional_db, database_url, purge_queues):
    """Start real Celery worker processes; all are stopped after the test."""
    from tests.workers import WorkerProcess

    started: list[WorkerProcess] = []

    def start(**kwargs) -> WorkerProcess:
        worker = WorkerProcess(database_url=database_url, name=f"w{len(started)}", **kwargs)
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()
