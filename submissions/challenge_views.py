"""The challenge page, its terms and data downloads, and "My challenges"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from league import selectors as league_selectors
from league import services as league_services
from league.errors import NotFound
from submissions import challenge_selectors
from submissions.downloads import data_file_response


def _challenge_or_404(slug: str):
    try:
        return league_selectors.challenge_get_by_slug(slug=slug)
    except NotFound as exc:
        raise Http404 from exc


@require_GET
def challenge_page(request, slug: str):
    challenge = _challenge_or_404(slug)
    page = challenge_selectors.challenge_page(user=request.user, challenge=challenge)
    return render(request, "submissions/challenge.html", {"page": page, "challenge": challenge})


@login_required
@require_GET
def challenge_submit(request, slug: str):
    """Straight to the submit page of the challenge's current phase, or back
    to the challenge page saying what is missing."""
    challenge = _challenge_or_404(slug)
    state = challenge_selectors.submit_state_for(user=request.user, challenge=challenge)
    if state.ready:
        return redirect("submissions:submit", phase_id=state.phase_id)
    messages.warning(request, state.message)
    return redirect(reverse("submissions:challenge", kwargs={"slug": slug}) + "#submit-state")


@login_required
@require_http_methods(["GET", "POST"])
def challenge_terms(request, slug: str):
    """The terms on a page of their own (GET) and their acceptance (POST)."""
    challenge = _challenge_or_404(slug)
    if not challenge.terms.strip():
        return redirect(reverse("submissions:challenge", kwargs={"slug": slug}) + "#data")
    if request.method == "POST":
        if request.POST.get("accept") != "1":
            messages.error(request, _("Tick the box to accept the terms."))
            return redirect("submissions:challenge-terms", slug=slug)
        league_services.terms_accept(user=request.user, challenge=challenge)
        messages.success(request, _("You accepted the terms; the data can be downloaded."))
        return redirect(reverse("submissions:challenge", kwargs={"slug": slug}) + "#data")
    accepted_at = league_selectors.terms_accepted_at(user=request.user, challenge=challenge)
    return render(
        request,
        "submissions/challenge_terms.html",
        {"challenge": challenge, "accepted_at": accepted_at},
    )


@login_required
@require_GET
def challenge_file_download(request, slug: str, file_id: int):
    challenge = _challenge_or_404(slug)
    try:
        challenge_file = league_selectors.challenge_file_get(challenge=challenge, file_id=file_id)
    except NotFound as exc:
        raise Http404 from exc
    refused = challenge_selectors.data_access(user=request.user, challenge=challenge)
    if refused:
        return render(
            request,
            "submissions/challenge_denied.html",
            {"challenge": challenge, "reasons": refused},
            status=403,
        )
    return data_file_response(request, challenge_file)


@login_required
@require_GET
def my_challenges(request):
    rows = challenge_selectors.my_challenges(user=request.user)
    return render(request, "submissions/my_challenges.html", {"rows": rows})
