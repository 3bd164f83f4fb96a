"""Reads of the published standings: what the public pages and the API show.
Everything comes from frozen versions; nothing is recomputed, and no judge's
name is ever part of them."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from judging.results import rules
from judging.results.models import StandingsSnapshot, TrackAwards
from league.errors import NotFound
from league.models import Challenge
from league.translation import in_every_language
from submissions.rules import finals_rule

LIST_FIELDS = (
    "id",
    "challenge_id",
    "version",
    "inputs_sha256",
    "method_version",
    "method",
    "weights",
    "max_finals",
    "rows",
    "talent_awards",
    "same_inputs_as_previous",
    "published_at",
    "csv_sha256",
    "xlsx_sha256",
    "json_sha256",
)


def latest_snapshots():
    """The latest version of every challenge that has one, with its challenge
    and track (one query)."""
    newer = StandingsSnapshot.objects.filter(
        challenge_id=OuterRef("challenge_id"), version__gt=OuterRef("version")
    )
    return (
        StandingsSnapshot.objects.filter(~Exists(newer))
        .select_related("challenge__track__season")
        .only(
            *LIST_FIELDS,
            "challenge__slug",
            *in_every_language("challenge__title"),
            *in_every_language("challenge__track__name"),
            "challenge__track__order",
            *in_every_language("challenge__track__season__name"),
            "challenge__track__season__starts_on",
        )
        .order_by(
            "-challenge__track__season__starts_on", "challenge__track__order", "challenge__title"
        )
    )


@dataclass
class TrackResults:
    track: object
    snapshots: list = field(default_factory=list)
    best_cross_border: dict | None = None
    best_cross_border_challenge: object = None
    talent_awards: list = field(default_factory=list)


def results_by_track() -> list[TrackResults]:
    """Each track with published standings: its challenges' latest versions and
    the track's awards (two queries)."""
    tracks: dict[int, TrackResults] = {}
    for snapshot in latest_snapshots():
        track = snapshot.challenge.track
        tracks.setdefault(track.pk, TrackResults(track)).snapshots.append(snapshot)
    disabled = set(
        TrackAwards.objects.filter(track_id__in=list(tracks), best_cross_border=False).values_list(
            "track_id", flat=True
        )
    )
    for track_id, results in tracks.items():
        for snapshot in results.snapshots:
            results.talent_awards += [
                {**award, "challenge": snapshot.challenge} for award in snapshot.talent_awards
            ]
        if track_id in disabled:
            continue
        labelled = [
            {**row, "snapshot": snapshot} for snapshot in results.snapshots for row in snapshot.rows
        ]
        best = rules.best_cross_border(labelled)
        if best is not None:
            results.best_cross_border = best
            results.best_cross_border_challenge = best["snapshot"].challenge
    return list(tracks.values())


def challenge_by_slug(slug: str) -> Challenge:
    return get_object_or_404(Challenge.objects.select_related("track__season"), slug=slug)


def history(challenge) -> list[StandingsSnapshot]:
    """Every published version of a challenge, newest first."""
    return list(
        StandingsSnapshot.objects.filter(challenge=challenge)
        .select_related("published_by")
        .order_by("-version")
    )


def snapshot_get(*, challenge, version: int | None = None) -> StandingsSnapshot:
    """A version of the challenge's standings (the latest when ``version`` is None)."""
    found = StandingsSnapshot.objects.filter(challenge=challenge).order_by("-version")
    if version is not None:
        found = found.filter(version=version)
    snapshot = found.first()
    if snapshot is None:
        raise NotFound()
    snapshot.challenge = challenge
    return snapshot


def latest_or_none(*, challenge, version: int | None = None) -> StandingsSnapshot | None:
    try:
        return snapshot_get(challenge=challenge, version=version)
    except NotFound:
        return None


def summary(snapshot) -> list[str]:
    """The method of a version in words, in the current language."""
    rule = str(finals_rule(max_finals=snapshot.max_finals)) if snapshot.max_finals else ""
    return rules.method_summary(snapshot.method, weights=tuple(snapshot.weights), finals_rule=rule)
