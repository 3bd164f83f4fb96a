"""The memory cap of each evaluating process (a pool process of a worker).

An evaluation that needs more address space than EVALUATION_MEMORY_LIMIT_MB
gets a MemoryError, and the submission fails with a reason the team can
read, instead of the machine swapping or the kernel's out-of-memory killer
taking the worker (which, should it happen anyway, the lease recovers).
Only the soft limit is set, so the sandbox may set its own for programs.
"""

import logging
import resource

from celery.signals import worker_process_init
from django.conf import settings

logger = logging.getLogger(__name__)


def cap_memory(megabytes: int) -> None:
    if megabytes <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


@worker_process_init.connect
def cap_pool_process_memory(**kwargs) -> None:
    cap_memory(settings.EVALUATION_MEMORY_LIMIT_MB)
