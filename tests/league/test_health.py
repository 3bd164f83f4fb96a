"""The health page and endpoint: database, broker and a real worker round trip."""

import pytest
from django.urls import reverse

from league.health import health_report


@pytest.mark.worker
@pytest.mark.redis
@pytest.mark.postgres
def test_health_with_a_real_worker(client, start_worker):
    start_worker(queues="default,evaluation")
    response = client.get(reverse("health-json"))
    body = response.json()
    assert response.status_code == 200, body
    assert body["ok"] is True
    checks = body["checks"]
    assert checks["database"]["detail"] == "postgresql"
    assert checks["broker"]["ok"]
    for queue in ("default", "evaluation"):
        assert checks[f"worker_{queue}"]["ok"]
        assert 0 < checks[f"worker_{queue}"]["latency_ms"] < 5000
    page = client.get(reverse("health"))
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
