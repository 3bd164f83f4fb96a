"""The organizers' admin reads fully in the reader's language, shows scores
at their metric's precision and names the zone its times are shown in."""

import re
from html import unescape

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils.functional import Promise

from tests.factories import (
    ChallengeFactory,
    ExportJobFactory,
    PhaseFactory,
    RegistrationFactory,
    SubmissionFactory,
    TeamBestFactory,
    TeamFactory,
)

APPS = ("league", "teams", "submissions", "judging")


def test_every_model_field_has_a_translated_name():
    untranslated = [
        f"{model._meta.label}.{field.name}"
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.get_fields()
        # Skip the automatic primary key ("ID") and reverse relations.
        if not field.auto_created and not isinstance(field.verbose_name, Promise)
    ]
    assert untranslated == []


def test_every_admin_column_has_a_translated_header():
    untranslated = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        for item in model_admin.list_display:
            if item == "__str__":
                header = model._meta.verbose_name
            elif callable(item) or hasattr(model_admin, item):
                column = item if callable(item) else getattr(model_admin, item)
                header = getattr(column, "short_description", None)
            else:
                continue  # a model field: checked above
            if not isinstance(header, Promise):
                untranslated.append(f"{type(model_admin).__name__}.{item}")
    assert untranslated == []


def column_headers(html: str) -> list[str]:
    """The headers of the changelist's table (not the navigation sidebar's)."""
    table = re.search(r'<table id="result_list">(.*?)</table>', html, re.S).group(1)
    cells = re.findall(r'<div class="text">(.*?)</div>', table, re.S)
    texts = [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]
    return [text for text in texts if text]


CHANGELISTS = {
    "teams/registration": RegistrationFactory,
    "submissions/submission": SubmissionFactory,
    "teams/team": TeamFactory,
    "league/challenge": ChallengeFactory,
    "league/phase": PhaseFactory,
    "league/exportjob": ExportJobFactory,
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", CHANGELISTS)
def test_changelist_headers_are_all_chinese(organizer_client, path):
    CHANGELISTS[path]()
    response = organizer_client.get(f"/admin/{path}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    headers = column_headers(response.content.decode())
    assert headers, "the changelist shows no columns"
    # "ID" is the one acronym kept as it is; any other Latin word is English left over.
    english = [h for h in headers if h != "ID" and re.search(r"[A-Za-z]", h)]
    assert english == [], headers


def score_cells(html: str, column: str) -> list[str]:
    return re.findall(rf'<td class="field-{column}">(.*?)</td>', html)


@pytest.mark.django_db
def test_submission_scores_are_rounded_to_the_metrics_precision(organizer_client):
    accuracy = ChallengeFactory(metric="accuracy")
    SubmissionFactory(
        registration=RegistrationFactory(challenge=accuracy),
        status="scored",
        public_score=0.912345678,
        private_score=0.9,
    )
    html = organizer_client.get("/admin/submissions/submission/").content.decode()
    assert score_cells(html, "shown_public_score") == ["0.91235"]
    assert score_cells(html, "shown_private_score") == ["0.90000"]


@pytest.mark.django_db
def test_team_best_scores_are_rounded_to_the_metrics_precision(organizer_client):
    rmse = ChallengeFactory(metric="rmse")
    TeamBestFactory(registration=RegistrationFactory(challenge=rmse), best_public_score=12.3456789)
    html = organizer_client.get("/admin/submissions/teambest/").content.decode()
    assert score_cells(html, "shown_best_public_score") == ["12.3457"]
    # No private score yet: the admin's "empty" mark, not "None".
    assert score_cells(html, "shown_best_private_score") == ["-"]


@pytest.mark.django_db
def test_every_admin_page_names_the_zone_of_its_times(organizer_client):
    organizer_client.cookies["league_tz"] = "Asia/Shanghai"
    for url in ("/admin/", "/admin/teams/registration/"):
        html = organizer_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "时间按 Asia/Shanghai, UTC+08:00 时区显示。" in html
