"""Background exports in the admin: who asked for what and how far it got.

Read-only, and only for organizers holding the export permission; a
finished job links to its file through the exports page's download, which
checks that permission again.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from league.admin_readonly import ReadOnlyAdmin
from league.errors import NotFound
from league.exports import registry
from league.exports.models import ExportJob, ExportStatus
from league.timefmt import when

EXPORT_PERMISSION = "league.export_data"
COLUMNS = ("requested_by", "what", "format", "status", "progress", "requested")


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ("id", *COLUMNS, "download")
    list_filter = ("status", "format", "dataset")
    list_select_related = ("requested_by",)
    search_fields = ("requested_by__email", "requested_by__username", "dataset")
    fields = (*COLUMNS, "finished", "error", "download")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm(EXPORT_PERMISSION)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("Dataset"), ordering="dataset")
    def what(self, job: ExportJob) -> str:
        try:
            title = str(registry.get(job.dataset).title)
        except NotFound:
            title = job.dataset
        params = ", ".join(f"{key}={value}" for key, value in sorted(job.params.items()))
        return f"{title} ({params})" if params else title

    @admin.display(description=_("Progress"))
    def progress(self, job: ExportJob) -> str:
        rows_done = job.rows_total if job.status == ExportStatus.DONE else job.rows_done
        return f"{job.percent}% · {rows_done} / {job.rows_total}"

    @admin.display(description=_("Requested"), ordering="created_at")
    def requested(self, job: ExportJob) -> str:
        return when(job.created_at)

    @admin.display(description=_("finished at"), ordering="finished_at")
    def finished(self, job: ExportJob) -> str:
        return when(job.finished_at) if job.finished_at else "—"

    @admin.display(description=_("Download"))
    def download(self, job: ExportJob) -> str:
        if job.status != ExportStatus.DONE or not job.file:
            return "—"
        url = reverse("exports:job-download", kwargs={"job_id": job.pk})
        return format_html('<a href="{}">{}</a>', url, job.filename or _("Download"))
