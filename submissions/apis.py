"""The submissions API: one thin view per operation."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from league.authentication import TokenAuthentication
from league.errors import NotFound
from league.openapi import ERROR, TypedInput
from league.pagination import PAGE_PARAMETERS, PaginatedApiMixin
from league.timing import stage
from submissions import selectors, services
from submissions.file_responses import download_response
from submissions.presentation import submission_public_dict
from submissions.token_upload import token_upload
from teams import selectors as teams_selectors
from teams.api_tokens import RegistrationTokenAuthentication


class SubmissionQuotaSerializer(serializers.Serializer):
    daily_limit = serializers.IntegerField()
    used_today = serializers.IntegerField()
    remaining_today = serializers.IntegerField()
    total_limit = serializers.IntegerField()
    used_total = serializers.IntegerField()
    remaining_total = serializers.IntegerField()
    resets_at = serializers.DateTimeField(help_text="When the daily limit resets (UTC).")
    next_possible_at = serializers.DateTimeField(allow_null=True)


class TestRunSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The test's name (a predictions run: the file).")
    group = serializers.CharField(help_text="Tests of one group score only all together.")
    split = serializers.ChoiceField(choices=["public", "private"])
    verdict = serializers.ChoiceField(
        choices=[
            "ok",
            "accepted",
            "wrong_answer",
            "time_limit",
            "memory_limit",
            "runtime_error",
            "output_limit",
        ],
        help_text="`ok`: a predictions run that finished.",
    )
    verdict_label = serializers.CharField(help_text="The verdict in the reader's language.")
    wall_seconds = serializers.FloatField()
    cpu_seconds = serializers.FloatField()
    stdout_head = serializers.CharField(help_text="The beginning of the program's stdout.")
    stderr_head = serializers.CharField(help_text="The beginning of the program's stderr.")
    detail = serializers.CharField(help_text='A short technical reason, e.g. "exit code 1".')


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
    entry_point = serializers.CharField(help_text="Code challenges: the file run.")
    tests = TestRunSerializer(
        many=True,
        allow_null=True,
        help_text="Code challenges: one entry per test case (a predictions run: one entry), "
        "private tests only after the reveal; never inputs or expected outputs. Null for "
        "other modes, before the evaluation, and in lists (fetch the submission).",
    )


def _output(submission, *, with_tests: bool = False) -> dict:
    return submission_public_dict(submission, with_tests=with_tests)


class PhaseSubmissionsApi(PaginatedApiMixin, APIView):
    """List your team's submissions for a phase, or upload a new one."""

    parser_classes = [MultiPartParser, FormParser]

    def dispatch(self, request, *args, **kwargs):
        """A plain token-signed upload takes the short way (submissions/token_upload.py)."""
        if request.method == "POST":
            answer = token_upload(request, phase_id=kwargs["phase_id"])
            if answer is not None:
                self.args, self.kwargs, self.headers = args, kwargs, self.default_response_headers
                request.accepted_renderer = JSONRenderer()
                request.accepted_media_type = JSONRenderer.media_type
                return self.finalize_response(request, answer, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_authenticators(self):
        """An upload reads the user's registration with the token (one query
        instead of two: a deadline burst pays for each)."""
        authenticators = super().get_authenticators()
        phase_id = getattr(self, "kwargs", {}).get("phase_id")
        if self.request is None or self.request.method != "POST" or phase_id is None:
            return authenticators  # the schema's generator asks too
        try:
            phase = selectors.phase_get_cached(phase_id=phase_id)
        except NotFound:
            return authenticators  # post() answers 404 after authentication
        return [
            RegistrationTokenAuthentication(challenge_id=phase.challenge_id)
            if isinstance(a, TokenAuthentication)
            else a
            for a in authenticators
        ]

    class SubmissionUploadSerializer(serializers.Serializer):
        file = serializers.FileField(allow_empty_file=True)
        description = serializers.CharField(required=False, allow_blank=True, max_length=500)
        entry_point = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=255,
            help_text="Code challenges, a .zip: the file to run (default `main.py`).",
        )

    class SubmissionListSerializer(serializers.Serializer):
        count = serializers.IntegerField()
        next = serializers.URLField(allow_null=True)
        previous = serializers.URLField(allow_null=True)
        results = SubmissionOutputSerializer(many=True)
        quota = SubmissionQuotaSerializer(allow_null=True)

    @extend_schema(
        operation_id="phase_submissions_list",
        parameters=PAGE_PARAMETERS,
        responses={200: SubmissionListSerializer, 404: ERROR},
        description="Your team's submissions for the phase, newest first, a page at a time "
        "(`limit`, `offset`), with the remaining quota.\n\n```\n"
        "curl -H 'Authorization: Token <token>' "
        "'https://<site>/api/phases/<phase id>/submissions/?limit=50&offset=0'\n```",
    )
    def get(self, request, phase_id: int):
        phase = selectors.phase_get(phase_id=phase_id)
        registration = teams_selectors.registration_of_user(
            user=request.user, challenge_id=phase.challenge_id
        )
        if registration is None:
            raise NotFound()
        submissions = selectors.team_submissions(registration=registration, phase=phase)
        quota = selectors.quota_for(registration=registration, phase=phase)
        return self.paginated_response(
            submissions, lambda page: [_output(s) for s in page], quota=quota.as_dict()
        )

    @extend_schema(
        operation_id="phase_submissions_create",
        request={"multipart/form-data": SubmissionUploadSerializer},
        responses={201: SubmissionOutputSerializer, 404: ERROR, 422: ERROR},
        description="Upload a prediction file, or a program for a code challenge (a .py "
        "file, or a .zip with `entry_point`) (multipart). Refused uploads answer 422 with "
        "every reason in `details.violations`; nothing is stored and no quota is spent.\n\n"
        "```\ncurl -H 'Authorization: Token <token>' \\\n"
        "     -F file=@predictions.csv -F description='gradient boosting, 500 trees' \\\n"
        "     https://<site>/api/phases/<phase id>/submissions/\n```",
    )
    def post(self, request, phase_id: int):
        with stage("lookups"):
            phase = selectors.phase_get_cached(phase_id=phase_id)
        with stage("parse"):
            serializer = self.SubmissionUploadSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
        read = request.successful_authenticator
        known = (
            {"registration": read.registration}
            if isinstance(read, RegistrationTokenAuthentication)
            else {}
        )
        submission = services.submission_create(
            user=request.user,
            phase=phase,
            **known,
            upload=serializer.validated_data["file"],
            description=serializer.validated_data.get("description", ""),
            entry_point=serializer.validated_data.get("entry_point", ""),
        )
        return Response(_output(submission), status=201)


class SubmissionDetailApi(APIView):
    @extend_schema(
        operation_id="submission_detail",
        responses={200: SubmissionOutputSerializer, 404: ERROR},
        description="One of your team's submissions: status, scores, attempts, if it "
        "failed the reason, and for code challenges the verdict of each test (`tests`).",
    )
    def get(self, request, submission_id: int):
        submission = selectors.submission_get_for_user(
            user=request.user, submission_id=submission_id
        )
        return Response(_output(submission, with_tests=True))


class SubmissionFinalApi(APIView):
    class FinalSelectionSerializer(TypedInput):
        is_final = serializers.BooleanField()

    @extend_schema(
        operation_id="submission_set_final",
        # JSON: a form leaves an unticked box out, which reads as false.
        request={"application/json": FinalSelectionSerializer},
        responses={200: SubmissionOutputSerializer, 404: ERROR, 422: ERROR},
        description="Select (or unselect) a scored submission for the final standings, up "
        "to the phase's limit. After the reveal your team's private score is the best private "
        "score among its selected finals; with none selected, among its best submissions by "
        "public score (as many as the phase's limit). A re-run by the organizers keeps the "
        "selection.",
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
