"""Judging's automatic work: conflicts detected from what the database knows
of judges and teams, and the assignment of judges by the min-cost flow of
``judging.assignment``, run in the background and recorded on an
``AssignmentRun``.

Membership history: "is or was a member" is detected from the current
memberships and the teams' membership history (``teams.MembershipEvent``);
a membership conflict, once detected, is never removed by detection.

Lock contract: a run locks its challenge's judging settings (one run of a
challenge at a time) and its entry rows, like ``services.assignment_add``
and ``assignment_remove`` do, so manual changes and a run never interleave.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import override as language_override
from django_countries import countries as country_names

from judging import assignment as solver
from judging import conflicts as rules
from judging.models import (
    Assignment,
    AssignmentRun,
    AssignmentRunState,
    ChallengeJudging,
    Conflict,
    ConflictSource,
    Entry,
    InstitutionDomainAlias,
    Judge,
    NationalityRule,
)
from league.models import CountryRegion, Region
from league.queue import publish
from teams import selectors as teams_selectors
from teams.models import Membership, Organisation

RUN_TASK = "judging.run_assignment"
REPUBLISH_AFTER = timedelta(minutes=1)
MAX_PUBLISH_ATTEMPTS = 5
SWEEP_BATCH = 50

SOURCE_OF_REASON = {
    rules.SAME_ORGANISATION: ConflictSource.ORGANISATION,
    rules.SAME_EMAIL_DOMAIN: ConflictSource.DOMAIN,
    rules.TEAM_MEMBER: ConflictSource.MEMBERSHIP,
    rules.SHARED_NATIONALITY: ConflictSource.NATIONALITY,
}
RULE_OF = {
    NationalityRule.NONE: rules.NationalityRule.NONE,
    NationalityRule.NO_SAME_COUNTRY: rules.NationalityRule.NO_SHARED_COUNTRY,
    NationalityRule.AT_MOST_K: rules.NationalityRule.AT_MOST_K,
}
DETECTED = [s for s in ConflictSource.values if s != ConflictSource.DECLARED]


# -- facts ------------------------------------------------------------------------


def conflict_policy(settings: ChallengeJudging | None) -> rules.ConflictPolicy:
    """The challenge's nationality rule and the institutions' e-mail domains:
    an organisation's own domains, then the alias table (which wins)."""
    aliases = {}
    for org_id, domains in Organisation.objects.values_list("pk", "email_domains"):
        for domain in domains or []:
            aliases[str(domain).strip().casefold()] = f"organisation-{org_id}"
    for domain, key in InstitutionDomainAlias.objects.values_list("domain", "institution"):
        aliases[domain.strip().casefold()] = key
    rule = settings.nationality_rule if settings else NationalityRule.NONE
    return rules.ConflictPolicy(
        nationality_rule=RULE_OF[rule],
        nationality_limit=settings.nationality_k if settings else 1,
        domain_aliases=aliases,
    )


def judge_facts(judges: list[Judge]) -> list[rules.JudgeFacts]:
    teams = teams_selectors.teams_ever_joined(user_ids=[j.user_id for j in judges])
    return [
        rules.JudgeFacts(
            user_id=j.user_id,
            organisation_id=j.organisation_id,
            email=j.user.email,
            nationality=j.country.code or "",
            team_ids=frozenset(teams.get(j.user_id, ())),
        )
        for j in judges
    ]


def team_facts(team_ids) -> dict[int, rules.TeamFacts]:
    members = defaultdict(list)
    for m in Membership.objects.filter(team_id__in=team_ids).select_related("user__profile"):
        members[m.team_id].append(m.user)
    facts = {}
    for team_id in team_ids:
        users = members[team_id]
        profiles = [p for p in (getattr(u, "profile", None) for u in users) if p is not None]
        facts[team_id] = rules.TeamFacts(
            team_id=team_id,
            member_user_ids=frozenset(u.pk for u in users),
            organisation_ids=frozenset(p.organisation_id for p in profiles if p.organisation_id),
            emails=frozenset(u.email for u in users if u.email),
            nationalities=frozenset(p.nationality.code for p in profiles if p.nationality),
        )
    return facts


def _settings(challenge) -> ChallengeJudging | None:
    return ChallengeJudging.objects.filter(challenge=challenge).first()


# -- conflicts ----------------------------------------------------------------------


@transaction.atomic
def conflicts_detect(*, challenge, judges=None) -> int:
    """Record the conflicts the rules find between the judges (active ones
    by default) and the teams of the challenge's entries. Idempotent: a
    conflict already standing is not repeated, one an organizer overrode is
    not brought back, and nothing is removed. Returns how many were added."""
    if judges is None:
        judges = Judge.objects.filter(active=True)
    judges = list(judges.select_related("user") if hasattr(judges, "select_related") else judges)
    entries = Entry.objects.filter(challenge=challenge)
    team_ids = sorted(set(entries.values_list("registration__team_id", flat=True)))
    if not judges or not team_ids:
        return 0
    judge_of_user = {j.user_id: j for j in judges}
    found = rules.conflicts_of(
        judge_facts(judges), team_facts(team_ids).values(), conflict_policy(_settings(challenge))
    )
    # Any row, overridden or not, of a (judge, team, source) means "already known".
    known = set(
        Conflict.objects.filter(judge__in=judges, team_id__in=team_ids).values_list(
            "judge_id", "team_id", "source"
        )
    )
    new = []
    for (team_id, user_id), reasons in sorted(found.items()):
        judge = judge_of_user[user_id]
        for reason in reasons:
            source = SOURCE_OF_REASON[reason.code]
            if (judge.pk, team_id, source) in known:
                continue
            known.add((judge.pk, team_id, source))
            new.append(Conflict(judge=judge, team_id=team_id, source=source, reason=reason.detail))
    # A concurrent detection may have added the same rows: the database keeps one.
    created = Conflict.objects.bulk_create(new, ignore_conflicts=True)
    return len(created)


# -- assignment runs ----------------------------------------------------------------------


@transaction.atomic
def assignment_run_start(*, challenge, by) -> AssignmentRun:
    """Ask the workers to assign the challenge's judges; the run records the outcome."""
    run = AssignmentRun.objects.create(challenge=challenge, requested_by=by)
    run_id = run.pk
    transaction.on_commit(lambda: _publish_run(run_id))
    return run


def _publish_run(run_id: int, *, now=None) -> bool:
    # Marked before the message leaves: the worker may save the run before
    # this function would get to write again.
    AssignmentRun.objects.filter(pk=run_id).update(
        published=True,
        publish_attempts=F("publish_attempts") + 1,
        published_at=now or timezone.now(),
    )
    published = publish(RUN_TASK, [run_id], queue="default")
    if not published:
        AssignmentRun.objects.filter(pk=run_id).update(published=False)
    return published


def assignment_runs_publish_unsent(*, now=None) -> int:
    """Beat: hand to the workers again the runs still waiting a minute after
    they were last handed over (the broker refused or lost them). A run is
    claimed by its worker, so a second delivery does nothing. After
    ``MAX_PUBLISH_ATTEMPTS`` the run fails, saying so. Returns how many runs
    were published."""
    now = now or timezone.now()
    stale = now - REPUBLISH_AFTER
    waiting = AssignmentRun.objects.filter(
        state=AssignmentRunState.PENDING, started_at__isnull=True, requested_at__lte=stale
    ).filter(Q(published_at__isnull=True) | Q(published_at__lte=stale))
    waiting.filter(publish_attempts__gte=MAX_PUBLISH_ATTEMPTS).update(
        state=AssignmentRunState.FAILED,
        finished_at=now,
        explanation=[{"code": "not_started", "params": {"attempts": MAX_PUBLISH_ATTEMPTS}}],
    )
    published = 0
    for run_id in waiting.order_by("requested_at").values_list("pk", flat=True)[:SWEEP_BATCH]:
        if not _publish_run(run_id, now=now):
            break
        published += 1
    return published


def assignment_run_now(*, challenge, by=None) -> AssignmentRun:
    """Assign the challenge's judges in this process (the demo, tests)."""
    run = AssignmentRun.objects.create(challenge=challenge, requested_by=by, published=True)
    return assignment_run_execute(run_id=run.pk)


def assignment_run_execute(*, run_id: int) -> AssignmentRun | None:
    """The task's work. Safe to run twice: only a waiting run is claimed."""
    with transaction.atomic():
        run = AssignmentRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.state != AssignmentRunState.PENDING:
            return run
        run.state = AssignmentRunState.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["state", "started_at"])
    try:
        run.conflicts_found = conflicts_detect(challenge=run.challenge)
        _assign(run)
    except Exception:
        # Recorded for the organizers, then raised for the worker's log.
        run.state = AssignmentRunState.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "finished_at", "conflicts_found"])
        raise
    return run


@transaction.atomic
def _assign(run: AssignmentRun) -> None:
    challenge = run.challenge
    settings, _created = ChallengeJudging.objects.get_or_create(challenge=challenge)
    settings = ChallengeJudging.objects.select_for_update().get(pk=settings.pk)
    entries = list(
        Entry.objects.select_for_update()
        .filter(challenge=challenge)
        .select_related("registration")
        .order_by("pk")
    )
    existing = list(
        Assignment.objects.filter(entry__challenge=challenge)
        .select_related("judge")
        .annotate(reviews=Count("review"))
    )
    # Reviews started and organizers' own choices stay; the solver's other picks are free.
    kept = [a for a in existing if a.reviews or a.created_by_id is not None]
    free = {(a.entry_id, a.judge_id): a for a in existing if not (a.reviews or a.created_by_id)}
    problem, codes, names = _problem(settings, entries, kept)
    run.entries = len(entries)
    run.assignments_kept = len(kept)
    run.finished_at = timezone.now()
    try:
        result = solver.assign_judges(problem)
    except solver.AssignmentInfeasible as infeasible:
        run.state = AssignmentRunState.INFEASIBLE
        run.explanation = [_stored(reason, codes, names) for reason in infeasible.reasons]
        run.save()
        return
    kept_pairs = {(a.entry_id, a.judge_id) for a in kept}
    chosen = set(result.pairs) - kept_pairs
    dropped = [a.pk for pair, a in free.items() if pair not in chosen]
    Assignment.objects.filter(pk__in=dropped, review__isnull=True).delete()
    Assignment.objects.bulk_create(
        Assignment(entry_id=e, judge_id=j, created_by=None)
        for e, j in sorted(chosen)
        if (e, j) not in free
    )
    run.state = AssignmentRunState.DONE
    run.assignments_added = len([p for p in chosen if p not in free])
    run.assignments_removed = len(dropped)
    run.total_affinity = round(result.total_affinity, 3)
    run.explanation = []
    run.save()


def _keywords(challenge, expertise: set[str]) -> frozenset[str]:
    """The challenge's theme (code and English name) and every judge's
    expertise area named in its title or description."""
    with language_override("en"):
        theme_name = str(challenge.get_theme_display())
    words = {challenge.theme.replace("_", " "), theme_name}
    text = f"{challenge.title} {challenge.description}".casefold()
    words |= {area for area in expertise if area.strip() and area.strip().casefold() in text}
    return frozenset(w.casefold() for w in words if w)


def _problem(settings: ChallengeJudging, entries: list[Entry], kept: list[Assignment]):
    challenge = settings.challenge
    kept_judges = {a.judge_id for a in kept}
    judges = list(
        Judge.objects.filter(Q(active=True) | Q(pk__in=kept_judges)).select_related("user")
    )
    elsewhere = dict(
        Assignment.objects.filter(judge__in=judges)
        .exclude(entry__challenge=challenge)
        .values_list("judge_id")
        .annotate(n=Count("pk"))
    )
    regions = dict(CountryRegion.objects.values_list("country", "region"))
    kept_count = defaultdict(int)
    for a in kept:
        kept_count[a.judge_id] += 1
    problem_judges = []
    expertise = set()
    for judge in judges:
        cap = max(0, judge.load_cap - elsewhere.get(judge.pk, 0))
        if not judge.active:
            cap = kept_count[judge.pk]  # keeps their started reviews, gets no new entry
        areas = frozenset(str(a).casefold() for a in judge.expertise or [] if str(a).strip())
        expertise |= areas
        country = judge.country.code or ""
        problem_judges.append(
            solver.Judge(
                id=judge.pk,
                cap=cap,
                region=regions.get(country, ""),
                country=country,
                expertise=areas,
            )
        )
    policy = conflict_policy(settings)
    teams = team_facts(sorted({e.registration.team_id for e in entries}))
    keywords = _keywords(challenge, expertise)
    problem_entries = []
    country_limits = {}
    for entry in entries:
        team = teams[entry.registration.team_id]
        problem_entries.append(
            solver.Entry(
                id=entry.pk,
                team_id=team.team_id,
                countries=team.nationalities,
                keywords=keywords,
            )
        )
        limits = rules.nationality_spread(team, policy)
        if limits:
            country_limits[entry.pk] = {s.country: s.limit for s in limits}
    entries_of_team = defaultdict(list)
    for entry in entries:
        entries_of_team[entry.registration.team_id].append(entry.pk)
    standing = Conflict.objects.filter(
        overridden_at__isnull=True, judge__in=judges, team_id__in=list(entries_of_team)
    )
    if settings.nationality_rule != NationalityRule.NO_SAME_COUNTRY:
        # Nationality conflicts belong to the challenges whose rule makes them.
        standing = standing.exclude(source=ConflictSource.NATIONALITY)
    problem_conflicts = []
    for judge_id, team_id, source, reason in standing.values_list(
        "judge_id", "team_id", "source", "reason"
    ):
        nationality = source == ConflictSource.NATIONALITY
        for entry_id in entries_of_team[team_id]:
            problem_conflicts.append(
                solver.Conflict(
                    entry_id=entry_id,
                    judge_id=judge_id,
                    reason=rules.SHARED_NATIONALITY if nationality else source,
                    detail=reason if nationality else "",
                )
            )
    problem = solver.AssignmentProblem(
        entries=problem_entries,
        judges=problem_judges,
        judges_per_entry=settings.judges_per_entry,
        conflicts=problem_conflicts,
        region_limit=settings.region_limit,
        country_limits=country_limits,
        keep=[(a.entry_id, a.judge_id) for a in kept],
        seed=challenge.pk,
    )
    codes = {e.pk: e.code for e in entries}
    names = {j.pk: j.display_name for j in judges}
    return problem, codes, names


def _stored(reason: solver.Reason, codes: dict, names: dict) -> dict:
    """A reason with entries shown by code and judges by name, ready to store."""
    params = dict(reason.params)
    for key in ("entry", "judge"):
        if key in params:
            params[key] = (codes if key == "entry" else names).get(params[key], params[key])
    for key in ("entries", "judges"):
        if key in params:
            lookup = codes if key == "entries" else names
            params[key] = [lookup.get(i, i) for i in params[key]]
    return {"code": reason.code, "params": params}


# -- explanations ---------------------------------------------------------------------


def _cause(code: str) -> str:
    return {
        ConflictSource.ORGANISATION: _("same organisation"),
        ConflictSource.DOMAIN: _("same e-mail domain"),
        ConflictSource.MEMBERSHIP: _("member of the team"),
        ConflictSource.DECLARED: _("declared by the judge"),
        rules.SHARED_NATIONALITY: _("nationality rule"),
        solver.CAPS_EXHAUSTED: _("cap reached"),
        solver.SPREAD_LIMIT: _("spread limit"),
    }.get(code, code)


def _listed(values, shown: int = 10) -> str:
    values = [str(v) for v in values]
    text = ", ".join(values[:shown])
    if len(values) > shown:
        text = _("%(listed)s and %(count)d more") % {"listed": text, "count": len(values) - shown}
    return text


def _country(code: str) -> str:
    return str(country_names.name(code) or code)


def _region(code: str) -> str:
    return str(dict(Region.choices).get(code, code))


def explanation_text(explanation: list[dict]) -> str:
    """A run's stored explanation in the active language."""
    return " ".join(_sentence(item["code"], item["params"]) for item in explanation)


def _sentence(code: str, p: dict) -> str:
    if code == "entries_short":
        removed = ", ".join(f"{_cause(k)}: {n}" for k, n in p["removed"].items())
        return ngettext(
            "%(count)d entry can get only %(available)d of the %(needed)d judges it needs "
            "(%(entries)s); judges ruled out: %(removed)s.",
            "%(count)d entries can get only %(available)d of the %(needed)d judges they need "
            "(%(entries)s); judges ruled out: %(removed)s.",
            p["count"],
        ) % {
            "count": p["count"],
            "available": p["available"],
            "needed": p["needed"],
            "entries": _listed(p["entries"]),
            "removed": removed or "-",
        }
    if code == "judges_full":
        return ngettext(
            "%(count)d entry competes for the same %(judge_count)d judges, who lack "
            "%(lacking)d places between them (%(entries)s).",
            "%(count)d entries compete for the same %(judge_count)d judges, who lack "
            "%(lacking)d places between them (%(entries)s).",
            p["count"],
        ) % {
            "count": p["count"],
            "judge_count": p["judge_count"],
            "lacking": p["lacking"],
            "entries": _listed(p["entries"]),
        }
    if code == "not_started":
        return _(
            "The workers did not start this run after %(attempts)d attempts to hand it "
            "over; check the system status page, then start it again."
        ) % {"attempts": p["attempts"]}
    if code == "raise_caps":
        return _("Raise judges' caps.")
    if code == "relax_spread":
        if p.get("limit") is None:
            return _("Relax the nationality rule, or add judges from other countries.")
        return _(
            "Raise the limit of %(limit)s judges per region, or add judges from other regions."
        ) % {"limit": p["limit"]}
    if code == "add_judges_outside":
        return _("Add judges from outside %(countries)s.") % {
            "countries": _listed([_country(c) for c in p["countries"]])
        }
    if code == "add_judges":
        return _("Add judges without a conflict (%(reason)s).") % {"reason": _cause(p["reason"])}
    if code == "kept_pair_conflicted":
        return _(
            "Judge %(judge)s keeps entry %(entry)s (a review started or an organizer's "
            "choice) but has a conflict (%(reason)s)."
        ) % {"judge": p["judge"], "entry": p["entry"], "reason": _cause(p["reason"])}
    if code == "kept_over_panel_size":
        return _(
            "Entry %(entry)s keeps more judges (reviews started or organizers' choices) "
            "than the %(needed)s it needs."
        ) % {"entry": p["entry"], "needed": p["needed"]}
    if code == "kept_over_cap":
        return _(
            "Judge %(judge)s keeps more entries (reviews started or organizers' choices) "
            "than their cap of %(cap)s."
        ) % {"judge": p["judge"], "cap": p["cap"]}
    if code == "kept_over_region_limit":
        return _("Entry %(entry)s keeps more than %(limit)s judges of %(region)s.") % {
            "entry": p["entry"],
            "limit": p["limit"],
            "region": _region(p["region"]),
        }
    if code == "kept_over_country_limit":
        return _("Entry %(entry)s keeps more than %(limit)s judges from %(country)s.") % {
            "entry": p["entry"],
            "limit": p["limit"],
            "country": _country(p["country"]),
        }
    template = solver.TEMPLATES.get(code)
    return solver.Reason(code, p, template).message if template else code
