"""The upload API's short way: an upload signed with a valid token and sent
as the documented form is answered without DRF's request machinery (a
deadline burst pays for it on every upload), through the same service, with
the same answer and the same errors. Anything out of the ordinary (no token,
a refused or throttled token, another answer format asked for, a form the
serializer would correct or refuse) goes the usual way, untouched."""

from django.http import HttpRequest
from rest_framework.authtoken.models import Token
from rest_framework.response import Response

from league.errors import NotFound, api_exception_handler
from league.throttles import Limit, Throttled, client_ip
from league.timing import stage
from submissions import selectors, services
from submissions.presentation import submission_public_dict
from submissions.services.quota import counter_beside, counter_seen
from teams.api_tokens import token_with_registration_and

# The form's text fields and their longest values, as the upload serializer has them.
TEXT_FIELDS = {"description": 500, "entry_point": 255}
JSON_ACCEPTS = ("", "*/*", "application/json")


def token_upload(request: HttpRequest, *, phase_id: int) -> Response | None:
    """The upload's answer (to render as JSON), or None for the usual way."""
    key = _token_key(request)
    if key is None or request.headers.get("Accept", "") not in JSON_ACCEPTS or request.GET:
        return None
    with stage("auth"):
        try:
            phase = selectors.phase_get_cached(phase_id=phase_id)
            Limit("token_failure").refuse_if_spent(client_ip(request))
            token, registration, counter_row = token_with_registration_and(
                key=key, challenge_id=phase.challenge_id, beside=counter_beside(phase=phase)
            )
        except (NotFound, Throttled, Token.DoesNotExist):
            return None
    if not token.user.is_active:
        return None
    with stage("parse"):
        form = _plain_form(request)
    if form is None:
        return None
    request.user = token.user
    counter = None
    if registration is not None:
        counter = counter_seen(counter_row, registration=registration, phase=phase)
    try:
        submission = services.submission_create(
            user=token.user, phase=phase, registration=registration, counter=counter, **form
        )
    except Exception as exc:
        refusal = api_exception_handler(exc, {"request": request})
        if refusal is None:
            raise
        return refusal
    return Response(submission_public_dict(submission), status=201)


def _token_key(request: HttpRequest) -> str | None:
    words = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(words) != 2 or words[0].lower() != "token":
        return None
    return words[1]


def _plain_form(request: HttpRequest) -> dict | None:
    """The form's values when the upload serializer would take them as they
    are (one named file; text already trimmed, short enough, printable)."""
    files = request.FILES.getlist("file")
    if len(files) != 1 or not files[0].name or "file" in request.POST:
        return None
    form = {"upload": files[0]}
    for name, longest in TEXT_FIELDS.items():
        values = request.POST.getlist(name)
        if len(values) > 1:
            return None
        value = values[0] if values else ""
        if value != value.strip() or len(value) > longest or not value.isprintable():
            return None
        form[name] = value
    return form
