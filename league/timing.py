"""Where a request's time goes: named stages, sent back as a ``Server-Timing`` header.

Code marks its stages with :func:`stage`; nothing is recorded unless
:class:`ServerTimingMiddleware` is installed (the benchmark server installs
it, production does not), so a stage outside it costs one context lookup.
A stage inside another counts only its own time: the outer one is paused.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from time import perf_counter

# The request's stages: name -> seconds, and the stack of open stages.
_recording: ContextVar[tuple[dict, list] | None] = ContextVar("server_timing", default=None)


@contextmanager
def stage(name: str):
    recording = _recording.get()
    if recording is None:
        yield
        return
    totals, open_stages = recording
    frame = [perf_counter(), 0.0]  # started, time spent in nested stages
    open_stages.append(frame)
    try:
        yield
    finally:
        open_stages.pop()
        spent = perf_counter() - frame[0]
        totals[name] = totals.get(name, 0.0) + spent - frame[1]
        if open_stages:
            open_stages[-1][1] += spent


def server_timing_header(totals: dict, *, total: float) -> str:
    parts = [f"{name};dur={seconds * 1000:.2f}" for name, seconds in totals.items()]
    return ", ".join([*parts, f"total;dur={total * 1000:.2f}"])


class ServerTimingMiddleware:
    """Put first in MIDDLEWARE: ``total`` is then the whole of Django's time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        totals: dict = {}
        token = _recording.set((totals, []))
        started = perf_counter()
        try:
            response = self.get_response(request)
        finally:
            _recording.reset(token)
        response["Server-Timing"] = server_timing_header(totals, total=perf_counter() - started)
        return response
