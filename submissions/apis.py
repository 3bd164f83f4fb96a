"""The submissions API: one thin view per operation."""

from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from league.errors import NotFound
from league.openapi import ErrorSerializer, TypedInput
from submissions import selectors, services
from submissions.presentation import submission_public_dict
from teams import selectors as teams_selectors

ERROR = OpenApiResponse(ErrorSerializer, description='`{"code", "message", "details"}`')


class SubmissionQuotaSerializer(serializers.Serializer):
    daily_limit = serializers.IntegerField()
    used_today = serializers.IntegerField()
    remaining_today = serializers.IntegerField()
    total_limit = serializers.IntegerField()
    used_total = serializers.IntegerField()
    remaining_total = serializers.IntegerField()
    resets_at = serializers.DateTimeField(help_text="When the daily limit resets (UTC).")
    next_possible_at = serializers.DateTimeField(allow_null=True)


class SubmissionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    description = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    status = serializers.CharField()
    public_score = serializers.FloatField(allow_null=True)
    private_score = serializers.FloatField(
        allow_null=True, help_text="Only after the phase's private reveal."
    )
    error_code = serializers.CharField()
    error_message = serializers.CharField()
    attempts = serializers.IntegerField()
    counts_against_quota = serializers.BooleanField()
    is_final = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.CharField()


def _output(submission) -> dict:
    return submission_public_dict(submission)


class PhaseSubmissionsApi(APIView):
    """List your team's submissions for a phase, or upload a new one."""

    parser_classes = [MultiPartParser, FormParser]

    class SubmissionUploadSerializer(serializers.Serializer):
        file = serializers.FileField(allow_empty_file=True)
        description = serializers.CharField(required=False, allow_blank=True, max_length=500)

    class SubmissionListSerializer(serializers.Serializer):
        quota = SubmissionQuotaSerializer(allow_null=True)
        submissions = SubmissionOutputSerializer(many=True)

    @extend_schema(
        operation_id="phase_submissions_list",
        responses={200: SubmissionListSerializer, 404: ERROR},
        description="Your team's submissions for the phase, newest first, with the "
        "remaining quota.\n\n```\ncurl -H 'Authorization: Token <token>' "
        "https://<site>/api/phases/<phase id>/submissions/\n```",
    )
    def get(self, request, phase_id: int):
        phase = selectors.phase_get(phase_id=phase_id)
        registration = teams_selectors.registration_of_user(
            user=request.user, challenge_id=phase.challenge_id
        )
        if registration is None:
            raise NotFound()
        submissions = selectors.team_submissions(registration=registration, phase=phase)[:200]
        quota = selectors.quota_for(registration=registration, phase=phase)
        return Response(
            {
                "quota": quota.as_dict(),
                "submissions": [_output(s) for s in submissions],
            }
        )

    @extend_schema(
        operation_id="phase_submissions_create",
        request={"multipart/form-data": SubmissionUploadSerializer},
        responses={201: SubmissionOutputSerializer, 404: ERROR, 422: ERROR},
        description="Upload a prediction file (multipart). Refused uploads answer 422 with "
        "every reason in `details.violations`; nothing is stored and no quota is spent.\n\n"
        "```\ncurl -H 'Authorization: Token <token>' \\\n"
        "     -F file=@predictions.csv -F description='gradient boosting, 500 trees' \\\n"
        "     https://<site>/api/phases/<phase id>/submissions/\n```",
    )
    def post(self, request, phase_id: int):
        phase = selectors.phase_get(phase_id=phase_id)
        serializer = self.SubmissionUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = services.submission_create(
            user=request.user,
            phase=phase,
            upload=serializer.validated_data["file"],
            description=serializer.validated_data.get("description", ""),
        )
        return Response(_output(submission), status=201)


class SubmissionDetailApi(APIView):
    @extend_schema(
        operation_id="submission_detail",
        responses={200: SubmissionOutputSerializer, 404: ERROR},
        description="One of your team's submissions: status, scores, attempts and, if it "
        "failed, the reason.",
    )
    def get(self, request, submission_id: int):
        submission = selectors.submission_get_for_user(
            user=request.user, submission_id=submission_id
        )
        return Response(_output(submission))


class SubmissionFinalApi(APIView):
    class FinalSelectionSerializer(TypedInput):
        is_final = serializers.BooleanField()

    @extend_schema(
        operation_id="submission_set_final",
        # JSON: a form leaves an unticked box out, which reads as false.
        request={"application/json": FinalSelectionSerializer},
        responses={200: SubmissionOutputSerializer, 404: ERROR, 422: ERROR},
        description="Select (or unselect) a scored submission for the final standings, up "
        "to the phase's limit. With none selected, your best public scores count.",
    )
    def post(self, request, submission_id: int):
        submission = selectors.submission_get_for_user(
            user=request.user, submission_id=submission_id
        )
        serializer = self.FinalSelectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = services.submission_set_final(
            submission=submission, is_final=serializer.validated_data["is_final"]
        )
        return Response(_output(submission))


class SubmissionDownloadApi(APIView):
    @extend_schema(
        operation_id="submission_download",
        responses={(200, "application/octet-stream"): bytes, 404: ERROR},
        description="Your team's file, as an attachment.",
    )
    def get(self, request, submission_id: int):
        submission = selectors.submission_get_for_user(
            user=request.user, submission_id=submission_id
        )
        return download_response(submission)


def download_response(submission) -> FileResponse:
    response = FileResponse(
        submission.file.open("rb"),
        as_attachment=True,
        filename=submission.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class LeaderboardRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    team = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField())
    score = serializers.FloatField()
    private_score = serializers.FloatField(allow_null=True)
    entries = serializers.IntegerField()
    last_submitted_at = serializers.DateTimeField(allow_null=True)
    is_own = serializers.BooleanField()


class LeaderboardSerializer(serializers.Serializer):
    phase = serializers.IntegerField()
    visible = serializers.BooleanField()
    ranking = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    rows = LeaderboardRowSerializer(many=True)
    own_row = LeaderboardRowSerializer(allow_null=True)


class LeaderboardApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="phase_leaderboard",
        responses={200: LeaderboardSerializer, 404: ERROR},
        description="The top 50 teams by best public score, and your own team's row "
        "(`own_row`) when it is outside them. Ties share a rank (standard competition "
        "ranking, 1, 1, 3); among equal scores the earlier submission is listed first.",
    )
    def get(self, request, phase_id: int):
        phase = selectors.phase_get(phase_id=phase_id)
        board = selectors.leaderboard(phase=phase, user=request.user)
        return Response(
            {
                "phase": phase.pk,
                "visible": board.visible,
                "ranking": "standard competition (1, 1, 3); ties listed by earlier submission",
                "higher_is_better": board.higher_is_better,
                "rows": [LeaderboardRowSerializer(r).data for r in board.rows],
                "own_row": LeaderboardRowSerializer(board.own_row).data if board.own_row else None,
            }
        )
