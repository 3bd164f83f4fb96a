"""Reads of export jobs: who may see a job is decided here."""

from league.errors import NotFound
from league.exports import registry
from league.exports.models import ExportJob

RECENT_JOBS = 20


def job_get_for_user(*, user, job_id: int) -> ExportJob:
    """The job if ``user`` asked for it or may export its dataset; else NotFound."""
    if not user.is_authenticated:
        raise NotFound()
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    if job.requested_by_id == user.pk and user.has_perm("league.export_data"):
        return job
    try:
        dataset = registry.get(job.dataset)
    except NotFound:
        raise NotFound() from None
    if not user.has_perm(dataset.permission):
        raise NotFound()
    return job


def jobs_recent(*, user, limit: int = RECENT_JOBS) -> list[ExportJob]:
    """The user's own latest jobs."""
    return list(ExportJob.objects.filter(requested_by=user)[:limit])
