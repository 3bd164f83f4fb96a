"""Publishing the final standings: a new frozen version, under a row lock."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from judging.results import compute, files, rules
from judging.results.models import StandingsSnapshot
from league.errors import raise_if_any
from league.models import Challenge


def meta_of(challenge, *, version, inputs_sha256, published_at) -> dict:
    return {
        "challenge": challenge.slug,
        "title": challenge.title,
        "version": version,
        "method_version": rules.METHOD_VERSION,
        "inputs_sha256": inputs_sha256,
        "published_at": published_at.isoformat() if published_at else None,
    }


@transaction.atomic
def standings_publish(*, challenge: Challenge, by, now=None) -> StandingsSnapshot:
    """Freeze the standings as they are now as the next version (1, 2, ...),
    with their exported files. The challenge's row is locked first, so two
    organizers publishing at once make versions n and n + 1, never two n.
    Publishing unchanged inputs again makes a new version marked as such."""
    now = now or timezone.now()
    challenge = Challenge.objects.select_for_update().select_related("track").get(pk=challenge.pk)
    preview = compute.preview(challenge, now=now)
    raise_if_any(
        rules.publish_violations(rows=len(preview.standings), unrevealed=preview.unrevealed)
    )
    last = StandingsSnapshot.objects.filter(challenge=challenge).order_by("-version").first()
    version = last.version + 1 if last else 1
    rows = [standing.as_dict() for standing in preview.standings]
    snapshot = StandingsSnapshot(
        challenge=challenge,
        version=version,
        inputs_sha256=preview.inputs_sha256,
        method_version=rules.METHOD_VERSION,
        method=preview.method.as_dict(),
        weights=list(preview.weights),
        max_finals=preview.max_finals,
        rows=rows,
        talent_awards=preview.talent_awards,
        same_inputs_as_previous=last is not None and last.inputs_sha256 == preview.inputs_sha256,
        published_by=by,
        published_at=now,
    )
    meta = meta_of(
        challenge, version=version, inputs_sha256=preview.inputs_sha256, published_at=now
    )
    rendered = files.render(rows, meta=meta, title=challenge.title)
    stored = []
    try:
        for fmt, content in rendered.items():
            field = getattr(snapshot, f"{fmt}_file")
            field.save(f"{challenge.slug}-v{version}.{fmt}", ContentFile(content), save=False)
            stored.append(field)
            setattr(snapshot, f"{fmt}_sha256", hashlib.sha256(content).hexdigest())
        snapshot.save()
    except Exception:
        for field in stored:
            field.storage.delete(field.name)
        raise
    return snapshot
