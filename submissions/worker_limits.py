"""The memory of each evaluating process (a pool process of a worker).

An evaluation that needs more address space than EVALUATION_MEMORY_LIMIT_MB
gets a MemoryError, and the submission fails with a reason the team can
read, instead of the machine swapping or the kernel's out-of-memory killer
taking the worker (which, should it happen anyway, the lease recovers).
Only the soft limit is set, so the sandbox may set its own for programs.

What an evaluation frees goes back to the system (``return_freed_memory``).
"""

import ctypes
import logging
import resource

from celery.signals import worker_process_init
from django.conf import settings

logger = logging.getLogger(__name__)

_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
# Buffers from this size up get pages of their own, unmapped when freed.
OWN_PAGES_FROM_BYTES = 128 * 1024


def cap_memory(megabytes: int) -> None:
    if megabytes <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def return_freed_memory() -> None:
    """Make the buffers an evaluation frees leave the process.

    Left alone, glibc raises its mmap threshold each time a large buffer is
    freed, so later large buffers come from the heap, which seldom shrinks;
    and Arrow's own allocator (mimalloc) keeps the pages it freed. A worker
    that had scored a big file then held about three times what it used.
    A fixed threshold, and Arrow allocating through malloc, keep the
    process's memory close to what it holds.
    """
    try:
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, OWN_PAGES_FROM_BYTES)
    except (OSError, AttributeError):  # not glibc: its allocator as it is
        logger.info("mallopt unavailable; freed memory is returned as the allocator decides")
    import pyarrow  # imported here: only evaluating processes need it

    pyarrow.set_memory_pool(pyarrow.system_memory_pool())


@worker_process_init.connect
def cap_pool_process_memory(**kwargs) -> None:
    cap_memory(settings.EVALUATION_MEMORY_LIMIT_MB)
    return_freed_memory()
