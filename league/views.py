from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from league import selectors, services
from league.forms import PreferencesForm
from league.health import health_report


@require_GET
def home(request):
    season = selectors.season_current()
    tracks = selectors.season_programme(season=season) if season else []
    return render(request, "league/home.html", {"season": season, "tracks": tracks})


@never_cache
@require_GET
def health_page(request):
    report = health_report()
    return render(
        request, "league/health.html", {"report": report}, status=200 if report["ok"] else 503
    )


@never_cache
@require_GET
def health_json(request):
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_set_time_zone(user=request.user, time_zone=form.cleaned_data["time_zone"])
        messages.success(request, _("Your preferences were saved."))
        return redirect("preferences")
    return render(request, "league/preferences.html", {"form": form})
