"""Review packages: saved as versions, checked at once, judged as of the deadline."""

import io
import os
import stat
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from league.errors import RuleViolation
from submissions import package_rules, selectors, services
from submissions.models import PackageVersion, ReviewPackage, Submission
from submissions.pdfs import minimal_pdf
from submissions.services.packages import PackageChanges
from tests.factories import ChallengeFactory, PackageVersionFactory, PhaseFactory
from tests.submissions.conftest import make_team

pytestmark = pytest.mark.django_db

FULL_FORM = {
    "scenario": "Defect detection on a battery line in Liuzhou",
    "industry": "Automotive",
    "target_countries": ["TH", "VN"],
    "deployment_stage": "pilot",
    "expected_impact": "Fewer scrapped cells",
    "team_roles": "Captain: vision; Member: MES integration",
}


@pytest.fixture
def review(db):
    phase = PhaseFactory(
        challenge=ChallengeFactory(
            evaluation_mode="review",
            metric="",
            automated_weight=0,
            judges_weight=1,
            max_file_size_mb=1,
            max_proposal_pages=3,
        )
    )
    registration, users = make_team(challenge=phase.challenge)
    return phase, registration, users[0]


def pdf(pages=1, name="proposal.pdf", content=None):
    return SimpleUploadedFile(name, content if content is not None else minimal_pdf(pages))


def zip_upload(entries, name="code.zip"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries:
            archive.writestr(entry, data)
    return SimpleUploadedFile(name, buffer.getvalue())


def save(phase, user, **changes):
    form = changes.pop("form", {})
    return services.package_version_create(
        user=user, phase=phase, changes=PackageChanges(form=form, **changes)
    )


def _stored_files() -> list[str]:
    root = settings.PRIVATE_MEDIA_ROOT
    found = []
    for folder, _dirs, files in os.walk(root):
        found += [os.path.join(folder, f) for f in files if "packages" in folder]
    return found


def test_a_complete_package_is_ready_for_judging(review):
    phase, _registration, member = review
    version = save(
        phase,
        member,
        proposal=pdf(2),
        video_url="https://video.example.org/demo",
        archive=zip_upload([("src/app.py", b"print(1)\n")]),
        form=FULL_FORM,
    )
    assert version.number == 1 and version.proposal_pages == 2 and version.archive_members == 1
    checklist = selectors.package_checklist(version=version)
    assert checklist.ready, checklist.as_dict()
    assert not Submission.objects.exists()  # never queued for automatic scoring


def test_each_save_is_a_new_version_and_keeps_what_was_not_changed(review):
    phase, _registration, member = review
    first = save(phase, member, proposal=pdf(1), form={"scenario": "First idea"})
    second = save(phase, member, form={"industry": "Agriculture"})
    assert second.number == 2
    assert second.proposal.name == first.proposal.name and second.proposal_pages == 1
    assert second.scenario == "First idea" and second.industry == "Agriculture"
    assert PackageVersion.objects.filter(package__phase=phase).count() == 2
    checklist = selectors.package_checklist(version=second)
    assert not checklist.ready
    form_item = next(i for i in checklist.items if i.code == "form_complete")
    assert not form_item.passed and "Target countries" in form_item.detail


def test_a_package_without_a_proposal_says_what_to_fix(review):
    phase, _registration, member = review
    version = save(phase, member, form=FULL_FORM)
    failed = [i.code for i in selectors.package_checklist(version=version).items if not i.passed]
    assert failed == ["proposal_pdf", "proposal_pages"]


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (pdf(content=b"<html><script>alert(1)</script></html>"), "pdf_not_a_pdf"),
        (pdf(content=minimal_pdf(2)[:300]), "pdf_damaged"),
        (pdf(content=minimal_pdf(2)[:-40] + b"%%EOF\n"), "pdf_damaged"),
        (pdf(4), "pdf_too_many_pages"),
        (pdf(content=b"%PDF-" + b"0" * (1024**2 + 1)), "file_too_large"),
        (pdf(name="proposal.docx"), "wrong_extension"),
    ],
    ids=["html renamed", "truncated", "broken xref", "too many pages", "too large", "docx"],
)
def test_a_bad_proposal_is_refused_and_nothing_is_stored(review, upload, code):
    phase, registration, member = review
    files_before = _stored_files()
    with pytest.raises(RuleViolation) as caught:
        save(phase, member, proposal=upload, form=FULL_FORM)
    assert code in [v.code for v in caught.value.violations]
    assert not PackageVersion.objects.exists() and not ReviewPackage.objects.exists()
    assert _stored_files() == files_before
    assert selectors.quota_for(registration=registration, phase=phase).used_total == 0


def _link(name):
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    ("entries", "code"),
    [
        ([("../../../etc/cron.d/x", b"x")], "archive_parent_path"),
        ([("/etc/passwd", b"x")], "archive_absolute_path"),
        ([(_link("settings.py"), b"/srv/league/league/settings.py")], "archive_link"),
        ([("zeros.bin", b"\0" * 8 * 1024**2)], "archive_ratio"),
        ([(f"f{i}", b"") for i in range(5001)], "archive_too_many_members"),
    ],
    ids=["parent path", "absolute path", "symlink", "bomb", "too many members"],
)
def test_an_unsafe_archive_is_refused_with_its_reason_and_nothing_is_stored(review, entries, code):
    phase, registration, member = review
    phase.challenge.max_file_size_mb = 5
    phase.challenge.save()
    files_before = _stored_files()
    with pytest.raises(RuleViolation) as caught:
        save(phase, member, proposal=pdf(1), archive=zip_upload(entries), form=FULL_FORM)
    assert [v.code for v in caught.value.violations] == [code]
    assert not PackageVersion.objects.exists()
    assert _stored_files() == files_before
    assert selectors.quota_for(registration=registration, phase=phase).used_total == 0


def test_only_https_video_links_are_taken(review):
    phase, _registration, member = review
    for link in ("http://video.example.org/x", "javascript:alert(1)", "ftp://x.org/v"):
        with pytest.raises(RuleViolation) as caught:
            save(phase, member, video_url=link)
        assert caught.value.code == "video_link_invalid"


def test_saves_spend_no_daily_quota_but_stop_at_the_cap(review):
    phase, registration, member = review
    phase.daily_limit = 1
    phase.save()
    for _ in range(3):
        save(phase, member, form={"scenario": "again"})
    assert selectors.quota_for(registration=registration, phase=phase).used_today == 0
    package = ReviewPackage.objects.get()
    last = package.versions.first()
    PackageVersion.objects.bulk_create(
        PackageVersion(package=package, number=last.number + 1 + i)
        for i in range(package_rules.MAX_PACKAGE_VERSIONS - 3)
    )
    with pytest.raises(RuleViolation) as caught:
        save(phase, member, form={"scenario": "one more"})
    assert caught.value.code == "package_version_limit"


def test_saving_after_the_deadline_is_refused(review):
    phase, _registration, member = review
    phase.opens_at = timezone.now() - timedelta(days=3)
    phase.closes_at = timezone.now() - timedelta(days=1)
    phase.save()
    with pytest.raises(RuleViolation) as caught:
        save(phase, member, proposal=pdf(1))
    assert caught.value.code == "phase_closed"


def test_the_judged_version_is_the_last_saved_before_the_deadline(review):
    phase, _registration, member = review
    first = save(phase, member, form={"scenario": "v1"})
    second = save(phase, member, form={"scenario": "v2"})
    package = ReviewPackage.objects.get()
    assert selectors.package_judged_version(package=package) == second
    PackageVersion.objects.filter(pk=second.pk).update(
        saved_at=phase.closes_at + timedelta(seconds=1)
    )
    package.refresh_from_db()
    assert selectors.package_judged_version(package=package) == first


def test_a_prediction_phase_takes_no_packages(arena):
    with pytest.raises(RuleViolation) as caught:
        save(arena.phase, arena.member, proposal=pdf(1))
    assert caught.value.code == "not_a_package_phase"


# Pages


def test_the_review_page_shows_the_form_the_checklist_and_the_history(client, review):
    phase, _registration, member = review
    client.force_login(member)
    url = reverse("submissions:submit", args=[phase.pk])
    response = client.post(
        url,
        {
            "proposal": pdf(1),
            "video_url": "https://video.example.org/demo",
            **FULL_FORM,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    body = client.get(url).content.decode()
    assert "id,prediction" not in body
    assert "Ready for judging." in body
    assert 'id="package-form"' in body and 'name="target_countries"' in body
    assert reverse("submissions:package-proposal", args=[PackageVersion.objects.get().pk]) in body
    assert "Defect detection on a battery line" in body  # the form keeps the current values


def test_the_review_page_lists_every_reason_of_a_refusal(client, review):
    phase, _registration, member = review
    client.force_login(member)
    response = client.post(
        reverse("submissions:submit", args=[phase.pk]),
        {"proposal": pdf(content=b"<html></html>"), "video_url": "http://x.org"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "not a PDF" in body and "https://" in body
    assert not PackageVersion.objects.exists()


def test_the_proposal_is_shown_inline_as_a_pdf_that_cannot_act_as_a_page(client, review):
    phase, _registration, member = review
    version = save(phase, member, proposal=pdf(1, name="our <b>plan</b>.pdf"))
    client.force_login(member)
    response = client.get(reverse("submissions:package-proposal", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_archive_is_only_an_attachment(client, review):
    phase, _registration, member = review
    version = save(phase, member, archive=zip_upload([("a.py", b"pass\n")]))
    client.force_login(member)
    response = client.get(reverse("submissions:package-archive", args=[version.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["anonymous", "outsider", "judge", "bare_staff"])
def test_nobody_outside_the_team_opens_the_proposal(client, review, who, request):
    version = PackageVersionFactory(package__registration=review[1], package__phase=review[0])
    if who == "outsider":
        _registration, users = make_team(challenge=review[0].challenge)
        client.force_login(users[0])
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for name in ("package-proposal", "package-archive", "api-package-checklist"):
        response = client.get(reverse(f"submissions:{name}", args=[version.pk]))
        assert response.status_code in (302, 401, 403, 404), name
        assert not response.get("Content-Type", "").startswith("application/pdf")


# API


def test_the_api_saves_lists_and_checks_versions(client, review):
    phase, _registration, member = review
    client.force_login(member)
    url = reverse("submissions:api-package-versions", args=[phase.pk])
    created = client.post(
        url,
        {"proposal": pdf(1), "deployment_stage": "idea", "target_countries": ["TH", "MY"]},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"] == 1 and body["form"]["target_countries"] == ["MY", "TH"]
    assert body["checklist"]["ready_for_judging"] is False

    listed = client.get(url).json()
    assert listed["judged_version"] == body["id"]
    assert [v["number"] for v in listed["results"]] == [1]

    checklist = client.get(reverse("submissions:api-package-checklist", args=[body["id"]]))
    assert checklist.status_code == 200
    assert {i["code"] for i in checklist.json()["items"]} >= {"proposal_pdf", "form_complete"}


def test_the_api_refuses_with_every_reason(client, review):
    phase, _registration, member = review
    client.force_login(member)
    response = client.post(
        reverse("submissions:api-package-versions", args=[phase.pk]),
        {
            "proposal": pdf(content=b"not a pdf at all"),
            "archive": zip_upload([("../evil", b"x")]),
            "target_countries": ["XX"],
        },
    )
    assert response.status_code == 422
    codes = [v["code"] for v in response.json()["details"]["violations"]]
    assert codes == ["pdf_not_a_pdf", "archive_parent_path", "unknown_country"]


def test_the_schema_documents_the_package_operations(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operations = {
        op["operationId"]
        for path in schema["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert {
        "phase_package_versions_list",
        "phase_package_versions_create",
        "package_version_checklist",
    } <= operations
