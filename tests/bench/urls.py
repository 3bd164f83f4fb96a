"""The site's URLs plus the baseline views of P1 and P3 (benchmarks only)."""

import uuid

from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from league.models import Phase


@csrf_exempt
def bare_upload(request):
    """Only writes the uploaded file: the floor under any real intake."""
    upload = request.FILES["file"]
    name = default_storage.save(f"bench-bare/{uuid.uuid4().hex}.csv", upload)
    return JsonResponse({"name": name}, status=201)


def trivial(request, phase_id: int):
    """One small read answered as JSON: the floor under the leaderboard (P1)."""
    return JsonResponse({"phase": Phase.objects.filter(pk=phase_id).values("id", "name").first()})


urlpatterns = [
    path("bench/bare-upload/", bare_upload),
    path("bench/trivial/<int:phase_id>/", trivial),
    path("", include("league.urls")),
]
