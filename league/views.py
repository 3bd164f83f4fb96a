from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import MethodNotAllowed

from league import selectors, services
from league.errors import api_error_response
from league.forms import PreferencesForm
from league.health import health_for


@require_GET
def home(request):
    season = selectors.season_current()
    tracks = selectors.season_programme(season=season) if season else []
    return render(request, "league/home.html", {"season": season, "tracks": tracks})


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG."""
    return redirect(static("favicon.svg"))


@never_cache
@require_GET
def health_page(request):
    report = health_for(user=request.user)
    return render(
        request, "league/health.html", {"report": report}, status=200 if report["ok"] else 503
    )


@never_cache
def health_json(request):
    if request.method not in ("GET", "HEAD"):
        return api_error_response(
            "method_not_allowed",
            MethodNotAllowed(request.method).detail,
            status=405,
            headers={"Allow": "GET, HEAD"},
        )
    report = health_for(user=request.user)
    return JsonResponse(report, status=200 if report["ok"] else 503)


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_set_time_zone(user=request.user, time_zone=form.cleaned_data["time_zone"])
        services.user_set_mail_preferences(
            user=request.user,
            language=form.cleaned_data["language"],
            email_on_scored=form.cleaned_data["email_on_scored"],
        )
        messages.success(request, _("Your preferences were saved."))
        return redirect("preferences")
    context = {
        "form": form,
        "token_hint": selectors.api_token_hint(user=request.user),
        "new_token": request.session.pop("new_api_token", None),
    }
    return render(request, "league/preferences.html", context)


@login_required
@require_POST
def api_token_create(request):
    request.session["new_api_token"] = services.api_token_create(user=request.user)
    messages.success(request, _("A new API token was created. Copy it now: it is shown once."))
    return redirect("preferences")


@login_required
@require_POST
def api_token_revoke(request):
    if services.api_token_revoke(user=request.user):
        messages.success(request, _("Your API token was revoked."))
    return redirect("preferences")
