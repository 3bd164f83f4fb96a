"""Content organizers enter per language: a visitor sees it in their language,
or in English where that language was left empty."""

import random

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from league import demo as league_demo
from league.management.commands.seed_demo import DemoContext
from league.models import Challenge
from teams.models import Registration
from tests.factories import ChallengeFactory, PhaseFactory, RegistrationFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def battery():
    challenge = ChallengeFactory(
        title="Defect detection on an EV battery line",
        title_zh_hans="新能源汽车电池产线缺陷检测",
        description="Flag welding defects at line speed.",
        description_zh_hans="在不降低产线速度的前提下识别焊接缺陷。",
    )
    PhaseFactory(challenge=challenge, name="Development", name_zh_hans="开发阶段")
    return challenge


def page(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


def test_the_home_page_shows_the_title_in_the_visitors_language(client, battery):
    english = page(client, reverse("home"), "en")
    assert "Defect detection on an EV battery line" in english
    assert "新能源汽车电池产线缺陷检测" not in english
    chinese = page(client, reverse("home"), "zh-hans")
    assert "新能源汽车电池产线缺陷检测" in chinese
    assert "开发阶段" in chinese
    assert "Defect detection on an EV battery line" not in chinese


def test_the_challenge_page_shows_title_and_description_in_the_visitors_language(client, battery):
    url = reverse("submissions:challenge", args=[battery.slug])
    english = page(client, url, "en")
    assert "Defect detection on an EV battery line" in english
    assert "Flag welding defects at line speed." in english
    chinese = page(client, url, "zh-hans")
    assert "新能源汽车电池产线缺陷检测" in chinese
    assert "在不降低产线速度的前提下识别焊接缺陷。" in chinese
    assert "Flag welding defects at line speed." not in chinese


def test_content_left_empty_in_a_language_falls_back_to_english(client):
    challenge = ChallengeFactory(title="Early durian leaf disease detection")
    chinese = page(client, reverse("submissions:challenge", args=[challenge.slug]), "zh-hans")
    assert "Early durian leaf disease detection" in chinese
    # Thai has its own column even before the site offers Thai pages.
    with translation.override("th"):
        assert Challenge.objects.get(pk=challenge.pk).title == "Early durian leaf disease detection"
        challenge.title_th = "การตรวจหาโรคใบทุเรียนระยะแรก"
        challenge.save()
        assert Challenge.objects.get(pk=challenge.pk).title == "การตรวจหาโรคใบทุเรียนระยะแรก"


def test_the_api_follows_the_active_language(battery):
    team = TeamFactory()
    RegistrationFactory(team=team, challenge=battery)
    api = APIClient()
    api.force_authenticate(team.captain)
    url = reverse("teams:api-registrations")
    english = api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert [r["challenge"] for r in english] == ["Defect detection on an EV battery line"]
    chinese = api.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert [r["challenge"] for r in chinese] == ["新能源汽车电池产线缺陷检测"]


def test_queries_from_other_models_read_the_english_title(battery):
    """Exports and orderings across relations read the plain column: it stays
    English even when the last save was made with Chinese active."""
    RegistrationFactory(challenge=battery)
    with translation.override("zh-hans"):
        battery.title = "新能源汽车电池产线缺陷检测（更新）"
        battery.save()
    assert list(Registration.objects.values_list("challenge__title", flat=True)) == [
        "Defect detection on an EV battery line"
    ]


def test_the_demo_challenges_have_chinese_titles_and_descriptions(client):
    league_demo.seed(DemoContext(scale="small", rng=random.Random(2026), say=lambda *_: None))
    chinese = page(client, reverse("submissions:challenge", args=["parcel-delay"]), "zh-hans")
    assert "跨境包裹延误预测" in chinese
    assert "预测跨境包裹会晚到多少小时" in chinese
    english = page(client, reverse("submissions:challenge", args=["parcel-delay"]), "en")
    assert "Predicting cross-border parcel delays" in english


def test_organizers_find_a_challenge_in_the_admin_by_any_languages_title(organizer_client):
    ChallengeFactory(title="Parcel delays", title_zh_hans="跨境包裹延误预测")
    organizer_client.cookies["django_language"] = "zh-hans"
    url = reverse("admin:league_challenge_changelist")
    assert "跨境包裹延误预测" in organizer_client.get(url, {"q": "包裹"}).content.decode()
    assert "跨境包裹延误预测" in organizer_client.get(url, {"q": "Parcel"}).content.decode()


def test_the_admin_has_a_field_per_language(organizer_client, battery):
    page = organizer_client.get(
        reverse("admin:league_challenge_change", args=[battery.pk])
    ).content.decode()
    for column in ("title_en", "title_zh_hans", "title_vi", "title_th", "title_ind", "title_ms"):
        assert f'name="{column}"' in page
    assert 'name="phases-0-name_zh_hans"' in page
    assert 'value="新能源汽车电池产线缺陷检测"' in page
