"""The one error family of the application.

Services raise an ``ApplicationError`` (or a subclass) with a stable code
and a message in the user's language. The API renders it as
``{"code", "message", "details"}`` with the class's HTTP status; pages show
the same message.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from league.db import is_database_busy


@dataclass(frozen=True)
class Violation:
    """One broken rule: a stable code and a translatable message."""

    code: str
    message: Any
    params: dict = field(default_factory=dict)
    # The key of the message template when it differs from ``code`` (e.g. a
    # count of further lines with the same problem); lets a stored violation
    # be shown again later in another language.
    message_code: str = field(default="", compare=False, repr=False)

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": force_str(self.message)}
        if self.params:
            data["params"] = self.params
        return data


class ApplicationError(Exception):
    status = 400
    code = "invalid"
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, code: str | None = None, details=None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.details = details if details is not None else {}
        super().__init__(force_str(self.message))

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": force_str(self.message),
            "details": self.details,
        }


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Forbidden(ApplicationError):
    status = 403
    code = "forbidden"
    default_message = _("You are not allowed to do this.")


class Conflict(ApplicationError):
    status = 409
    code = "conflict"


class RuleViolation(ApplicationError):
    """Raised with every rule that a request breaks, never just the first."""

    status = 422
    code = "rule_violation"

    def __init__(self, violations: Iterable[Violation], *, code: str | None = None):
        self.violations = list(violations)
        message = " ".join(force_str(v.message) for v in self.violations)
        super().__init__(
            message,
            code=code or (self.violations[0].code if len(self.violations) == 1 else None),
            details={"violations": [v.as_dict() for v in self.violations]},
        )


def raise_if_any(violations: Iterable[Violation]) -> None:
    found = list(violations)
    if found:
        raise RuleViolation(found)


def validation_error_details(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            name: [force_str(m) for m in messages] for name, messages in error.message_dict.items()
        }
    return {"non_field_errors": [force_str(m) for m in error.messages]}


BUSY_RETRY_AFTER_SECONDS = 2


def api_exception_handler(exc, context):
    """Render every error as ``{"code", "message", "details"}``."""
    if is_database_busy(exc):
        # SQLite's write lock held past its timeout by a burst of writers:
        # nothing was stored, and the client may simply try again.
        return Response(
            {
                "code": "service_busy",
                "message": force_str(
                    _("The server is busy. Nothing was saved; please try again in a moment.")
                ),
                "details": {},
            },
            status=503,
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        details = validation_error_details(exc)
        first = next(iter(details.values()))[0]
        return Response({"code": "invalid", "message": first, "details": details}, status=400)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        first = _first_message(details)
        response.data = {"code": "invalid", "message": first, "details": details}
    else:
        detail = exc.detail if isinstance(exc, drf_exceptions.APIException) else str(exc)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"code": code, "message": force_str(detail), "details": {}}
    return response


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def api_error_response(code: str, message, *, status: int, headers=None) -> JsonResponse:
    """An error of the API outside a DRF view, in the API's own format."""
    return JsonResponse(
        {"code": code, "message": force_str(message), "details": {}},
        status=status,
        headers=headers,
    )


# Django's error views (``handler400`` ... ``handler500`` in league/urls.py):
# JSON for the API, whatever failed and wherever (an unknown route, a plain
# Django view, an unexpected exception), and the site's pages otherwise.
# The messages are fixed: an exception's text never reaches the client.


def bad_request(request, exception):
    if _is_api(request):
        return api_error_response(
            "parse_error", drf_exceptions.ParseError.default_detail, status=400
        )
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return api_error_response(
            "permission_denied", drf_exceptions.PermissionDenied.default_detail, status=403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return api_error_response("not_found", NotFound.default_message, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return api_error_response(
            "server_error", drf_exceptions.APIException.default_detail, status=500
        )
    return defaults.server_error(request)


def _first_message(details) -> str:
    if isinstance(details, dict):
        for value in details.values():
            return _first_message(value)
    if isinstance(details, list | tuple) and details:
        return _first_message(details[0])
    return force_str(details)
