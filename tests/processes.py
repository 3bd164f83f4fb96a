"""Processes the tests start (workers, web servers, Redis) die with the test
run: an interrupted run must not leave a worker behind that takes the next
run's tasks from the same queue."""

import ctypes
import signal

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """``preexec_fn`` for ``subprocess.Popen``: the kernel kills the child
    when the process that started it ends, however it ends (Linux)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
