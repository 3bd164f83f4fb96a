"""S6: schemathesis against the OpenAPI schema, on a live server.

Every check of schemathesis runs (tests/schemathesis.toml): no server error, every
response matches its schema, every status code and content type is
documented, no schema-valid request is refused. The requests carry the API
token of a participant who has a profile, a team with a registration, a
submission and an invitation, so most operations reach their service. Ids
start at 1 (``reset_sequences``), where schemathesis's integers often land.

The run is bounded (a few examples per operation, one worker, a fixed seed)
so that it takes about a minute on two cores. To explore more, or to replay
another seed:

    SCHEMATHESIS_MAX_EXAMPLES=50 SCHEMATHESIS_SEED=7 \\
        DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python -m pytest \\
        tests/test_api_schema.py -m schema

A failure prints schemathesis's report: each finding with the request (as a
curl command) and the response that broke the check.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from league import services as league_services
from tests.factories import (
    InvitationFactory,
    PhaseFactory,
    RegistrationFactory,
    SubmissionFactory,
    TeamFactory,
)

MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "3")
SEED = os.environ.get("SCHEMATHESIS_SEED", "20251126")
SCHEMATHESIS = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")

pytestmark = [pytest.mark.schema, pytest.mark.django_db(transaction=True, reset_sequences=True)]


@pytest.fixture
def participant_token():
    """The API token of a captain whose team can do most things."""
    team = TeamFactory(members=["TH"])
    registration = RegistrationFactory(team=team)
    phase = PhaseFactory(challenge=registration.challenge)
    SubmissionFactory(registration=registration, phase=phase)
    InvitationFactory(team=team)
    InvitationFactory(email=team.captain.email)
    return league_services.api_token_create(user=team.captain)


def test_the_api_keeps_its_schema(live_server, participant_token, tmp_path):
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(CONFIG),
        "run",
        f"{live_server.url}/api/schema/?format=json",
        "--url",
        live_server.url,
        "--header",
        f"Authorization: Token {participant_token}",
        "--max-examples",
        MAX_EXAMPLES,
        "--seed",
        SEED,
        "--workers",
        "1",
        # The token given here is the credential: no generated cookie beside it.
        "--generation-with-security-parameters",
        "false",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
        "--request-timeout",
        "20",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, f"schemathesis found problems:\n{run.stdout}\n{run.stderr}"
