"""The organizers' exports page: pick a dataset, its parameters and a format."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from league.errors import ApplicationError, NotFound
from league.exports import registry, responses, selectors, services
from league.exports.models import ExportFormat, ExportStatus

EXPORT_PERMISSION = "league.export_data"


def _exporter(request):
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def exports_page(request):
    _exporter(request)
    error, chosen = None, request.POST.get("dataset", "")
    if request.method == "POST":
        try:
            dataset = registry.get(chosen)
            params = {i.name: request.POST.get(i.name, "") for i in dataset.inputs}
            result = services.export_request(
                user=request.user,
                dataset_name=chosen,
                params=params,
                format=request.POST.get("format", ""),
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            if isinstance(result, services.Export):
                return responses.export_response(result)
            messages.success(
                request,
                _("The export has %(count)d rows: it is written in the background.")
                % {"count": result.rows_total},
            )
            return redirect("exports:page")
    context = {
        "datasets": registry.available(request.user),
        "formats": ExportFormat.choices,
        "jobs": selectors.jobs_recent(user=request.user),
        "error": error,
        "chosen": chosen,
        "running": (ExportStatus.QUEUED, ExportStatus.RUNNING),
    }
    return render(request, "league/exports.html", context, status=400 if error else 200)


def _job(request, job_id: int):
    try:
        return selectors.job_get_for_user(user=request.user, job_id=job_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@never_cache
@require_GET
def job_status(request, job_id: int):
    return JsonResponse(responses.job_dict(_job(request, job_id)))


@login_required
@require_GET
def job_download(request, job_id: int):
    job = _job(request, job_id)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    return responses.job_file_response(job)
