"""Lists in the API come in pages: ``?limit=&offset=`` in,
``{count, next, previous, results}`` out (PAGE_SIZE rows unless ``limit`` says
otherwise, never more than MAX_LIMIT), instead of a silent cut."""

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

MAX_LIMIT = 200


class Pagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT


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
