"""The teams app's exports: registrations, and the member facts (countries,
region mix, cross-border) that other apps' exports show for a team."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from league.exports import params
from league.exports.registry import Column, Dataset, Input, register
from league.models import Challenge, Region, RegionBasis
from teams import rules, selectors
from teams.models import Membership, Registration, RegistrationStatus

EXPORT_PERMISSION = "league.export_data"
# Rows fetched per query of member facts: constant memory, few queries.
BATCH = 2000


@dataclass(frozen=True)
class TeamFacts:
    members: list[str]
    countries: list[str]
    region_mix: str
    cross_border: bool


def batched(iterable: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def team_facts(
    *, team_ids: Iterable[int], table: rules.RegionTable, basis: str = RegionBasis.NATIONALITY
) -> dict[int, TeamFacts]:
    """Members, countries, region mix and cross-border badge per team, in one query."""
    members: dict[int, list[tuple[str, str]]] = {}
    found = (
        Membership.objects.filter(team_id__in=list(team_ids))
        .order_by("joined_at", "id")
        .values_list(
            "team_id",
            "user__profile__display_name",
            "user__profile__nationality",
            "user__profile__residence",
        )
    )
    for team_id, name, nationality, residence in found:
        country = residence if basis == RegionBasis.RESIDENCE else nationality
        members.setdefault(team_id, []).append((name or "", str(country or "").upper()))
    return {team_id: _facts(people, table) for team_id, people in members.items()}


def _facts(people: list[tuple[str, str]], table: rules.RegionTable) -> TeamFacts:
    countries = [country for _, country in people if country]
    regions = [table.region(country) for country in countries]
    counts = [(label, regions.count(value)) for value, label in Region.choices]
    mix = ", ".join(f"{label} {count}" for label, count in counts if count)
    return TeamFacts(
        members=[name for name, _ in people],
        countries=sorted(set(countries)),
        region_mix=mix,
        cross_border=rules.is_cross_border(set(regions)),
    )


NO_FACTS = TeamFacts([], [], "", False)

# ------------------------------------------------------------ registrations

ALL = "all"


def _parse(raw: Mapping[str, str]) -> dict:
    challenge_id = None
    if (raw.get("challenge") or ALL) != ALL:
        challenge_id = params.int_param(raw, "challenge")
        if not Challenge.objects.filter(pk=challenge_id).exists():
            params.refuse("challenge", _("No challenge has the id %(id)d.") % {"id": challenge_id})
    status = params.choice_param(raw, "status", [ALL, *RegistrationStatus.values], ALL)
    ids = []
    for part in filter(None, (raw.get("ids") or "").split(",")):
        ids.append(params.int_param({"ids": part}, "ids"))
    return {"challenge": challenge_id, "status": status, "ids": ids}


def _registrations(parsed: dict):
    found = Registration.objects.all()
    if parsed["challenge"]:
        found = found.filter(challenge_id=parsed["challenge"])
    if parsed["status"] != ALL:
        found = found.filter(status=parsed["status"])
    if parsed["ids"]:
        found = found.filter(pk__in=parsed["ids"])
    return found


def _columns(parsed: dict) -> list[Column]:
    return [
        Column("id", gettext_lazy("Registration")),
        Column("team", gettext_lazy("Team")),
        Column("challenge", gettext_lazy("Challenge")),
        Column("track", gettext_lazy("Track")),
        Column("status", gettext_lazy("Status")),
        Column("members", gettext_lazy("Members")),
        Column("countries", gettext_lazy("Countries")),
        Column("region_mix", gettext_lazy("Region mix")),
        Column("cross_border", gettext_lazy("Cross-border")),
        Column("rejection_reason", gettext_lazy("Reason for rejection")),
        Column("created_at", gettext_lazy("Registered at")),
    ]


def _rows(parsed: dict) -> Iterator[tuple]:
    table = selectors.region_table()
    statuses = dict(RegistrationStatus.choices)
    found = (
        _registrations(parsed)
        .order_by("challenge_id", "created_at", "id")
        .values_list(
            "id",
            "team_id",
            "team__name",
            "challenge__title",
            "challenge__track__name",
            "challenge__track__region_basis",
            "status",
            "rejection_reason",
            "created_at",
        )
        .iterator(chunk_size=BATCH)
    )
    for batch in batched(found):
        by_basis = {
            basis: team_facts(
                team_ids={r[1] for r in batch if r[5] == basis}, table=table, basis=basis
            )
            for basis in {r[5] for r in batch}
        }
        for rid, team_id, team, challenge, track, basis, status, reason, created in batch:
            facts = by_basis[basis].get(team_id, NO_FACTS)
            yield (
                rid,
                team,
                challenge,
                track,
                str(statuses.get(status, status)),
                "; ".join(facts.members),
                " ".join(facts.countries),
                facts.region_mix,
                facts.cross_border,
                reason,
                created,
            )


def _filename(parsed: dict) -> str:
    parts = ["registrations"]
    if parsed["challenge"]:
        parts.append(f"challenge-{parsed['challenge']}")
    if parsed["status"] != ALL:
        parts.append(parsed["status"].replace("_", "-"))
    return "-".join(parts)


def _challenge_choices() -> list[tuple[str, str]]:
    found = Challenge.objects.all()
    return [(ALL, _("All challenges")), *((str(c.pk), str(c)) for c in found)]


def _status_choices() -> list[tuple[str, str]]:
    return [(ALL, _("Every status")), *((v, str(label)) for v, label in RegistrationStatus.choices)]


REGISTRATIONS = Dataset(
    name="registrations",
    title=gettext_lazy("Registrations"),
    permission=EXPORT_PERMISSION,
    parse=_parse,
    columns=_columns,
    rows=_rows,
    count=lambda parsed: _registrations(parsed).count(),
    filename=_filename,
    inputs=(
        Input("challenge", gettext_lazy("Challenge"), _challenge_choices),
        Input("status", gettext_lazy("Status"), _status_choices),
    ),
)


def register_datasets() -> None:
    register(REGISTRATIONS)
