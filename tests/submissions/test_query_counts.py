"""The team's submissions page, the status it polls and their API
equivalents answer in a fixed number of SQL queries, however many
submissions the team has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from submissions.models import SubmissionStatus
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

# Queries per request, the same at 2 and 40 submissions: session or token,
# user, phase, registration, quota, the submissions (and the page's count);
# the page also asks judging for a finalist's write-up link (one query).
PINNED = {"page": 8, "status": 6, "api": 6}


def _counts(arena, client) -> dict:
    token, _ = Token.objects.get_or_create(user=arena.member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    client.force_login(arena.member)
    requests = {
        "page": lambda: client.get(reverse("submissions:submit", args=[arena.phase.pk])),
        "status": lambda: client.get(reverse("submissions:status", args=[arena.phase.pk])),
        "api": lambda: api.get(f"/api/phases/{arena.phase.pk}/submissions/"),
    }
    counts = {}
    for name, request in requests.items():
        with CaptureQueriesContext(connection) as captured:
            assert request().status_code == 200
        counts[name] = len(captured)
    return counts


def test_submissions_page_status_and_api_queries_are_constant(arena, client):
    SubmissionFactory.create_batch(2, registration=arena.registration, phase=arena.phase)
    few = _counts(arena, client)
    for i in range(38):
        SubmissionFactory(
            registration=arena.registration,
            phase=arena.phase,
            status=SubmissionStatus.SCORED if i % 2 else SubmissionStatus.FAILED,
            public_score=0.5 if i % 2 else None,
        )
    many = _counts(arena, client)
    assert few == many == PINNED
