"""Organizers add a challenge's data files inline in the admin; the size and
SHA-256 come from the uploaded bytes and the file lands in private storage."""

import hashlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from league.models import ChallengeFile
from league.storage import private_storage
from tests.factories import ChallengeFactory
from tests.league.test_admin import phase_form

pytestmark = pytest.mark.django_db

CONTENT = b"id,prediction\nq0001,a\nq0002,b\n"


def test_an_organizer_uploads_a_data_file_inline(organizer_client):
    challenge = ChallengeFactory()
    data = phase_form(challenge, [])
    data.update(
        {
            "prizes_en": "First prize: CNY 10,000",
            "terms_en": "For this competition only.",
            "files-TOTAL_FORMS": "1",
            "files-0-order": "0",
            "files-0-kind": "sample_submission",
            "files-0-title_en": "Sample submission",
            "files-0-description_en": "",
            "files-0-download_name": "",
            "files-0-file": SimpleUploadedFile("sample submission.csv", CONTENT),
        }
    )
    response = organizer_client.post(f"/admin/league/challenge/{challenge.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = ChallengeFile.objects.get(challenge=challenge)
    assert stored.size == len(CONTENT)
    assert stored.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert stored.download_name == "sample_submission.csv"
    assert private_storage().exists(stored.file.name)
    assert not stored.file.name.startswith(str(settings.MEDIA_ROOT))
    challenge.refresh_from_db()
    assert challenge.prizes == "First prize: CNY 10,000"
    assert challenge.terms == "For this competition only."
    assert not challenge.data_open_to_everyone
