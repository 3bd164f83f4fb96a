"""Judging's exports: the final standings of a challenge ("final-standings"),
a published version or the preview of what would be published now."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from judging.results import compute, files, selectors
from league.errors import ApplicationError
from league.exports.registry import Dataset, register
from league.models import Challenge

PERMISSION = "judging.publish_standings"


def _refuse(field: str, message: str):
    raise ApplicationError(message, code="invalid", details={field: [message]})


def _parse(raw: Mapping[str, str]) -> dict:
    """``challenge`` (its slug or id) and ``version`` (a number, or "preview";
    the latest published version when absent)."""
    key = (raw.get("challenge") or "").strip()
    if not key:
        _refuse("challenge", _("Name the challenge (its slug or id)."))
    lookup = {"pk": int(key)} if key.isdigit() else {"slug": key}
    challenge = Challenge.objects.select_related("track").filter(**lookup).first()
    if challenge is None:
        _refuse("challenge", _("No challenge is called “%(key)s”.") % {"key": key})
    version = (raw.get("version") or "").strip()
    if version == "preview":
        return {"challenge": challenge, "version": "preview", "rows": _preview_rows(challenge)}
    if version and not (version.isdigit() and int(version) >= 1):
        _refuse("version", _("The version is a number (1, 2, ...) or “preview”."))
    snapshot = selectors.latest_or_none(
        challenge=challenge, version=int(version) if version else None
    )
    if snapshot is None:
        _refuse("version", _("This version of the standings is not published."))
    return {"challenge": challenge, "version": snapshot.version, "rows": snapshot.rows}


def _preview_rows(challenge) -> list[dict]:
    return [s.as_dict() for s in compute.preview(challenge).standings]


def register_datasets() -> None:
    register(
        Dataset(
            name="final-standings",
            title=gettext_lazy("Final standings"),
            permission=PERMISSION,
            parse=_parse,
            columns=lambda parsed: files.COLUMNS,
            rows=lambda parsed: files.table_rows(parsed["rows"]),
            count=lambda parsed: len(parsed["rows"]),
            filename=lambda parsed: f"{parsed['challenge'].slug}-standings-{parsed['version']}",
        )
    )
