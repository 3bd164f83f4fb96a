"""The leaderboard API: the ranked page of a phase, its filters and your own row."""

from dataclasses import replace

from django.core.cache import cache
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from league import local_cache
from league.openapi import ERROR
from submissions import selectors


class LeaderboardRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    team = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField())
    score = serializers.FloatField()
    private_score = serializers.FloatField(allow_null=True)
    entries = serializers.IntegerField()
    last_submitted_at = serializers.DateTimeField(allow_null=True)
    is_own = serializers.BooleanField()
    region_groups = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Members' countries grouped by region: China, then ASEAN, then others.",
    )
    cross_border = serializers.BooleanField()


class LeaderboardSerializer(serializers.Serializer):
    phase = serializers.IntegerField()
    visible = serializers.BooleanField()
    ranking = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    finals_rule = serializers.CharField(
        allow_null=True,
        help_text="How a team's private score is chosen; null until private scores are revealed.",
    )
    rows = LeaderboardRowSerializer(many=True)
    own_row = LeaderboardRowSerializer(allow_null=True)
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    matched = serializers.IntegerField(help_text="Teams matching the filters.")
    region_basis = serializers.CharField(help_text="nationality or residence (the track's).")


BOARD_PARAMETERS = [
    OpenApiParameter("region", str, enum=["", "china", "asean", "cross_border"]),
    OpenApiParameter(
        "country",
        {"type": "string", "pattern": "^([A-Za-z]{2})?$"},
        description="A member's country (ISO code, e.g. VN).",
    ),
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": 80, "pattern": "^[^\\x00-\\x1f\\x7f]*$"},
        description="Part of the team's name.",
    ),
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1, "maximum": 100000},
        description="Pages of 50 teams, from 1.",
    ),
]


class LeaderboardApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="phase_leaderboard",
        parameters=BOARD_PARAMETERS,
        responses={200: LeaderboardSerializer, 400: ERROR, 404: ERROR},
        description="The top 50 teams by best public score (`page` for the next 50), and "
        "your own team's row (`own_row`) when it is outside them. Ties share a rank "
        "(standard competition ranking, 1, 1, 3); among equal scores the earlier "
        "submission is listed first. Filters (`region`: china and asean mean every member "
        "from that region; `country`; `q`, part of the name) never re-rank: each row "
        "keeps its overall rank. After the reveal each row's `private_score` follows "
        "`finals_rule`: the team's selected finals count, never its luckiest private score.",
    )
    def get(self, request, phase_id: int):
        phase = selectors.phase_get_cached(phase_id=phase_id)
        wanted = selectors.board_filter(request.query_params)
        board = selectors.leaderboard(phase=phase, user=request.user, board_filter=wanted)
        return Response(
            {
                "phase": phase.pk,
                "visible": board.visible,
                "ranking": "standard competition (1, 1, 3); ties listed by earlier submission; "
                "filters keep the overall rank",
                "higher_is_better": board.higher_is_better,
                "finals_rule": board.finals_rule,
                "rows": _rows_data(board),
                "own_row": LeaderboardRowSerializer(board.own_row).data if board.own_row else None,
                "page": wanted.page,
                "pages": board.pages,
                "matched": board.matched,
                "region_basis": board.region_basis,
            }
        )


def _rows_data(board) -> list[dict]:
    """The page's rows as the API shows them. Serializing them was most of
    the request's time: the rows are serialized once per time zone while the
    board's page is cached, and only the viewer's own row is marked for them."""
    if board.cache_key is None:
        return LeaderboardRowSerializer(board.rows, many=True).data
    key = f"{board.cache_key}:api:{timezone.get_current_timezone_name()}"
    shared = local_cache.shared_get_many([key]).get(key)
    if shared is None:
        unmarked = [replace(row, is_own=False) for row in board.rows]
        shared = [dict(data) for data in LeaderboardRowSerializer(unmarked, many=True).data]
        cache.set(key, shared, selectors.BOARD_CACHE_SECONDS)
    return [
        {**data, "is_own": True} if row.is_own else data
        for data, row in zip(shared, board.rows, strict=True)
    ]
