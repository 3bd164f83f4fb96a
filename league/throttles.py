"""Rate limits of guessable and mail-sending actions, for the API and pages alike.

One place holds the counting: a fixed window per scope and key, counted with
the shared Django cache's atomic ``incr`` (Redis in production), so parallel
requests cannot slip past the limit and every web process sees the same
counts. The rates are ``settings.THROTTLE_RATES`` ("10/hour").

- API views list ``Throttle`` subclasses in ``throttle_classes`` (DRF calls
  them after authentication);
- pages wrap their view with ``throttle_page(...)`` using the same classes;
- both refuse with ``Throttled``: 429, a ``Retry-After`` header and a
  translatable message (in the API's ``{"code", "message", "details"}``).
"""

import hashlib
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/minute"`` → (20, 60). A period may be abbreviated (``"3/d"``)."""
    count, period = rate.split("/")
    seconds = next(s for name, s in PERIODS.items() if name.startswith(period.strip()[:1]))
    return int(count), seconds


def _wait_message(wait: int) -> str:
    if wait < 60:
        return ngettext(
            "Too many attempts. Try again in %(count)d second.",
            "Too many attempts. Try again in %(count)d seconds.",
            wait,
        ) % {"count": wait}
    if wait < 3600:
        minutes = math.ceil(wait / 60)
        return ngettext(
            "Too many attempts. Try again in %(count)d minute.",
            "Too many attempts. Try again in %(count)d minutes.",
            minutes,
        ) % {"count": minutes}
    hours = math.ceil(wait / 3600)
    return ngettext(
        "Too many attempts. Try again in %(count)d hour.",
        "Too many attempts. Try again in %(count)d hours.",
        hours,
    ) % {"count": hours}


class Throttled(exceptions.Throttled):
    """429 with ``Retry-After``: DRF's exception handler adds the header from
    ``wait``; pages render it with ``throttled_response``."""

    default_code = "throttled"

    def __init__(self, wait: float):
        self.wait = max(1, math.ceil(wait))
        exceptions.APIException.__init__(self, _wait_message(self.wait), self.default_code)


class Limit:
    """The counter of one scope (its rate from ``settings.THROTTLE_RATES``)."""

    def __init__(self, scope: str):
        self.scope = scope
        self.count, self.period = parse_rate(settings.THROTTLE_RATES[scope])

    def _window(self, key: str) -> tuple[str, float]:
        now = time.time()
        start = now - now % self.period
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return f"throttle:{self.scope}:{digest}:{int(start)}", start + self.period - now

    def spend(self, key: str) -> None:
        """Count one attempt; refuse it if the window's attempts are used up."""
        cache_key, remaining = self._window(key)
        cache.add(cache_key, 0, timeout=math.ceil(remaining) + 1)
        try:
            used = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: a new window
            cache.set(cache_key, 1, timeout=math.ceil(remaining) + 1)
            used = 1
        if used > self.count:
            raise Throttled(remaining)

    def refuse_if_spent(self, key: str) -> None:
        """Refuse without counting when the window's attempts are used up."""
        cache_key, remaining = self._window(key)
        if (cache.get(cache_key) or 0) >= self.count:
            raise Throttled(remaining)


def client_ip(request) -> str:
    """The client's address, as DRF's throttles see it (``NUM_PROXIES``)."""
    return BaseThrottle().get_ident(request)


def signed_in(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class Throttle(BaseThrottle):
    """A DRF throttle on one scope; ``key`` says whom a request counts against
    (``None``: this request is not counted). It raises ``Throttled`` itself,
    so every throttle of a view answers with the project's message."""

    scope: str

    def key(self, request, url_kwargs: dict) -> str | None:
        raise NotImplementedError

    def check(self, request, url_kwargs: dict) -> None:
        key = self.key(request, url_kwargs)
        if key is not None:
            Limit(self.scope).spend(key)

    def allow_request(self, request, view) -> bool:
        self.check(request, getattr(view, "kwargs", {}))
        return True


class PerUser(Throttle):
    def key(self, request, url_kwargs):
        user = signed_in(request)
        return str(user.pk) if user else None


class PerIp(Throttle):
    def key(self, request, url_kwargs):
        return client_ip(request)


def throttled_response(request, error: Throttled):
    response = render(request, "league/throttled.html", {"message": error.detail}, status=429)
    response["Retry-After"] = str(error.wait)
    return response


def throttle_page(*throttles: type[Throttle], methods=("POST",)):
    """Apply API throttles to a page view: the same rates and counters; a
    refused request gets a 429 page that says when to try again."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                try:
                    for throttle in throttles:
                        throttle().check(request, kwargs)
                except Throttled as error:
                    return throttled_response(request, error)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
