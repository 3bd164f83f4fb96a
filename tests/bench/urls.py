"""The site's URLs plus the bare baseline view of P3 (benchmarks only)."""

import uuid

from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare_upload(request):
    """Only writes the uploaded file: the floor under any real intake."""
    upload = request.FILES["file"]
    name = default_storage.save(f"bench-bare/{uuid.uuid4().hex}.csv", upload)
    return JsonResponse({"name": name}, status=201)


urlpatterns = [
    path("bench/bare-upload/", bare_upload),
    path("", include("league.urls")),
]
