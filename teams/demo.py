"""Demo teams: organisations, profiles, teams of every shape and their
registrations (small), plus 10,000 registered teams for benchmarks (large).

Idempotent (natural keys: e-mail, team name, organisation name and country)
and deterministic for a given seed.
"""

from allauth.account.models import EmailAddress
from django.db import transaction

from league.models import OrganisationType, ParticipantType, TrackKind, User
from league.reference_data import ASEAN_REGION, CHINA_REGION
from teams.models import Membership, Organisation, Profile, Registration, RegistrationStatus, Team
from teams.services.teams import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH

# A password starting with "!" is unusable: these people cannot log in.
UNUSABLE_PASSWORD = "!demo-account-without-password"

ORGANISATIONS = [
    # (name, type, country)
    ("Guangxi University", OrganisationType.UNIVERSITY, "CN"),
    ("Institute of Automation, CAS", OrganisationType.RESEARCH_INSTITUTE, "CN"),
    ("Liuzhou Auto Works", OrganisationType.COMPANY, "CN"),
    ("Nanning DeepField AI", OrganisationType.STARTUP, "CN"),
    ("HKUST", OrganisationType.UNIVERSITY, "HK"),
    ("Chulalongkorn University", OrganisationType.UNIVERSITY, "TH"),
    ("VinAI Research", OrganisationType.COMPANY, "VN"),
    ("Institute for Infocomm Research", OrganisationType.RESEARCH_INSTITUTE, "SG"),
    ("Jakarta Voice Labs", OrganisationType.STARTUP, "ID"),
    ("Universiti Malaya", OrganisationType.UNIVERSITY, "MY"),
    ("Ateneo de Manila University", OrganisationType.UNIVERSITY, "PH"),
    ("Royal University of Phnom Penh", OrganisationType.UNIVERSITY, "KH"),
    ("National University of Timor-Leste", OrganisationType.UNIVERSITY, "TL"),
    ("Freelance developers", OrganisationType.NONE, "MY"),
    ("Bavaria Robotics", OrganisationType.COMPANY, "DE"),
]

P = ParticipantType
PEOPLE = [
    # (key, display name, nationality, residence, participant type, organisation)
    ("li.wei", "Li Wei", "CN", "CN", P.RESEARCHER, "Institute of Automation, CAS"),
    ("nguyen.an", "Nguyễn An", "VN", "VN", P.COMPANY_EMPLOYEE, "VinAI Research"),
    ("zhang.min", "Zhang Min", "CN", "CN", P.UNIVERSITY, "Guangxi University"),
    ("chan.ka.ming", "Chan Ka Ming", "HK", "HK", P.UNIVERSITY, "HKUST"),
    ("wu.hao", "Wu Hao", "CN", "CN", P.STARTUP, "Nanning DeepField AI"),
    ("tan.wei.ling", "Tan Wei Ling", "SG", "SG", P.RESEARCHER, "Institute for Infocomm Research"),
    ("siti.rahman", "Siti Rahman", "MY", "MY", P.UNIVERSITY, "Universiti Malaya"),
    ("budi.santoso", "Budi Santoso", "ID", "ID", P.STARTUP, "Jakarta Voice Labs"),
    ("dara.sok", "Dara Sok", "KH", "KH", P.UNIVERSITY, "Royal University of Phnom Penh"),
    ("ana.soares", "Ana Soares", "TL", "TL", P.UNIVERSITY, "National University of Timor-Leste"),
    ("ho.ieng", "Ho Ieng", "MO", "MY", P.INDIVIDUAL_DEVELOPER, "Freelance developers"),
    ("chen.jie", "Chen Jie", "CN", "CN", P.COMPANY_EMPLOYEE, "Liuzhou Auto Works"),
    ("john.miller", "John Miller", "US", "US", P.COMPANY_EMPLOYEE, None),
    ("lena.vogel", "Lena Vogel", "DE", "DE", P.COMPANY_EMPLOYEE, "Bavaria Robotics"),
    ("maria.santos", "Maria Santos", "PH", "PH", P.UNIVERSITY, "Ateneo de Manila University"),
]

VERIFIED, PENDING = RegistrationStatus.VERIFIED, RegistrationStatus.PENDING
TEAMS = [
    # (name, captain key, member keys, [(challenge slug, status)])
    (
        "Mekong Bridge AI",  # cross-border, captained by the demo participant
        "participant",
        ["li.wei", "nguyen.an"],
        [("ev-battery-line", VERIFIED), ("parcel-delay", VERIFIED)],
    ),
    (
        "Guangxi Smart Farm",  # China only
        "zhang.min",
        ["chan.ka.ming", "wu.hao"],
        [("durian-disease", VERIFIED)],
    ),
    (
        "Lion City Vision",  # ASEAN only
        "tan.wei.ling",
        ["siti.rahman", "budi.santoso"],
        [("machine-failure", VERIFIED)],
    ),
    (  # individual entry
        "Dara Sok",
        "dara.sok",
        [],
        [("dengue-forecast", VERIFIED), ("line-sums", VERIFIED)],
    ),
    (
        "Timor Sea Data",  # cross-border: Timor-Leste and Macao
        "ana.soares",
        ["ho.ieng"],
        [("product-match", VERIFIED)],
    ),
    (
        "Borderless Robotics",  # breaks the industrial track's rules: stays pending
        "chen.jie",
        ["john.miller", "lena.vogel"],
        [("heritage-guide", PENDING)],
    ),
    ("Manila Makers", "maria.santos", [], []),  # not registered yet
]

LARGE_TEAMS = 10_000
LARGE_BATCH = 1_000
LARGE_PREFIX = "Bench team "


def seed(ctx) -> None:
    organisations = _organisations()
    users = _people(ctx, organisations)
    challenges = {c.slug: c for c in ctx.shared["challenges"]}
    registrations = []
    for name, captain, members, entries in TEAMS:
        team = _team(ctx, name, users[captain], [users[k] for k in members])
        for slug, status in entries:
            registration, _ = Registration.objects.update_or_create(
                team=team, challenge=challenges[slug], defaults=dict(status=status)
            )
            registrations.append(registration.pk)
    ctx.shared["registrations"] = registrations
    ctx.say(f"teams: {len(TEAMS)} teams, {len(registrations)} registrations")
    if ctx.scale == "large":
        _seed_large(ctx, organisations)


def _organisations() -> dict[str, Organisation]:
    found = {}
    for name, kind, country in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            name=name, country=country, defaults=dict(type=kind)
        )
        found[name] = organisation
    return found


def _people(ctx, organisations) -> dict[str, User]:
    users = {"participant": ctx.shared["users"]["participant"]}
    Profile.objects.update_or_create(
        user=users["participant"],
        defaults=dict(
            display_name="Somchai Prasert",
            nationality="TH",
            residence="TH",
            participant_type=ParticipantType.RESEARCHER,
            organisation=organisations["Chulalongkorn University"],
        ),
    )
    for key, display_name, nationality, residence, kind, organisation in PEOPLE:
        email = f"{key}@demo.league"
        user, _ = User.objects.get_or_create(
            username=email, defaults=dict(email=email, password=UNUSABLE_PASSWORD)
        )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults=dict(verified=True, primary=True)
        )
        Profile.objects.update_or_create(
            user=user,
            defaults=dict(
                display_name=display_name,
                nationality=nationality,
                residence=residence,
                participant_type=kind,
                organisation=organisations.get(organisation),
            ),
        )
        users[key] = user
    return users


def _team(ctx, name, captain, members) -> Team:
    code = "".join(ctx.rng.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
    team, _ = Team.objects.update_or_create(
        name=name,
        defaults=dict(captain=captain),
        create_defaults=dict(captain=captain, join_code=code),
    )
    for user in [captain, *members]:
        Membership.objects.get_or_create(team=team, user=user)
    return team


def _seed_large(ctx, organisations) -> None:
    """10,000 verified teams of 2–4 members across the bottleneck challenges.
    Bulk inserts in batches; rows that exist already are kept."""
    rng = ctx.rng
    challenges = [
        c for c in ctx.shared["challenges"] if c.track.kind == TrackKind.BOTTLENECK_CHALLENGE
    ]
    countries = sorted(CHINA_REGION | ASEAN_REGION)
    org_ids = [o.pk for o in organisations.values() if o.country.code in countries]
    kinds = list(ParticipantType.values)
    plan = [
        [
            (rng.choice(countries), rng.choice(kinds), rng.choice(org_ids))
            for _ in range(rng.randint(2, 4))
        ]
        for _ in range(LARGE_TEAMS)
    ]
    existing = set(
        Team.objects.filter(name__startswith=LARGE_PREFIX).values_list("name", flat=True)
    )
    for start in range(0, LARGE_TEAMS, LARGE_BATCH):
        missing = [
            i
            for i in range(start, min(start + LARGE_BATCH, LARGE_TEAMS))
            if _bench_name(i) not in existing
        ]
        if missing:
            with transaction.atomic():
                _bench_batch(missing, plan, challenges)
    ctx.shared["registrations"] = ctx.shared.get("registrations", []) + list(
        Registration.objects.filter(team__name__startswith=LARGE_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ctx.say(f"teams: {LARGE_TEAMS} benchmark teams registered")


def _bench_name(i: int) -> str:
    return f"{LARGE_PREFIX}{i:05d}"


def _bench_email(i: int, j: int) -> str:
    return f"bench-{i:05d}-{j}@demo.league"


def _bench_batch(indices, plan, challenges) -> None:
    emails = [_bench_email(i, j) for i in indices for j in range(len(plan[i]))]
    User.objects.bulk_create(
        [User(username=e, email=e, password=UNUSABLE_PASSWORD) for e in emails],
        ignore_conflicts=True,
        batch_size=LARGE_BATCH,
    )
    user_ids = dict(User.objects.filter(username__in=emails).values_list("username", "pk"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=user_ids[e], email=e, verified=True, primary=True) for e in emails],
        ignore_conflicts=True,
        batch_size=LARGE_BATCH,
    )
    profiles = []
    for i in indices:
        for j, (country, kind, org_id) in enumerate(plan[i]):
            profiles.append(
                Profile(
                    user_id=user_ids[_bench_email(i, j)],
                    display_name=f"Bench {i:05d}-{j}",
                    nationality=country,
                    residence=country,
                    participant_type=kind,
                    organisation_id=org_id,
                )
            )
    Profile.objects.bulk_create(profiles, ignore_conflicts=True, batch_size=LARGE_BATCH)
    Team.objects.bulk_create(
        [
            Team(
                name=_bench_name(i),
                captain_id=user_ids[_bench_email(i, 0)],
                join_code=f"BENCH{i:05d}",
            )
            for i in indices
        ],
        ignore_conflicts=True,
        batch_size=LARGE_BATCH,
    )
    team_ids = dict(
        Team.objects.filter(name__in=[_bench_name(i) for i in indices]).values_list("name", "pk")
    )
    Membership.objects.bulk_create(
        [
            Membership(team_id=team_ids[_bench_name(i)], user_id=user_ids[_bench_email(i, j)])
            for i in indices
            for j in range(len(plan[i]))
        ],
        ignore_conflicts=True,
        batch_size=LARGE_BATCH,
    )
    Registration.objects.bulk_create(
        [
            Registration(
                team_id=team_ids[_bench_name(i)],
                challenge=challenges[i % len(challenges)],
                status=RegistrationStatus.VERIFIED,
            )
            for i in indices
        ],
        ignore_conflicts=True,
        batch_size=LARGE_BATCH,
    )
