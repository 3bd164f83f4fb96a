"""Admin actions that export through the same service as the exports page."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from league.errors import ApplicationError
from league.exports import responses, services


def export_from_admin(model_admin, request, *, dataset: str, params: dict, format: str):
    """The file of a small export; a message and the exports page for a large
    one; the reason, as an error message, for a refused one."""
    try:
        result = services.export_request(
            user=request.user, dataset_name=dataset, params=params, format=format
        )
    except ApplicationError as error:
        model_admin.message_user(request, error.message, messages.ERROR)
        return None
    if isinstance(result, services.Export):
        return responses.export_response(result)
    model_admin.message_user(
        request,
        _("The export has %(count)d rows: it is written in the background.")
        % {"count": result.rows_total},
        messages.SUCCESS,
    )
    return redirect("exports:page")
