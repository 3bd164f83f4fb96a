"""The final standings of a challenge as they stand now (the preview): the
inputs read in a fixed number of queries, whatever the number of teams, and
blended by ``judging.results.rules``."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from judging import selectors as judging_selectors
from judging.results import rules
from judging.results.models import StandingsMethod, TalentAward
from judging.standings import judged_scores
from league.metrics import higher_is_better
from league.models import EvaluationMode, RegionBasis
from submissions.models import TeamBest
from submissions.rules import finals_rule
from teams import rules as team_rules
from teams import selectors as team_selectors
from teams.models import Membership, Registration, RegistrationStatus


@dataclass(frozen=True)
class Preview:
    challenge: object
    method: rules.Method
    standings: list[rules.Standing]
    weights: tuple[float, float]
    finals_rule: str
    max_finals: int | None
    talent_awards: list[dict]
    inputs: dict
    inputs_sha256: str
    # The private scores of the finals are not revealed yet: publishing is refused.
    unrevealed: bool
    summary: list[str] = field(default_factory=list)


def method_of(challenge) -> rules.Method:
    """The challenge's method settings as plain data (the defaults if none saved)."""
    try:
        settings = challenge.standings_method
    except StandingsMethod.DoesNotExist:
        settings = StandingsMethod(challenge=challenge)
    lowest, highest = rules.rubric_scale(
        (float(c.weight), c.scale_min, c.scale_max)
        for c in judging_selectors.rubric(challenge=challenge)
    )
    return rules.Method(
        automated_weight=float(challenge.automated_weight),
        judges_weight=float(challenge.judges_weight),
        normalisation=settings.normalisation,
        higher_is_better=higher_is_better(challenge.metric),
        judged_min=lowest,
        judged_max=highest,
        gold=settings.gold,
        silver=settings.silver,
        bronze=settings.bronze,
    )


def finals_phase(challenge):
    """The phase whose private scores count: the one that closes last."""
    return challenge.phases.order_by("-closes_at", "-pk").first()


def _members(registrations: dict[int, dict], track) -> None:
    """Add countries, cross-border and individual flags to each registration (2 queries)."""
    table = team_selectors.region_table()
    by_team: dict[int, list[tuple[str, str]]] = {}
    rows = Membership.objects.filter(
        team_id__in={r["team_id"] for r in registrations.values()}
    ).values_list("team_id", "user__profile__nationality", "user__profile__residence")
    for team_id, nationality, residence in rows:
        by_team.setdefault(team_id, []).append((str(nationality or ""), str(residence or "")))
    residence_basis = track.region_basis == RegionBasis.RESIDENCE
    for registration in registrations.values():
        members = by_team.get(registration["team_id"], [])
        countries = {(r if residence_basis else n).upper() for n, r in members if n or r}
        countries.discard("")
        registration["countries"] = tuple(sorted(countries))
        registration["cross_border"] = team_rules.is_cross_border(
            {table.region(c) for c in countries}
        )
        registration["individual"] = track.allows_individual_entries and len(members) == 1


def _talent_awards(challenge, teams: dict[int, str]) -> list[dict]:
    User = get_user_model()
    awards = (
        TalentAward.objects.filter(registration__challenge=challenge)
        .annotate(
            person_name=F("person__profile__display_name"),
            person_username=F(f"person__{User.USERNAME_FIELD}"),
        )
        .order_by("registration_id", "pk")
        .values("registration_id", "person_name", "person_username", "title", "citation")
    )
    return [
        {
            "registration_id": a["registration_id"],
            "team": teams.get(a["registration_id"], ""),
            "person": a["person_name"] or a["person_username"],
            "title": a["title"],
            "citation": a["citation"],
        }
        for a in awards
    ]


def preview(challenge, *, now=None) -> Preview:
    """The standings as they would be published now."""
    now = now or timezone.now()
    method = method_of(challenge)
    registrations = {
        row["id"]: row
        for row in Registration.objects.filter(
            challenge=challenge, status=RegistrationStatus.VERIFIED
        ).values("id", "team_id", team_name=F("team__name"))
    }
    _members(registrations, challenge.track)
    phase = finals_phase(challenge)
    bests = {}
    if phase is not None:
        bests = {
            b["registration_id"]: b
            for b in TeamBest.objects.filter(
                phase=phase, registration_id__in=list(registrations)
            ).values("registration_id", "best_private_score", "best_submitted_at")
        }
    judged = {}
    if method.judges_weight > 0 or challenge.evaluation_mode == EvaluationMode.REVIEW:
        entry_registration = dict(challenge.entries.values_list("pk", "registration_id"))
        for entry_id, score in judged_scores(challenge).items():
            if score.score is not None and entry_id in entry_registration:
                judged[entry_registration[entry_id]] = score.score
    candidates = []
    for registration_id, r in sorted(registrations.items()):
        best = bests.get(registration_id, {})
        submitted_at = best.get("best_submitted_at")
        candidates.append(
            rules.Candidate(
                registration_id=registration_id,
                team=r["team_name"],
                automated=best.get("best_private_score"),
                judged=judged.get(registration_id),
                submitted_at=submitted_at.isoformat() if submitted_at else None,
                countries=r["countries"],
                cross_border=r["cross_border"],
                individual=r["individual"],
            )
        )
    standings = rules.blend(candidates, method)
    weights = rules.effective_weights(
        method,
        has_automated=any(c.automated is not None for c in candidates),
        has_judged=any(c.judged is not None for c in candidates),
    )
    rule = str(finals_rule(max_finals=phase.max_final_selections)) if phase else ""
    teams = {rid: r["team_name"] for rid, r in registrations.items()}
    awards = _talent_awards(challenge, teams)
    inputs = rules.canonical_inputs(candidates, method, awards)
    unrevealed = weights[0] > 0 and not (
        phase is not None
        and phase.private_revealed_at is not None
        and phase.private_revealed_at <= now
    )
    return Preview(
        challenge=challenge,
        method=method,
        standings=standings,
        weights=weights,
        finals_rule=rule,
        max_finals=phase.max_final_selections if phase and weights[0] else None,
        talent_awards=awards,
        inputs=inputs,
        inputs_sha256=rules.inputs_sha256(inputs),
        unrevealed=unrevealed,
        summary=rules.method_summary(method.as_dict(), weights=weights, finals_rule=rule),
    )
