"""The judging app's exports: judges' score sheets of a challenge, and its
final standings (a published version or the preview of what would be
published now)."""

from collections.abc import Iterator, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from judging import rules, selectors
from judging.models import CriterionScore, Review, ReviewStatus
from judging.results import compute, files
from judging.results import selectors as results_selectors
from league.exports import params
from league.exports.registry import Column, Dataset, Input, register
from league.models import Challenge
from teams.exports import BATCH, batched

EXPORT_PERMISSION = "league.export_data"


def _parse(raw: Mapping[str, str]) -> dict:
    """``challenge`` (an id) and ``anonymised`` (judges as "Judge 1..n").
    A blind challenge's sheets never name teams, anonymised or not."""
    challenge_id = params.int_param(raw, "challenge")
    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is None:
        params.refuse("challenge", _("No challenge has the id %(id)d.") % {"id": challenge_id})
    return {
        "challenge": challenge,
        "anonymised": params.bool_param(raw, "anonymised", default=False),
        "blind": selectors.challenge_judging(challenge).blind,
        "criteria": selectors.rubric(challenge=challenge),
    }


def _columns(parsed: dict) -> list[Column]:
    team = [] if parsed["blind"] else [Column("team", gettext_lazy("Team"))]
    criteria = [Column(f"criterion_{c.pk}", c.name) for c in parsed["criteria"]]
    return [
        Column("entry", gettext_lazy("Entry code")),
        *team,
        Column("judge", gettext_lazy("Judge")),
        *criteria,
        Column("total", gettext_lazy("Weighted total")),
        Column("status", gettext_lazy("Status")),
        Column("submitted_at", gettext_lazy("Submitted at")),
    ]


def _reviews(parsed: dict):
    return Review.objects.filter(assignment__entry__challenge=parsed["challenge"])


def _rows(parsed: dict) -> Iterator[tuple]:
    """Reviews in batches; one query of criterion scores per batch."""
    criteria = [c.pk for c in parsed["criteria"]]
    weights = {c.pk: c.weight for c in parsed["criteria"]}
    statuses = dict(ReviewStatus.choices)
    numbers = {}
    if parsed["anonymised"]:
        judge_ids = (
            _reviews(parsed)
            .order_by("assignment__judge_id")
            .values_list("assignment__judge_id", flat=True)
            .distinct()
        )
        numbers = {judge_id: n for n, judge_id in enumerate(judge_ids, start=1)}
    found = (
        _reviews(parsed)
        .order_by("assignment__entry__code", "assignment__judge_id", "id")
        .values_list(
            "id",
            "assignment__entry__code",
            "assignment__entry__registration__team__name",
            "assignment__judge_id",
            "assignment__judge__display_name",
            "status",
            "submitted_at",
        )
        .iterator(chunk_size=BATCH)
    )
    for batch in batched(found):
        scores: dict[int, dict[int, int]] = {}
        for review_id, criterion_id, score in CriterionScore.objects.filter(
            review_id__in=[r[0] for r in batch]
        ).values_list("review_id", "criterion_id", "score"):
            scores.setdefault(review_id, {})[criterion_id] = score
        for review_id, code, team, judge_id, judge, status, submitted_at in batch:
            given = scores.get(review_id, {})
            if parsed["anonymised"]:
                judge = _("Judge %(number)s") % {"number": numbers[judge_id]}
            team_cells = () if parsed["blind"] else (team,)
            yield (
                code,
                *team_cells,
                judge,
                *(given.get(c) for c in criteria),
                rules.weighted_total(scores=given, weights=weights),
                str(statuses.get(status, status)),
                submitted_at,
            )


def _filename(parsed: dict) -> str:
    suffix = "-anonymised" if parsed["anonymised"] else ""
    return f"score-sheets-challenge-{parsed['challenge'].pk}{suffix}"


def _challenge_choices() -> list[tuple[str, str]]:
    return [(str(c.pk), str(c)) for c in Challenge.objects.all()]


def _anonymised_choices() -> list[tuple[str, str]]:
    return [("false", _("Judges by name")), ("true", _("Judges as “Judge 1”, “Judge 2” …"))]


SCORE_SHEETS = Dataset(
    name="score-sheets",
    title=gettext_lazy("Judges' score sheets"),
    permission=EXPORT_PERMISSION,
    parse=_parse,
    columns=_columns,
    rows=_rows,
    count=lambda parsed: _reviews(parsed).count(),
    filename=_filename,
    inputs=(
        Input("challenge", gettext_lazy("Challenge"), _challenge_choices),
        Input("anonymised", gettext_lazy("Judges"), _anonymised_choices),
    ),
)


def _parse_standings(raw: Mapping[str, str]) -> dict:
    """``challenge`` (an id) and ``version``: a number, "preview", or absent
    for the latest published version."""
    challenge_id = params.int_param(raw, "challenge")
    challenge = Challenge.objects.select_related("track").filter(pk=challenge_id).first()
    if challenge is None:
        params.refuse("challenge", _("No challenge has the id %(id)d.") % {"id": challenge_id})
    version = (raw.get("version") or "").strip()
    if version == "preview":
        rows = [s.as_dict() for s in compute.preview(challenge).standings]
        return {"challenge": challenge, "version": "preview", "rows": rows}
    number = params.int_param(raw, "version") if version else None
    snapshot = results_selectors.latest_or_none(challenge=challenge, version=number)
    if snapshot is None:
        params.refuse("version", _("This version of the standings is not published."))
    return {"challenge": challenge, "version": f"v{snapshot.version}", "rows": snapshot.rows}


def _version_choices() -> list[tuple[str, str]]:
    return [("", _("Latest published version")), ("preview", _("Preview (not published)"))]


FINAL_STANDINGS = Dataset(
    name="final-standings",
    title=gettext_lazy("Final standings"),
    permission=EXPORT_PERMISSION,
    parse=_parse_standings,
    columns=lambda parsed: files.COLUMNS,
    rows=lambda parsed: files.table_rows(parsed["rows"]),
    count=lambda parsed: len(parsed["rows"]),
    filename=lambda parsed: f"{parsed['challenge'].slug}-standings-{parsed['version']}",
    inputs=(
        Input("challenge", gettext_lazy("Challenge"), _challenge_choices),
        Input("version", gettext_lazy("Version"), _version_choices),
    ),
)


def register_datasets() -> None:
    register(SCORE_SHEETS)
    register(FINAL_STANDINGS)
