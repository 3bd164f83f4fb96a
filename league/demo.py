"""Demo data for the league: one season, three tracks, challenges and phases,
and the demo accounts (a participant, a judge and an organizer)."""

from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from league.accounts import JUDGES, ORGANIZERS, PARTICIPANTS
from league.models import (
    Challenge,
    LeaderboardVisibility,
    OrganisationType,
    ParticipantType,
    Phase,
    RegionBasis,
    Season,
    Track,
    TrackKind,
    User,
)

DEMO_PASSWORD = "league-demo-2026"
ACCOUNTS = [
    ("participant", "participant@demo.league", PARTICIPANTS, False),
    ("judge", "judge@demo.league", JUDGES, True),
    ("organizer", "organizer@demo.league", ORGANIZERS, True),
]

TRACKS = [
    dict(
        kind=TrackKind.INDUSTRIAL_INNOVATION,
        name="Industrial innovation",
        description="Apply AI to a real industrial scenario and show it working.",
        min_members=2,
        max_members=6,
        cross_border_required=True,
        max_other_region_members=1,
        max_country_share=Decimal("0.75"),
        allowed_participant_types=[
            ParticipantType.COMPANY_EMPLOYEE,
            ParticipantType.STARTUP,
            ParticipantType.RESEARCHER,
            ParticipantType.UNIVERSITY,
        ],
        allowed_organisation_types=[
            OrganisationType.COMPANY,
            OrganisationType.STARTUP,
            OrganisationType.RESEARCH_INSTITUTE,
            OrganisationType.UNIVERSITY,
        ],
        order=1,
    ),
    dict(
        kind=TrackKind.BOTTLENECK_CHALLENGE,
        name="Bottleneck challenge",
        description="Enterprises and labs post concrete technical problems with data and a metric.",
        min_members=1,
        max_members=5,
        cross_border_required=False,
        max_other_region_members=0,
        region_basis=RegionBasis.RESIDENCE,
        order=2,
    ),
    dict(
        kind=TrackKind.TALENT_DISCOVERY,
        name="Talent discovery",
        description="Students and independent developers solve algorithm and modelling tasks.",
        min_members=1,
        max_members=3,
        allows_individual_entries=True,
        auto_verify_registrations=True,
        allowed_participant_types=[
            ParticipantType.UNIVERSITY,
            ParticipantType.INDIVIDUAL_DEVELOPER,
            ParticipantType.STARTUP,
        ],
        teams_per_person_in_track=1,
        order=3,
    ),
]

CHALLENGES = [
    # (track kind, slug, title, sponsor, theme, mode, metric, automated weight)
    (
        TrackKind.INDUSTRIAL_INNOVATION,
        "ev-battery-line",
        "Defect detection on an EV battery line",
        "Guangxi Automotive Group",
        "automotive",
        "review",
        "",
        "0",
    ),
    (
        TrackKind.INDUSTRIAL_INNOVATION,
        "heritage-guide",
        "Multilingual guide for heritage sites",
        "Nanning Cultural Tourism Bureau",
        "cultural_tourism",
        "review",
        "",
        "0",
    ),
    (
        TrackKind.BOTTLENECK_CHALLENGE,
        "parcel-delay",
        "Predicting cross-border parcel delays",
        "ASEAN Express Logistics",
        "cross_border_ecommerce",
        "prediction",
        "rmse",
        "0.7",
    ),
    (
        TrackKind.BOTTLENECK_CHALLENGE,
        "durian-disease",
        "Early durian leaf disease detection",
        "Malaysian Agricultural Research Institute",
        "smart_agriculture",
        "prediction",
        "macro_f1",
        "0.8",
    ),
    (
        TrackKind.BOTTLENECK_CHALLENGE,
        "machine-failure",
        "Machine failure from sensor traces",
        "Liuzhou Smart Manufacturing Lab",
        "manufacturing",
        "prediction",
        "roc_auc",
        "0.6",
    ),
    (
        TrackKind.TALENT_DISCOVERY,
        "dengue-forecast",
        "Forecasting dengue cases by district",
        "Mahidol University",
        "healthcare",
        "prediction",
        "mae",
        "1",
    ),
    (
        TrackKind.TALENT_DISCOVERY,
        "line-sums",
        "Warm-up: the sum of each line",
        "Guangxi University",
        "other",
        "code",
        "accuracy",
        "1",
    ),
    (
        TrackKind.TALENT_DISCOVERY,
        "product-match",
        "Matching products across marketplaces",
        "Lazada Tech",
        "cross_border_ecommerce",
        "prediction",
        "accuracy",
        "1",
    ),
]


# Challenges whose phases have all closed, so that the demo has a finished
# leaderboard (private scores revealed) and finalists for the judges.
ENDED = {"machine-failure"}


def seed(ctx) -> None:
    # The plain title, name and description fields hold the English content.
    with translation.override("en"):
        _seed(ctx)


def _seed(ctx) -> None:
    today = timezone.now().date()
    season, _ = Season.objects.update_or_create(
        slug="ai-super-league-2026",
        defaults=dict(
            name="AI Super League 2026",
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=120),
            time_zone="Asia/Shanghai",
            description="AI for All: China–ASEAN. Three tracks, one league.",
        ),
    )
    tracks = {}
    for spec in TRACKS:
        spec = dict(spec)
        kind = spec.pop("kind")
        track, _ = Track.objects.update_or_create(season=season, kind=kind, defaults=spec)
        tracks[kind] = track
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=30)
    challenges = []
    for kind, slug, title, sponsor, theme, mode, metric, weight in CHALLENGES:
        automated = Decimal(weight)
        challenge, _ = Challenge.objects.update_or_create(
            slug=slug,
            defaults=dict(
                track=tracks[kind],
                title=title,
                sponsor=sponsor,
                theme=theme,
                evaluation_mode=mode,
                metric=metric,
                automated_weight=automated,
                judges_weight=Decimal("1") - automated,
                allowed_extensions=[".csv"] if mode == "prediction" else [".pdf", ".zip"],
                team_lock_at=start + timedelta(days=75),
                prizes=_prizes(automated),
                description=DESCRIPTIONS.get(slug, ""),
                terms=TERMS,
                title_zh_hans=CHINESE[slug][0],
                description_zh_hans=CHINESE[slug][1],
            ),
        )
        if slug in ENDED:
            # Closed two days ago: its finalists are judged now.
            _phase(challenge, "Development", start, start + timedelta(days=20))
            _phase(
                challenge, "Final", start + timedelta(days=20, hours=1), start + timedelta(days=28)
            )
        else:
            _phase(challenge, "Development", start, start + timedelta(days=60))
            _phase(
                challenge, "Final", start + timedelta(days=60, hours=1), start + timedelta(days=90)
            )
        challenges.append(challenge)
    ctx.shared.update(season=season, tracks=tracks, challenges=challenges)
    _accounts(ctx)
    ctx.say(f"league: season “{season.name}”, {len(tracks)} tracks, {len(challenges)} challenges")


TERMS = (
    "The data of this challenge is provided for this competition only. You may use it to "
    "build and evaluate your entries, and in publications about them once the season "
    "has ended, citing the sponsor.\n\n"
    "You may not share the data outside your team, try to identify people or companies "
    "in it, or use it commercially without the sponsor's written consent."
)


DESCRIPTIONS = {
    "ev-battery-line": "Battery cells leave the line at one per second. Propose a vision system "
    "that flags welding and coating defects at line speed, and show how it would run on the "
    "plant's edge hardware.",
    "heritage-guide": "Visitors to Guangxi's heritage sites speak a dozen languages. Propose a "
    "guide that answers them in their own language, offline where the signal is weak.",
    "parcel-delay": "Predict how many hours late a cross-border parcel will arrive, from its "
    "route, weight, customs checks and the day it was shipped.",
    "durian-disease": "Classify durian leaves as healthy or as showing one of three diseases, so "
    "growers can treat trees weeks earlier.",
    "machine-failure": "Estimate the probability that a machine fails within a day, from the "
    "summary of its sensor traces.",
    "dengue-forecast": "Forecast next week's dengue cases in each district from recent cases and "
    "the weather.",
    "line-sums": "A warm-up for the code track: print the sum of each line of integers.",
    "product-match": "Decide whether two listings from different marketplaces sell the same "
    "product.",
}

# The same titles and descriptions in Simplified Chinese: a visitor reading the
# site in Chinese sees these; other languages fall back to English.
CHINESE = {
    "ev-battery-line": (
        "新能源汽车电池产线缺陷检测",
        "电芯下线节拍为每秒一个。请提出一套视觉检测方案，在不降低产线速度的前提下识别焊接和涂布缺陷，"
        "并说明它如何在工厂的边缘计算设备上运行。",
    ),
    "heritage-guide": (
        "文化遗产景区多语种导览",
        "广西文化遗产景区的游客使用十几种语言。请设计一款导览应用，用游客的母语回答问题，"
        "在信号薄弱的地方也能离线使用。",
    ),
    "parcel-delay": (
        "跨境包裹延误预测",
        "根据包裹的线路、重量、海关查验情况和发货日期，预测跨境包裹会晚到多少小时。",
    ),
    "durian-disease": (
        "榴莲叶片病害早期识别",
        "将榴莲叶片分为健康或三种病害之一，帮助果农提前数周救治果树。",
    ),
    "machine-failure": (
        "基于传感器数据的设备故障预测",
        "根据设备传感器数据的统计摘要，估计其在一天内发生故障的概率。",
    ),
    "dengue-forecast": (
        "分区登革热病例预测",
        "根据近期病例和天气情况，预测下周各区的登革热病例数。",
    ),
    "line-sums": (
        "热身题：逐行求和",
        "编程赛道的热身题：输出每一行整数之和。",
    ),
    "product-match": (
        "跨平台商品匹配",
        "判断来自不同电商平台的两条商品信息是否为同一件商品。",
    ),
}


def _prizes(automated: Decimal) -> str:
    if automated == 0:
        return (
            "First prize: CNY 100,000 and a pilot with the sponsor.\n"
            "Second prize: CNY 50,000. Third prize: CNY 20,000.\n"
            "Every finalist is invited to the league's final in Nanning."
        )
    return (
        "First prize: CNY 50,000. Second prize: CNY 30,000. Third prize: CNY 10,000.\n"
        "The best team that includes a student wins a research visit to the sponsor."
    )


def _phase(challenge, name, opens_at, closes_at) -> Phase:
    phase, _ = Phase.objects.update_or_create(
        challenge=challenge,
        name=name,
        defaults=dict(
            opens_at=opens_at,
            closes_at=closes_at,
            daily_limit=5,
            total_limit=100,
            max_final_selections=2,
            leaderboard_visibility=LeaderboardVisibility.PUBLIC,
        ),
    )
    return phase


def _accounts(ctx) -> None:
    users = {}
    for role, email, group_name, staff in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=email, defaults=dict(email=email, is_staff=staff)
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=group_name))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults=dict(verified=True, primary=True)
        )
        users[role] = user
    ctx.shared["users"] = users
    ctx.shared["accounts"] = [(role, email, DEMO_PASSWORD) for role, email, _, _ in ACCOUNTS]
