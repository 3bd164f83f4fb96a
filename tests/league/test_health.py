"""The health page and endpoint: database, broker and a real worker round trip.

Strangers get a cached summary (one round trip per refresh, ok or not per
check); organizers get the full report."""

import pytest
from django.test import Client
from django.urls import reverse

from league.health import health_report


@pytest.mark.worker
@pytest.mark.redis
@pytest.mark.postgres
def test_health_with_a_real_worker(client, organizer_client, start_worker):
    start_worker(queues="default,evaluation")
    anonymous = Client().get(reverse("health-json"))
    assert anonymous.status_code == 200, anonymous.json()
    assert anonymous.json()["ok"] is True
    assert "latency_ms" not in str(anonymous.json())
    response = organizer_client.get(reverse("health-json"))
    body = response.json()
    assert response.status_code == 200, body
    assert body["ok"] is True
    checks = body["checks"]
    assert checks["database"]["detail"] == "postgresql"
    assert checks["broker"]["ok"]
    for queue in ("default", "evaluation"):
        assert checks[f"worker_{queue}"]["ok"]
        assert 0 < checks[f"worker_{queue}"]["latency_ms"] < 5000
    page = organizer_client.get(reverse("health"))
    assert "all systems working" in page.content.decode()


@pytest.mark.redis
@pytest.mark.django_db
def test_health_reports_a_missing_worker(client, purge_queues, monkeypatch):
    monkeypatch.setattr("league.health.WORKER_TIMEOUT_SECONDS", 0.5)
    response = client.get(reverse("health-json"))
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] and checks["broker"]["ok"]
    assert "no worker answered" in checks["worker_default"]["detail"]


@pytest.mark.django_db
def test_health_reports_an_unreachable_broker(settings, monkeypatch):
    from league.celery import app

    monkeypatch.setattr(app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    report = health_report()
    assert report["ok"] is False
    assert report["checks"]["database"]["ok"]
    assert report["checks"]["broker"]["ok"] is False
    assert report["checks"]["worker_default"]["detail"] == "broker unreachable"


# ------------------------------------------------------------------ strangers get a cached summary


@pytest.fixture
def pings_sent():
    """Every worker round trip the health check starts, counted as it is published."""
    from celery.signals import before_task_publish

    sent = []

    def count(sender=None, **kwargs):
        if sender == "league.ping":
            sent.append(kwargs.get("routing_key"))

    before_task_publish.connect(count, weak=False)
    yield sent
    before_task_publish.disconnect(count)


@pytest.mark.redis
@pytest.mark.django_db
def test_two_anonymous_requests_cost_one_worker_round_trip(
    client, purge_queues, pings_sent, monkeypatch
):
    monkeypatch.setattr("league.health.WORKER_TIMEOUT_SECONDS", 0.5)
    first = client.get(reverse("health-json"))
    second = client.get(reverse("health-json"))
    page = client.get(reverse("health"))
    assert len(pings_sent) == 1
    assert first.status_code == second.status_code == page.status_code == 503
    assert first.json() == second.json()
    checks = first.json()["checks"]
    assert set(checks) == {"database", "broker", "worker_default", "sandbox"}
    assert "no worker answered" in checks["worker_default"]["detail"]
    assert all(set(check) <= {"ok", "detail"} for check in checks.values())


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_concurrent_anonymous_requests_refresh_the_summary_once(
    purge_queues, pings_sent, monkeypatch
):
    import threading

    from django.db import connection

    from league.health import cached_health_summary

    monkeypatch.setattr("league.health.WORKER_TIMEOUT_SECONDS", 0.5)
    start = threading.Barrier(4)
    summaries = []

    def visitor():
        start.wait()
        try:
            summaries.append(cached_health_summary())
        finally:
            connection.close()

    threads = [threading.Thread(target=visitor) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(pings_sent) == 1
    assert len(summaries) == 4
    assert all(summary["checks"] == summaries[0]["checks"] for summary in summaries)


@pytest.mark.django_db
def test_strangers_see_no_exception_text_but_organizers_see_everything(
    client, organizer_client, monkeypatch
):
    from league.celery import app
    from tests.factories import ParticipantFactory

    monkeypatch.setattr(app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    participant = Client()
    participant.force_login(ParticipantFactory())
    for visitor in (Client(), participant):
        body = visitor.get(reverse("health-json")).json()
        assert body["ok"] is False
        assert body["checks"]["broker"] == {"ok": False}
        assert body["checks"]["database"] == {"ok": True}
        assert "127.0.0.1" not in str(body) and "Error" not in str(body)
        page = visitor.get(reverse("health")).content.decode()
        assert "127.0.0.1:1" not in page

    full = organizer_client.get(reverse("health-json"))
    assert full.status_code == 503
    checks = full.json()["checks"]
    assert "127.0.0.1:1" in checks["broker"]["detail"] or "Connection" in checks["broker"]["detail"]
    assert checks["database"]["latency_ms"] >= 0
    assert "127.0.0.1:1" in organizer_client.get(reverse("health")).content.decode() or (
        "Connection" in organizer_client.get(reverse("health")).content.decode()
    )


@pytest.mark.django_db
def test_being_staff_alone_does_not_show_the_full_report(client, monkeypatch):
    from league.celery import app
    from tests.factories import UserFactory

    monkeypatch.setattr(app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    client.force_login(UserFactory(is_staff=True))
    body = client.get(reverse("health-json")).json()
    assert body["checks"]["broker"] == {"ok": False}
