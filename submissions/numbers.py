"""The league in numbers: public aggregate figures about teams, participants
and entries. Reads teams and submissions, so it lives here, downstream of both.

``league_numbers`` gives plain data (codes, not labels: the same in every
language), cached for ``CACHE_SECONDS``; ``labelled`` adds the labels of the
viewer's language for the page, the CSV and the API.
"""

from collections import Counter, defaultdict

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from league.models import CountryRegion, OrganisationType, ParticipantType, Region, Theme, TrackKind
from submissions.models import Submission
from teams import rules as team_rules
from teams.models import Membership, Profile, Registration

CACHE_KEY = "league-numbers:v1"
CACHE_SECONDS = 60
MIX_ORDER = ("china_only", "asean_only", "cross_border", "other")


def league_numbers(*, use_cache: bool = True) -> dict:
    """The figures, from the cache when fresh (at most ``CACHE_SECONDS`` old)."""
    if use_cache:
        found = cache.get(CACHE_KEY)
        if found is not None:
            return found
    numbers = _compute()
    cache.set(CACHE_KEY, numbers, CACHE_SECONDS)
    return numbers


def _compute() -> dict:
    """Seven queries whatever the size of the league."""
    regions = dict(CountryRegion.objects.values_list("country", "region"))

    def region_of(code: str) -> str:
        return regions.get((code or "").upper(), Region.OTHER)

    team_countries: dict[int, set[str]] = defaultdict(set)
    for team_id, code in Membership.objects.order_by().values_list(
        "team_id", "user__profile__nationality"
    ):
        team_countries[team_id].add(code or "")
    mix, teams_by_country, teams_by_region = Counter(), Counter(), Counter()
    for codes in team_countries.values():
        team_regions = {region_of(c) for c in codes if c}
        mix[_mix(team_regions)] += 1
        teams_by_country.update(c for c in codes if c)
        teams_by_region.update(team_regions)
    teams = len(team_countries)

    participants_by_country, participant_types = Counter(), Counter()
    for code, kind, n in (
        Profile.objects.order_by()
        .values_list("nationality", "participant_type")
        .annotate(n=Count("id"))
    ):
        participants_by_country[code] += n
        participant_types[kind] += n
    participants_by_region = Counter()
    for code, n in participants_by_country.items():
        participants_by_region[region_of(code)] += n
    organisation_types = Counter(
        dict(
            Profile.objects.filter(organisation__isnull=False)
            .order_by()
            .values_list("organisation__type")
            .annotate(n=Count("id"))
        )
    )

    registrations = (
        Registration.objects.order_by()
        .values_list("challenge__track__kind", "challenge__theme")
        .annotate(n=Count("id"))
    )
    submissions = (
        Submission.objects.order_by()
        .values_list("phase__challenge__track__kind", "phase__challenge__theme")
        .annotate(n=Count("id"))
    )
    by_track = defaultdict(lambda: {"registrations": 0, "submissions": 0})
    by_theme = defaultdict(lambda: {"registrations": 0, "submissions": 0})
    for field, rows in (("registrations", registrations), ("submissions", submissions)):
        for kind, theme, n in rows:
            by_track[kind][field] += n
            by_theme[theme][field] += n
    weeks = (
        Registration.objects.order_by()
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(n=Count("id"))
        .order_by("week")
    )
    return {
        "generated_at": timezone.now().isoformat(),
        "basis": "nationality",
        "teams": teams,
        "participants": sum(participants_by_country.values()),
        "cross_border_teams": mix["cross_border"],
        "cross_border_share": round(mix["cross_border"] / teams, 4) if teams else 0.0,
        "teams_by_region_mix": {key: mix[key] for key in MIX_ORDER},
        "teams_by_region": {r: teams_by_region[r] for r in Region.values},
        "participants_by_region": {r: participants_by_region[r] for r in Region.values},
        "teams_by_country": _ranked(teams_by_country, "teams"),
        "participants_by_country": _ranked(participants_by_country, "participants"),
        "entries_by_track": [
            {"track": kind, **by_track[kind]} for kind in TrackKind.values if kind in by_track
        ],
        "entries_by_theme": [
            {"theme": theme, **by_theme[theme]} for theme in Theme.values if theme in by_theme
        ],
        "participant_types": {k: participant_types[k] for k in ParticipantType.values},
        "organisation_types": {k: organisation_types[k] for k in OrganisationType.values},
        "registrations_per_week": [
            {"week": week.date().isoformat(), "registrations": n} for week, n in weeks
        ],
    }


def _mix(regions: set[str]) -> str:
    if team_rules.is_cross_border(regions):
        return "cross_border"
    if regions == {Region.CHINA}:
        return "china_only"
    if regions == {Region.ASEAN}:
        return "asean_only"
    return "other"


def _ranked(counter: Counter, name: str) -> list[dict]:
    return [
        {"country": code, name: n}
        for code, n in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    ]


def mix_labels() -> dict:
    return {
        "china_only": _("China only"),
        "asean_only": _("ASEAN only"),
        "cross_border": _("Cross-border"),
        "other": _("With members from other regions"),
    }


def labelled(numbers: dict) -> dict:
    """The figures with the labels of the current language added."""
    region_labels = dict(Region.choices)
    track_labels = dict(TrackKind.choices)
    theme_labels = dict(Theme.choices)
    participant_labels = dict(ParticipantType.choices)
    organisation_labels = dict(OrganisationType.choices)
    mix = mix_labels()

    def country(row: dict) -> dict:
        return {**row, "label": str(countries.name(row["country"])) or row["country"]}

    def coded(values: dict, labels: dict) -> list[dict]:
        return [{"code": k, "label": str(labels.get(k, k)), "count": n} for k, n in values.items()]

    return {
        **numbers,
        "teams_by_region_mix": coded(numbers["teams_by_region_mix"], mix),
        "teams_by_region": coded(numbers["teams_by_region"], region_labels),
        "participants_by_region": coded(numbers["participants_by_region"], region_labels),
        "teams_by_country": [country(r) for r in numbers["teams_by_country"]],
        "participants_by_country": [country(r) for r in numbers["participants_by_country"]],
        "entries_by_track": [
            {**r, "label": str(track_labels.get(r["track"], r["track"]))}
            for r in numbers["entries_by_track"]
        ],
        "entries_by_theme": [
            {**r, "label": str(theme_labels.get(r["theme"], r["theme"]))}
            for r in numbers["entries_by_theme"]
        ],
        "participant_types": coded(numbers["participant_types"], participant_labels),
        "organisation_types": coded(numbers["organisation_types"], organisation_labels),
    }


def csv_rows(figures: dict) -> list[list]:
    """The labelled figures as rows of (figure, code, label, value)."""
    rows = [["figure", "code", "label", "value"]]
    rows += [
        ["teams", "", "", figures["teams"]],
        ["participants", "", "", figures["participants"]],
        ["cross_border_teams", "", "", figures["cross_border_teams"]],
        ["cross_border_share", "", "", figures["cross_border_share"]],
    ]
    for key in (
        "teams_by_region_mix",
        "teams_by_region",
        "participants_by_region",
        "participant_types",
        "organisation_types",
    ):
        rows += [[key, r["code"], r["label"], r["count"]] for r in figures[key]]
    rows += [
        ["teams_by_country", r["country"], r["label"], r["teams"]]
        for r in figures["teams_by_country"]
    ]
    rows += [
        ["participants_by_country", r["country"], r["label"], r["participants"]]
        for r in figures["participants_by_country"]
    ]
    for key, code in (("entries_by_track", "track"), ("entries_by_theme", "theme")):
        for r in figures[key]:
            rows.append([f"registrations_by_{code}", r[code], r["label"], r["registrations"]])
            rows.append([f"submissions_by_{code}", r[code], r["label"], r["submissions"]])
    rows += [
        ["registrations_per_week", r["week"], "", r["registrations"]]
        for r in figures["registrations_per_week"]
    ]
    return rows
