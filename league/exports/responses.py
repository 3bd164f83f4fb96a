"""HTTP responses of exports: a streamed file, or a finished job's file."""

import tempfile

from django.http import FileResponse, StreamingHttpResponse

from league.exports import services
from league.exports.models import ExportFormat, ExportJob


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def export_response(export: services.Export):
    """The file of a small export, written while it is sent (XLSX: spooled first)."""
    if export.format == ExportFormat.XLSX:
        spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
        services.write_file(export, spool)
        spool.seek(0)
        response = FileResponse(spool, content_type=export.content_type)
    else:
        response = StreamingHttpResponse(
            services.stream_chunks(export), content_type=export.content_type
        )
    return _attachment(response, export.filename)


def job_file_response(job: ExportJob):
    response = FileResponse(job.file.open("rb"), content_type=services.CONTENT_TYPES[job.format])
    return _attachment(response, job.filename)


def job_dict(job: ExportJob) -> dict:
    """A job as the API and the exports page's poll show it."""
    from django.urls import reverse

    done = job.status == "done"
    return {
        "id": job.pk,
        "dataset": job.dataset,
        "params": job.params,
        "format": job.format,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "rows_done": job.rows_total if done else job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "download_url": reverse("exports:api-job-download", kwargs={"job_id": job.pk})
        if done
        else None,
    }
