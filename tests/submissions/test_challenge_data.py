"""Data files of a challenge: who may download them, the terms, byte ranges,
streaming, conditional requests and signed URLs of a cloud storage."""

import hashlib
from urllib.parse import unquote

import pytest
from django.core.files.storage import FileSystemStorage, Storage
from django.test import Client
from django.urls import reverse

from league.models import ChallengeFile, FileKind, TermsAcceptance
from teams.models import Membership
from tests.factories import (
    ChallengeFactory,
    ParticipantFactory,
    RegistrationFactory,
    TeamFactory,
    challenge_file,
)

pytestmark = pytest.mark.django_db

CONTENT = b"".join(f"row{i:05d},{i * 7 % 13}\n".encode() for i in range(30_000))  # ~330 KB


@pytest.fixture
def data():
    """A challenge with one large data file and a verified team's member."""
    challenge = ChallengeFactory()
    item = challenge_file(challenge=challenge, content=CONTENT, name="train set.csv")
    registration = RegistrationFactory(challenge=challenge)
    return item, registration.team.captain


def _url(item) -> str:
    return reverse(
        "submissions:challenge-file", kwargs={"slug": item.challenge.slug, "file_id": item.pk}
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_admin_store_computes_size_and_hash(data):
    item, _member = data
    assert item.size == len(CONTENT)
    assert item.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert item.download_name == "train_set.csv"


def test_an_anonymous_visitor_is_sent_to_log_in(client, data):
    item, _member = data
    response = client.get(_url(item))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_registered_member_downloads_the_whole_file_streamed(client, data):
    item, member = data
    client.force_login(member)
    response = client.get(_url(item))
    assert response.status_code == 200
    assert response.streaming, "the file is streamed, never built in memory"
    first = next(iter(response.streaming_content))
    assert len(first) <= 64 * 1024 < len(CONTENT), "sent chunk by chunk"
    assert first + _body(response) == CONTENT
    assert response["Content-Disposition"] == 'attachment; filename="train_set.csv"'
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"] == f'"{item.sha256}"'
    assert response["Last-Modified"]


@pytest.mark.parametrize(
    "header,start,end",
    [("bytes=5-14", 5, 14), ("bytes=100000-", 100000, len(CONTENT) - 1), ("bytes=-4", None, None)],
)
def test_a_single_byte_range_gets_206_with_exactly_those_bytes(client, data, header, start, end):
    item, member = data
    client.force_login(member)
    response = client.get(_url(item), HTTP_RANGE=header)
    if start is None:  # the last four bytes
        start, end = len(CONTENT) - 4, len(CONTENT) - 1
    assert response.status_code == 206
    assert _body(response) == CONTENT[start : end + 1]
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(CONTENT)}"
    assert response["Content-Length"] == str(end - start + 1)


def test_a_range_past_the_end_gets_416(client, data):
    item, member = data
    client.force_login(member)
    response = client.get(_url(item), HTTP_RANGE=f"bytes={len(CONTENT)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(CONTENT)}"


def test_several_ranges_or_a_stale_if_range_get_the_whole_file(client, data):
    item, member = data
    client.force_login(member)
    several = client.get(_url(item), HTTP_RANGE="bytes=0-1,5-6")
    stale = client.get(_url(item), HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE='"another-version"')
    current = client.get(_url(item), HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE=f'"{item.sha256}"')
    assert several.status_code == stale.status_code == 200
    assert _body(stale) == CONTENT
    assert current.status_code == 206


def test_the_browser_s_current_copy_gets_304(client, data):
    item, member = data
    client.force_login(member)
    response = client.get(_url(item), HTTP_IF_NONE_MATCH=f'"{item.sha256}"')
    assert response.status_code == 304


def test_another_team_s_member_is_refused_with_the_reason(client, data):
    item, _member = data
    client.force_login(TeamFactory().captain)
    response = client.get(_url(item))
    assert response.status_code == 403
    assert "for members of registered teams" in response.content.decode()


def test_a_rejected_team_is_refused(client, data):
    item, _member = data
    rejected = RegistrationFactory(
        challenge=item.challenge, status="rejected", rejection_reason="x"
    )
    client.force_login(rejected.team.captain)
    assert client.get(_url(item)).status_code == 403


def test_open_data_is_for_anyone_signed_in(client, data):
    item, _member = data
    item.challenge.data_open_to_everyone = True
    item.challenge.save()
    client.force_login(ParticipantFactory())
    assert _body(client.get(_url(item))) == CONTENT


def test_terms_are_accepted_once_with_a_csrf_protected_form_before_downloading(data):
    item, member = data
    item.challenge.terms = "Use the data for this competition only."
    item.challenge.save()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    refused = client.get(_url(item))
    assert refused.status_code == 403
    assert "Accept the terms" in refused.content.decode()
    terms_url = reverse("submissions:challenge-terms", kwargs={"slug": item.challenge.slug})
    assert client.post(terms_url, {"accept": "1"}).status_code == 403  # no CSRF token
    assert not TermsAcceptance.objects.exists()

    page = client.get(terms_url)
    assert "Use the data for this competition only." in page.content.decode()
    token = page.cookies["csrftoken"].value
    unticked = client.post(terms_url, {"csrfmiddlewaretoken": token})
    assert unticked.status_code == 302 and not TermsAcceptance.objects.exists()
    client.post(terms_url, {"accept": "1", "csrfmiddlewaretoken": token})
    client.post(terms_url, {"accept": "1", "csrfmiddlewaretoken": token})
    assert TermsAcceptance.objects.filter(user=member, challenge=item.challenge).count() == 1
    assert client.get(_url(item)).status_code == 200


def test_organizers_download_without_registering_or_accepting(organizer_client, data):
    item, _member = data
    item.challenge.terms = "Terms."
    item.challenge.save()
    assert _body(organizer_client.get(_url(item))) == CONTENT


def test_a_file_of_another_challenge_is_not_found(client, data):
    item, member = data
    other = challenge_file(challenge=ChallengeFactory(data_open_to_everyone=True))
    client.force_login(member)
    url = reverse(
        "submissions:challenge-file", kwargs={"slug": item.challenge.slug, "file_id": other.pk}
    )
    assert client.get(url).status_code == 404


class SigningStorage(Storage):
    """A cloud-like storage: it signs URLs with an expiry (as S3's does)."""

    def __init__(self, location):
        self._files = FileSystemStorage(location=location)

    def _open(self, name, mode="rb"):
        return self._files.open(name, mode)

    def _save(self, name, content):
        return self._files.save(name, content)

    def exists(self, name):
        return self._files.exists(name)

    def size(self, name):
        return self._files.size(name)

    def url(self, name, parameters=None, expire=None, http_method=None):
        disposition = (parameters or {}).get("ResponseContentDisposition", "")
        return f"https://bucket.example.org/{name}?expires={expire}&disposition={disposition}"


def test_a_cloud_storage_redirects_to_a_short_lived_signed_url(client, data, monkeypatch, tmp_path):
    item, member = data
    field = ChallengeFile._meta.get_field("file")
    monkeypatch.setattr(field, "storage", SigningStorage(tmp_path))
    client.force_login(member)
    response = client.get(_url(item))
    assert response.status_code == 302
    location = unquote(response["Location"])
    assert location.startswith(f"https://bucket.example.org/{item.file.name}?expires=300")
    assert 'attachment; filename="train_set.csv"' in location


def test_the_page_lists_the_files_and_links_them_only_for_those_allowed(client, data):
    item, _member = data
    challenge_file(challenge=item.challenge, kind=FileKind.SAMPLE_SUBMISSION, title="Sample")
    page_url = reverse("submissions:challenge", kwargs={"slug": item.challenge.slug})
    stranger = ParticipantFactory()
    client.force_login(stranger)
    outside = client.get(page_url).content.decode()
    assert "Training set" in outside and _url(item) not in outside
    Membership.objects.create(
        team=RegistrationFactory(challenge=item.challenge).team, user=stranger
    )
    assert _url(item) in client.get(page_url).content.decode()
