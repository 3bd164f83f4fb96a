"""A league in mid-season with realistic data (long names in several scripts,
several rows in every table) and the participant pages a viewer of it opens:
for the phone-width and page-weight browser tests."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from judging.results import services as results_services
from league.models import FileKind
from submissions.models import SubmissionStatus
from tests.factories import (
    AnswerKeyFactory,
    ChallengeFactory,
    InvitationFactory,
    ParticipantFactory,
    PhaseFactory,
    RegistrationFactory,
    SeasonFactory,
    SubmissionFactory,
    TeamBestFactory,
    TeamFactory,
    TrackFactory,
    UserFactory,
    challenge_file,
    predictions_csv,
)
from tests.judging.results.conftest import build_finals

LONG_TEAM_NAMES = [
    "Đội Trí tuệ Nhân tạo Đồng bằng sông Cửu Long – Mekong Delta AI Collective",
    "ทีมปัญญาประดิษฐ์แห่งมหาวิทยาลัยเชียงใหม่และลุ่มแม่น้ำโขง",
    "广西大学与东盟伙伴跨境人工智能联合实验室",
    "Universiti Teknologi Malaysia Machine Learning Research Group",
    "Institut Teknologi Bandung Kecerdasan Buatan Lintas Negara",
]
FINALIST_NAMES = [
    "ທີມປັນຍາປະດິດມະຫາວິທະຍາໄລແຫ່ງຊາດລາວ",
    "Ateneo de Manila Applied Artificial Intelligence Laboratory",
    "云南大学澜沧江—湄公河流域遥感与农业智能团队",
]


@dataclass(frozen=True)
class MainPage:
    """A page, who opens it (``None``: nobody signed in) and the actions a
    visitor must reach on it (CSS selectors, each matching at least one)."""

    name: str
    path: str
    signed_in: bool = True
    actions: tuple[str, ...] = field(default=())


@dataclass
class BusyLeague:
    viewer: object
    pages: list[MainPage]


def build_busy_league() -> BusyLeague:
    now = timezone.now()
    season = SeasonFactory(name="AI Super League 2026 · China–ASEAN Season of Applied AI")
    track = TrackFactory(season=season)
    challenge = ChallengeFactory(
        track=track,
        slug="dengue-mekong",
        title="Forecasting dengue cases by district in the Mekong delta provinces, 2026 edition",
        sponsor="Guangxi Centre for Disease Control and Prevention and partners",
        terms="Use the data for this competition only.\nDo not try to identify any patient.",
        description="Weekly dengue counts per district " * 12,
    )
    phase = PhaseFactory(challenge=challenge, name="Development phase with public leaderboard")
    PhaseFactory(
        challenge=challenge,
        name="Final evaluation on the private test set",
        opens_at=now + timedelta(days=8),
        closes_at=now + timedelta(days=20),
    )
    AnswerKeyFactory(phase=phase)
    for kind, name in [
        (FileKind.TRAINING, "dengue-weekly-counts-by-district-2015-2025-training-set.csv"),
        (FileKind.TEST_INPUTS, "dengue-weekly-counts-by-district-2026-test-inputs.csv"),
        (FileKind.SAMPLE_SUBMISSION, "sample_submission.csv"),
    ]:
        challenge_file(challenge=challenge, kind=kind, name=name, title=name)

    viewer = ParticipantFactory(
        nationality="VN",
        display_name="Nguyễn Thị Thanh Hương (Hanoi University of Science and Technology)",
    )
    team = TeamFactory(name=LONG_TEAM_NAMES[0], captain=viewer, members=["TH", "CN", "MY"])
    registration = RegistrationFactory(team=team, challenge=challenge)
    InvitationFactory(team=team, email="a.rather.long.address.for.an.invitee@university.edu.vn")
    for n in range(5):
        scored = n != 1
        submission = SubmissionFactory(
            registration=registration,
            phase=phase,
            content=predictions_csv(correct=n + 3),
            original_name=f"gradient-boosting-with-lagged-rainfall-features-v{n}.csv",
            description="LightGBM with 8-week rainfall lags and district embeddings",
            status=SubmissionStatus.SCORED if scored else SubmissionStatus.FAILED,
            public_score=(n + 3) / 10 if scored else None,
            error_message="" if scored else "Row 17: the id r16x is not one of the test ids.",
            is_final=n == 4,
            created_at=now - timedelta(hours=n),
        )
    TeamBestFactory(registration=registration, phase=phase, best_public_score=0.7)
    for n, name in enumerate(LONG_TEAM_NAMES[1:], start=1):
        rival = RegistrationFactory(
            team=TeamFactory(name=name, members=["CN", "LA"]), challenge=challenge
        )
        TeamBestFactory(registration=rival, phase=phase, best_public_score=0.9 - n / 20)

    finals, _phase, _registrations = build_finals(
        [(name, 0.9 - n / 10, ["TH"]) for n, name in enumerate(FINALIST_NAMES)],
        track=track,
        slug="crop-yield",
        title="Rice crop yield forecasting from satellite imagery across the Mekong basin",
    )
    results_services.standings_publish(challenge=finals, by=UserFactory(is_staff=True))
    invitation = InvitationFactory(
        team=TeamFactory(name="Hanoi–Nanning Joint Student Team"), email=viewer.email
    )

    pages = [
        MainPage("home", "/"),
        MainPage("challenge", f"/challenges/{challenge.slug}/", actions=("#submit-button",)),
        MainPage("leaderboard", f"/phases/{phase.pk}/leaderboard/"),
        MainPage("my challenges", "/my/challenges/", actions=("#my-challenges a.button",)),
        MainPage("my teams", "/teams/"),
        MainPage("team", f"/teams/{team.pk}/", actions=("#members button",)),
        MainPage(
            "submit",
            f"/phases/{phase.pk}/submissions/",
            actions=("#submit-form button[type=submit]", "#submissions button"),
        ),
        MainPage("submission", f"/submissions/{submission.pk}/"),
        MainPage("public team page", f"/teams/{team.pk}/public/"),
        MainPage("profile", "/profile/", actions=("main form button[type=submit]",)),
        MainPage("preferences", "/preferences/", actions=("main form button[type=submit]",)),
        MainPage("results", "/results/"),
        MainPage("challenge results", f"/results/{finals.slug}/"),
        MainPage("numbers", "/numbers/"),
        MainPage(
            "invitation",
            f"/teams/invitations/{invitation.token}/",
            actions=("main form button[value=accept]",),
        ),
        MainPage("sign in", "/accounts/login/", False, ("main form button[type=submit]",)),
        MainPage("sign up", "/accounts/signup/", False, ("main form button[type=submit]",)),
    ]
    return BusyLeague(viewer=viewer, pages=pages)
