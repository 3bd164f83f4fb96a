"""Pages of the final standings: public results (latest versions, history,
downloads) and the organizers' preview and publish page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from judging.results import compute, files, selectors, services
from league.errors import ApplicationError

PERMISSION = "judging.publish_standings"


def publisher_required(view):
    """Signed in (else to the login page) and holding the publish permission
    (else 403; being staff grants nothing)."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return inner


def results(request):
    """Every track's published standings (latest versions) and awards."""
    tracks = selectors.results_by_track()
    for track in tracks:
        for snapshot in track.snapshots:
            snapshot.summary = selectors.summary(snapshot)
    return TemplateResponse(
        request,
        "judging/results/index.html",
        {"tracks": tracks, "can_publish": request.user.has_perm(PERMISSION)},
    )


def challenge_results(request, slug: str):
    """One challenge: its latest standings, the method and every version with its files."""
    challenge = selectors.challenge_by_slug(slug)
    versions = selectors.history(challenge)
    latest = versions[0] if versions else None
    return TemplateResponse(
        request,
        "judging/results/challenge.html",
        {
            "challenge": challenge,
            "latest": latest,
            "summary": selectors.summary(latest) if latest else [],
            "versions": versions,
            "can_publish": request.user.has_perm(PERMISSION),
        },
    )


def download(request, slug: str, version: int, fmt: str):
    """A published version's file, byte for byte as it was stored."""
    if fmt not in files.FORMATS:
        raise Http404
    challenge = selectors.challenge_by_slug(slug)
    snapshot = selectors.latest_or_none(challenge=challenge, version=version)
    if snapshot is None:
        raise Http404
    content_type, extension = files.FORMATS[fmt]
    with getattr(snapshot, f"{fmt}_file").open("rb") as stored:
        response = HttpResponse(stored.read(), content_type=content_type)
    name = f"{challenge.slug}-standings-v{snapshot.version}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"{getattr(snapshot, f"{fmt}_sha256")}"'
    return response


@publisher_required
@require_http_methods(["GET"])
def preview(request, slug: str):
    """The organizers' preview: the standings as they would be published now."""
    challenge = selectors.challenge_by_slug(slug)
    return TemplateResponse(
        request,
        "judging/results/preview.html",
        preview_context(challenge),
    )


def preview_context(challenge) -> dict:
    found = compute.preview(challenge)
    versions = selectors.history(challenge)
    return {
        "challenge": challenge,
        "preview": found,
        "rows": [s.as_dict() for s in found.standings],
        "versions": versions,
        "unchanged": bool(versions) and versions[0].inputs_sha256 == found.inputs_sha256,
    }


@publisher_required
@require_POST
def publish(request, slug: str):
    challenge = selectors.challenge_by_slug(slug)
    try:
        snapshot = services.standings_publish(challenge=challenge, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("results:preview", slug=challenge.slug)
    published_message(request, snapshot)
    return redirect("results:challenge", slug=challenge.slug)


def published_message(request, snapshot) -> None:
    text = _("Version %(version)s of the standings is published.") % {"version": snapshot.version}
    if snapshot.same_inputs_as_previous:
        text += " " + _("Its inputs are the same as the previous version's.")
    messages.success(request, text)
