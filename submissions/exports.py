"""The submissions app's exports: a phase's leaderboard, public or private."""

from collections.abc import Iterator, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from league.exports import params
from league.exports.registry import Column, Dataset, Input, register
from league.metrics import higher_is_better
from league.models import Phase, Region
from submissions import ranking

EXPORT_PERMISSION = "league.export_data"
SPLITS = ("public", "private")


def _parse(raw: Mapping[str, str]) -> dict:
    """``phase`` (an id) and ``split``. Only organizers hold the export
    permission, and they may export the private split at any time, before the
    reveal too; the private file says whether the scores are revealed yet."""
    phase_id = params.int_param(raw, "phase")
    phase = Phase.objects.select_related("challenge__track").filter(pk=phase_id).first()
    if phase is None:
        params.refuse("phase", _("No phase has the id %(id)d.") % {"id": phase_id})
    return {"phase": phase, "split": params.choice_param(raw, "split", SPLITS, "public")}


def _columns(parsed: dict) -> list[Column]:
    if parsed["split"] == "private":
        revealed = parsed["phase"].private_scores_visible
        scores = [
            Column(
                "private_score",
                gettext_lazy("Private score")
                if revealed
                else gettext_lazy("Private score (not revealed yet)"),
            ),
            Column("public_score", gettext_lazy("Public score")),
        ]
    else:
        scores = [Column("public_score", gettext_lazy("Public score"))]
    return [
        Column("rank", gettext_lazy("Rank")),
        Column("team", gettext_lazy("Team")),
        Column("countries", gettext_lazy("Countries")),
        Column("region_mix", gettext_lazy("Region mix")),
        Column("cross_border", gettext_lazy("Cross-border")),
        *scores,
        Column("entries", gettext_lazy("Entries")),
        Column("last_submitted_at", gettext_lazy("Last submission")),
    ]


def _rows(parsed: dict) -> Iterator[tuple]:
    """The leaderboard's ranking of the split, streamed in one query with each
    team's members' facts. Regions follow the track's basis (nationality or
    residence)."""
    phase = parsed["phase"]
    return ranking.standings(
        phase_id=phase.pk,
        challenge_id=phase.challenge_id,
        higher=higher_is_better(phase.challenge.metric),
        split=parsed["split"],
        basis_column=ranking.basis_column(phase.challenge.track.region_basis),
        region_labels={value: str(label) for value, label in Region.choices},
    )


def _phase_choices() -> list[tuple[str, str]]:
    return [(str(p.pk), str(p)) for p in Phase.objects.select_related("challenge")]


def _split_choices() -> list[tuple[str, str]]:
    return [("public", _("Public scores")), ("private", _("Private scores"))]


PHASE_LEADERBOARD = Dataset(
    name="phase-leaderboard",
    title=gettext_lazy("Phase leaderboard"),
    permission=EXPORT_PERMISSION,
    parse=_parse,
    columns=_columns,
    rows=_rows,
    count=lambda parsed: ranking.ranked_count(phase_id=parsed["phase"].pk, split=parsed["split"]),
    filename=lambda parsed: f"leaderboard-phase-{parsed['phase'].pk}-{parsed['split']}",
    inputs=(
        Input("phase", gettext_lazy("Phase"), _phase_choices),
        Input("split", gettext_lazy("Scores"), _split_choices),
    ),
)


def register_datasets() -> None:
    register(PHASE_LEADERBOARD)
