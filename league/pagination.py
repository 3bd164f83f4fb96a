"""Lists in the API come in pages: ``?limit=&offset=`` in,
``{count, next, previous, results}`` out (PAGE_SIZE rows unless ``limit`` says
otherwise, never more than MAX_LIMIT), instead of a silent cut."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

MAX_LIMIT = 200


class Pagination(LimitOffsetPagination):
    """DRF's, except that a malformed ``limit`` or ``offset`` is refused (400)
    instead of silently replaced by the default."""

    max_limit = MAX_LIMIT

    def get_limit(self, request):
        self._check(request, self.limit_query_param, minimum=1, maximum=self.max_limit)
        return super().get_limit(request)

    def get_offset(self, request):
        self._check(request, self.offset_query_param, minimum=0)
        return super().get_offset(request)

    def get_schema_operation_parameters(self, view):
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(bounds[parameter["name"]])
        return parameters

    @staticmethod
    def _check(request, name: str, *, minimum: int, maximum: int | None = None) -> None:
        if name not in request.query_params:
            return
        values = request.query_params.getlist(name)
        number = int(values[0]) if len(values) == 1 and values[0].isdigit() else None
        if number is None or number < minimum:
            message = _("Give one whole number, at least %(minimum)d.") % {"minimum": minimum}
        elif maximum is not None and number > maximum:
            message = _("At most %(maximum)d rows come in one page.") % {"maximum": maximum}
        else:
            return
        raise ValidationError({name: [message]})


class PaginatedApiMixin:
    """For an ``APIView`` that lists: ``pagination_class`` is also what
    drf-spectacular reads to document the parameters and the paged shape."""

    pagination_class = Pagination

    def paginated_response(self, queryset, serialize, **extra) -> Response:
        """One page of ``queryset``, each row through ``serialize(page)``;
        ``extra`` keys are answered beside the page's."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        response = paginator.get_paginated_response(serialize(page))
        response.data.update(extra)
        return response


# The same two parameters, for an operation that documents its page by hand.
PAGE_PARAMETERS = [
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        description="Number of results to return per page.",
    ),
    OpenApiParameter(
        "offset",
        {"type": "integer", "minimum": 0},
        description="The initial index of the results.",
    ),
]
