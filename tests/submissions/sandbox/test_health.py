"""The health report says whether code can run sandboxed, and why not: the
reason to organizers; strangers see only whether it works (a reason may name
a path of the host)."""

import pytest
from django.urls import reverse

from submissions.sandbox import runner as sandbox_runner


@pytest.mark.sandbox
@pytest.mark.django_db
def test_the_health_report_states_the_sandbox_runtime(organizer_client):
    check = organizer_client.get(reverse("health-json")).json()["checks"]["sandbox"]
    assert check["ok"]
    assert check["detail"].startswith("Python 3.")
    assert "numpy" in check["detail"]
    assert "scikit-learn" in check["detail"]


@pytest.mark.django_db
def test_the_health_page_says_why_code_cannot_run(organizer_client, monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox_runner, "BWRAP", str(tmp_path / "no-bwrap"))
    monkeypatch.setattr(sandbox_runner, "_probe_cache", {})
    check = organizer_client.get(reverse("health-json")).json()["checks"]["sandbox"]
    assert not check["ok"]
    assert "bubblewrap (bwrap) is not installed" in check["detail"]
    page = organizer_client.get(reverse("health")).content.decode()
    assert "install Debian&#x27;s bubblewrap" in page


@pytest.mark.django_db
def test_strangers_learn_only_that_code_cannot_run(client, monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox_runner, "BWRAP", str(tmp_path / "no-bwrap"))
    monkeypatch.setattr(sandbox_runner, "_probe_cache", {})
    response = client.get(reverse("health-json"))
    assert response.json()["checks"]["sandbox"] == {"ok": False}
    assert str(tmp_path) not in response.content.decode()
