"""Organizers' writes on the league's configuration: revealing private scores."""

from datetime import timedelta

import pytest
from django.utils import timezone

from league import services
from league.errors import RuleViolation
from tests.factories import PhaseFactory

pytestmark = pytest.mark.django_db


def closed_phase(**kwargs):
    now = timezone.now()
    opens, closes = now - timedelta(days=9), now - timedelta(days=1)
    return PhaseFactory(opens_at=opens, closes_at=closes, **kwargs)


def test_reveal_shows_private_scores_from_now_and_a_second_reveal_changes_nothing():
    phase = closed_phase()
    assert services.phase_reveal_private_scores(phase=phase) is True
    phase.refresh_from_db()
    revealed_at = phase.private_revealed_at
    assert phase.private_scores_visible
    assert services.phase_reveal_private_scores(phase=phase) is False
    phase.refresh_from_db()
    assert phase.private_revealed_at == revealed_at


def test_reveal_brings_a_scheduled_reveal_forward():
    phase = closed_phase(private_revealed_at=timezone.now() + timedelta(days=3))
    assert not phase.private_scores_visible
    assert services.phase_reveal_private_scores(phase=phase) is True
    phase.refresh_from_db()
    assert phase.private_scores_visible


def test_private_scores_are_not_revealed_before_the_deadline():
    phase = PhaseFactory()
    with pytest.raises(RuleViolation) as caught:
        services.phase_reveal_private_scores(phase=phase)
    assert caught.value.code == "phase_still_open"
    assert "can be revealed once it has closed" in str(caught.value.violations[0].message)
    phase.refresh_from_db()
    assert phase.private_revealed_at is None


def test_hide_again_undoes_a_reveal():
    phase = closed_phase(private_revealed_at=timezone.now() - timedelta(hours=1))
    assert services.phase_hide_private_scores(phase=phase) is True
    phase.refresh_from_db()
    assert phase.private_revealed_at is None
    assert services.phase_hide_private_scores(phase=phase) is False
