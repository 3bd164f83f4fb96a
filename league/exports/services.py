"""Exports: check a request once, then stream it or hand it to a worker.

The exports page, the admin actions and the API all call
:func:`export_request`; small exports are written in the request, larger
ones become an :class:`ExportJob` that a worker writes to private storage.
"""

import datetime as dt
import logging
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from league.errors import ApplicationError, Forbidden
from league.exports import registry, writers
from league.exports.files import export_path
from league.exports.models import ExportFormat, ExportJob, ExportStatus
from league.queue import publish

logger = logging.getLogger(__name__)

RUN_TASK = "league.export_run"
# Progress is saved every this many rows.
PROGRESS_EVERY = 2000
EXTENSIONS = {"csv-excel": "csv", "csv": "csv", "xlsx": "xlsx", "json": "json"}
CONTENT_TYPES = {
    "csv-excel": "text/csv; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class Export:
    """A checked request: the dataset, its parsed parameters and the format."""

    dataset: registry.Dataset
    params: dict  # parsed by the dataset
    raw_params: dict  # as sent, as text: what a job stores
    format: str
    count: int

    @property
    def filename(self) -> str:
        return f"{self.dataset.filename(self.params)}.{EXTENSIONS[self.format]}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def streams(self) -> bool:
        return self.count <= settings.EXPORT_STREAM_MAX_ROWS


def _as_text(params: Mapping) -> dict[str, str]:
    if not isinstance(params, Mapping):
        raise ApplicationError(_("The parameters of an export are an object of names and values."))
    text = {}
    for key, value in params.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif value is None:
            value = ""
        elif not isinstance(value, str | int):
            raise ApplicationError(
                _("The parameter “%(name)s” must be a single value.") % {"name": key},
                code="invalid_export_params",
            )
        text[str(key)] = str(value)
    return text


def export_check(*, user, dataset_name: str, params: Mapping, format: str) -> Export:
    """The export ``user`` asks for, or an error naming what is wrong with it."""
    dataset = registry.get(dataset_name)
    if not user.has_perm(dataset.permission):
        raise Forbidden(_("You may not export this data."))
    if format not in ExportFormat.values:
        raise ApplicationError(
            _("Unknown format “%(format)s”: choose one of %(choices)s.")
            % {"format": format, "choices": ", ".join(ExportFormat.values)},
            code="invalid_export_format",
        )
    raw = _as_text(params)
    parsed = dataset.parse(raw)
    return Export(dataset, parsed, raw, format, dataset.count(parsed))


def export_request(*, user, dataset_name: str, params: Mapping, format: str) -> Export | ExportJob:
    """A small export to stream now, or the queued job of a large one."""
    export = export_check(user=user, dataset_name=dataset_name, params=params, format=format)
    if export.streams:
        return export
    return job_create(user=user, export=export)


def _meta(export: Export) -> dict:
    return {
        "dataset": export.dataset.name,
        "title": force_str(export.dataset.title),
        "params": export.raw_params,
        "rows": export.count,
        "generated_at": timezone.now().isoformat(),
        "time_zone": "UTC",
    }


def stream_chunks(export: Export, rows: Iterable | None = None) -> Iterator[bytes]:
    """The CSV or JSON file of ``export``, chunk by chunk."""
    columns = export.dataset.columns(export.params)
    rows = export.dataset.rows(export.params) if rows is None else rows
    if export.format == ExportFormat.JSON:
        return writers.json_stream(columns, rows, meta=_meta(export))
    return writers.csv_stream(columns, rows, bom=export.format == ExportFormat.CSV_EXCEL)


def write_file(export: Export, fileobj, rows: Iterable | None = None) -> None:
    """The whole file of ``export`` into ``fileobj`` (any format)."""
    if export.format == ExportFormat.XLSX:
        columns = export.dataset.columns(export.params)
        rows = export.dataset.rows(export.params) if rows is None else rows
        writers.xlsx_write(columns, rows, fileobj, title=force_str(export.dataset.title))
        return
    for chunk in stream_chunks(export, rows):
        fileobj.write(chunk)


def job_create(*, user, export: Export) -> ExportJob:
    job = ExportJob.objects.create(
        requested_by=user,
        dataset=export.dataset.name,
        params=export.raw_params,
        format=export.format,
        rows_total=export.count,
        filename=export.filename,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(lambda: job_publish(job_id=job.pk))
    return job


def job_publish(*, job_id: int) -> bool:
    """Hand the job to the broker; the sweeper retries when it is down."""
    if not publish(RUN_TASK, [job_id], queue="default"):
        return False
    ExportJob.objects.filter(pk=job_id, published_at__isnull=True).update(
        published_at=timezone.now()
    )
    return True


def _counted(rows: Iterable, job_id: int) -> Iterator:
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job_id).update(rows_done=done)


def job_run(*, job_id: int) -> None:
    """Write the job's file (run by the worker). A job runs once: a second
    delivery of the same message finds it claimed and does nothing."""
    now = timezone.now()
    # Queued, or left running by a worker that died past the hard time limit
    # (the broker then delivers the message again).
    abandoned = now - dt.timedelta(seconds=settings.TASK_TIME_LIMIT)
    claimed = (
        ExportJob.objects.filter(pk=job_id)
        .filter(
            Q(status=ExportStatus.QUEUED) | Q(status=ExportStatus.RUNNING, started_at__lt=abandoned)
        )
        .update(status=ExportStatus.RUNNING, started_at=now, rows_done=0)
    )
    if not claimed:
        return
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            export = export_check(
                user=job.requested_by,
                dataset_name=job.dataset,
                params=job.params,
                format=job.format,
            )
            with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
                write_file(export, spool, _counted(export.dataset.rows(export.params), job_id))
                written = spool.tell()
                spool.seek(0)
                name = job.file.storage.save(
                    export_path(job_id=job_id, extension=EXTENSIONS[job.format]), File(spool)
                )
    except ApplicationError as error:
        _job_failed(job_id, force_str(error.message))
        return
    except Exception:
        logger.exception("export job %s failed", job_id)
        _job_failed(job_id, force_str(_("The export failed on our side.")))
        return
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportStatus.DONE,
        file=name,
        rows_done=export.count,
        rows_total=export.count,
        finished_at=timezone.now(),
    )
    logger.info("export job %s wrote %s bytes", job_id, written)


def _job_failed(job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportStatus.FAILED, error=message, finished_at=timezone.now()
    )


def jobs_publish_unsent(*, older_than_seconds: int = 30) -> int:
    """Publish queued jobs the broker never took (beat sweeper)."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    ids = ExportJob.objects.filter(
        status=ExportStatus.QUEUED, published_at__isnull=True, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    return sum(job_publish(job_id=job_id) for job_id in list(ids))


def jobs_clean(*, keep_days: int = 7) -> int:
    """Delete finished jobs (and their files) older than ``keep_days``."""
    cutoff = timezone.now() - dt.timedelta(days=keep_days)
    old = ExportJob.objects.filter(
        status__in=[ExportStatus.DONE, ExportStatus.FAILED], finished_at__lt=cutoff
    )
    removed = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed
