"""The read-only API of the published standings: the latest version of every
challenge, and one challenge's version (latest or ``?version=N``).

Responses carry an ETag (the version's inputs hash and number) and answer
``304 Not Modified`` to a matching ``If-None-Match``; bodies are cached per
ETag and language."""

import hashlib

from django.core.cache import cache
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from judging.results import selectors
from league.openapi import ERROR

NOT_MODIFIED = OpenApiResponse(description="Not modified: the ETag given in If-None-Match.")
CACHE_SECONDS = 300
CACHE_CONTROL = "public, max-age=60"


class RowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    medal = serializers.CharField(help_text='"gold", "silver", "bronze" or empty.')
    registration_id = serializers.IntegerField()
    team = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField())
    cross_border = serializers.BooleanField()
    individual = serializers.BooleanField()
    automated = serializers.FloatField(allow_null=True, help_text="The private score, raw.")
    automated_normalised = serializers.FloatField(allow_null=True)
    judged = serializers.FloatField(allow_null=True, help_text="The judges' score, raw.")
    judged_normalised = serializers.FloatField(allow_null=True)
    blended = serializers.FloatField()
    submitted_at = serializers.CharField(allow_null=True)


class TalentAwardSerializer(serializers.Serializer):
    registration_id = serializers.IntegerField()
    team = serializers.CharField()
    person = serializers.CharField()
    title = serializers.CharField()
    citation = serializers.CharField()


class FilesSerializer(serializers.Serializer):
    csv = serializers.CharField()
    xlsx = serializers.CharField()
    json = serializers.CharField()


class StandingsSerializer(serializers.Serializer):
    challenge = serializers.CharField(help_text="The challenge's slug.")
    title = serializers.CharField()
    track = serializers.CharField()
    version = serializers.IntegerField()
    method_version = serializers.CharField()
    inputs_sha256 = serializers.CharField()
    same_inputs_as_previous = serializers.BooleanField()
    published_at = serializers.DateTimeField()
    method = serializers.DictField(help_text="Weights, normalisation, rubric scale, medals.")
    weights = serializers.ListField(
        child=serializers.FloatField(), help_text="Automated and judges' weights used."
    )
    method_summary = serializers.ListField(child=serializers.CharField())
    rows = RowSerializer(many=True)
    talent_awards = TalentAwardSerializer(many=True)
    files = FilesSerializer(help_text="Each format's URL and, below, its SHA-256.")
    files_sha256 = FilesSerializer()


class ResultsListSerializer(serializers.Serializer):
    results = StandingsSerializer(many=True)


class VersionQuery(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="A published version (1, 2, ...); the latest when absent.",
    )


def snapshot_dict(snapshot, request) -> dict:
    challenge = snapshot.challenge
    base = f"/results/{challenge.slug}/v{snapshot.version}/standings."
    return {
        "challenge": challenge.slug,
        "title": challenge.title,
        "track": challenge.track.name,
        "version": snapshot.version,
        "method_version": snapshot.method_version,
        "inputs_sha256": snapshot.inputs_sha256,
        "same_inputs_as_previous": snapshot.same_inputs_as_previous,
        "published_at": snapshot.published_at.isoformat(),
        "method": snapshot.method,
        "weights": snapshot.weights,
        "method_summary": selectors.summary(snapshot),
        "rows": snapshot.rows,
        "talent_awards": [
            {k: a[k] for k in ("registration_id", "team", "person", "title", "citation")}
            for a in snapshot.talent_awards
        ],
        "files": {fmt: request.build_absolute_uri(base + fmt) for fmt in ("csv", "xlsx", "json")},
        "files_sha256": {
            fmt: getattr(snapshot, f"{fmt}_sha256") for fmt in ("csv", "xlsx", "json")
        },
    }


def _conditional(request, etag: str, key: str, build) -> Response:
    """304 when the client has this ETag; otherwise the body, from the cache
    when another request built it already."""
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Language"}
    sent = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in sent or "*" in sent:
        return Response(status=304, headers=headers)
    cache_key = f"results:{key}:{get_language()}:{etag}"
    body = cache.get(cache_key)
    if body is None:
        body = build()
        cache.set(cache_key, body, CACHE_SECONDS)
    return Response(body, headers=headers)


class ResultsListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="results_list",
        responses={200: ResultsListSerializer, 304: NOT_MODIFIED},
        description="The latest published standings of every challenge, with awards and the "
        "method in words. Send the ETag back in `If-None-Match` to get `304 Not Modified` "
        "while nothing new is published.",
    )
    def get(self, request):
        snapshots = list(selectors.latest_snapshots())
        stamp = ",".join(f"{s.challenge_id}:{s.version}:{s.inputs_sha256}" for s in snapshots)
        etag = f'"{hashlib.sha256(stamp.encode()).hexdigest()[:32]}-{len(snapshots)}"'
        return _conditional(
            request,
            etag,
            "list",
            lambda: {"results": [snapshot_dict(s, request) for s in snapshots]},
        )


class ResultsDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="results_detail",
        parameters=[VersionQuery],
        responses={200: StandingsSerializer, 304: NOT_MODIFIED, 400: ERROR, 404: ERROR},
        description="One challenge's published standings: the latest version, or "
        "`?version=N`. The ETag is the version's inputs hash and number.",
    )
    def get(self, request, slug: str):
        query = VersionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        challenge = selectors.challenge_by_slug(slug)
        snapshot = selectors.snapshot_get(
            challenge=challenge, version=query.validated_data.get("version")
        )
        return _conditional(
            request,
            snapshot.etag,
            f"challenge:{snapshot.pk}",
            lambda: snapshot_dict(snapshot, request),
        )
