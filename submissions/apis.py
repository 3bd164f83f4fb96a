"""The submissions API: one thin view per operation."""

from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from league.authentication import TokenAuthentication
from league.errors import NotFound
from league.openapi import ErrorSerializer, TypedInput
from league.pagination import PAGE_PARAMETERS, PaginatedApiMixin
from league.timing import stage
from submissions import selectors, services
from submissions.models import DeploymentStage
from submissions.presentation import package_version_dict, submission_public_dict
from submissions.services.packages import PackageChanges
from submissions.token_upload import token_upload
from teams import selectors as teams_selectors
from teams.api_tokens import RegistrationTokenAuthentication

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


def download_response(submission, *, filename: str | None = None) -> FileResponse:
    """The submitted file as an attachment; ``filename`` replaces the team's
    own (judges of a blind review)."""
    return attachment_response(submission.file, filename=filename or submission.original_name)


def attachment_response(fieldfile, *, filename: str) -> FileResponse:
    """Any stored file a participant handed in, only ever as a download of
    an opaque type: the browser neither renders nor sniffs it."""
    response = FileResponse(
        fieldfile.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def proposal_response(version, *, filename: str | None = None) -> FileResponse:
    """A proposal PDF shown inline: a fixed PDF type the browser may not
    second-guess, and a policy that lets the page fetch, script and submit
    nothing, so a participant's file can never act as a page of the site.
    ``filename`` replaces the team's own (judges of a blind review)."""
    return pdf_inline_response(
        version.proposal, filename=filename or version.proposal_name or "proposal.pdf"
    )


def pdf_inline_response(fieldfile, *, filename: str) -> FileResponse:
    """Any stored PDF a participant handed in, shown inline as above."""
    response = FileResponse(
        fieldfile.open("rb"), as_attachment=False, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'none'; form-action 'none'; "
        "base-uri 'none'; frame-ancestors 'self'"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def archive_response(version, *, filename: str | None = None) -> FileResponse:
    return attachment_response(
        version.archive, filename=filename or version.archive_name or "code.zip"
    )


class CheckItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    detail = serializers.CharField()


class ChecklistSerializer(serializers.Serializer):
    ready_for_judging = serializers.BooleanField()
    items = CheckItemSerializer(many=True)


class PackageFormSerializer(serializers.Serializer):
    scenario = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    industry = serializers.CharField(required=False, allow_blank=True, max_length=200)
    target_countries = serializers.ListField(
        child=serializers.CharField(max_length=2),
        required=False,
        help_text="ISO 3166-1 alpha-2 codes, for example TH, VN, CN.",
    )
    deployment_stage = serializers.ChoiceField(
        choices=DeploymentStage.choices, required=False, allow_blank=True
    )
    expected_impact = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    team_roles = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class PackageVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    saved_at = serializers.DateTimeField()
    saved_by = serializers.CharField()
    proposal_name = serializers.CharField()
    proposal_pages = serializers.IntegerField(allow_null=True)
    proposal_url = serializers.CharField(allow_null=True, help_text="Shown inline as a PDF.")
    video_url = serializers.CharField()
    archive_name = serializers.CharField()
    archive_members = serializers.IntegerField(allow_null=True)
    archive_url = serializers.CharField(allow_null=True, help_text="Sent as an attachment.")
    form = PackageFormSerializer()
    checklist = ChecklistSerializer()


PACKAGE_REFUSALS = (
    "Refused saves answer 422 with every reason in `details.violations`, and nothing is "
    "stored: `pdf_not_a_pdf`, `pdf_damaged`, `pdf_encrypted`, `pdf_too_many_pages`, "
    "`file_too_large`, `wrong_extension`, `empty_file`, `archive_unreadable`, "
    "`archive_absolute_path`, `archive_parent_path`, `archive_link`, `archive_special_file`, "
    "`archive_encrypted`, `archive_too_many_members`, `archive_too_large`, `archive_ratio`, "
    "`archive_corrupt`, `video_link_invalid`, `unknown_country`, `invalid_choice`, "
    "`package_version_limit`, `not_a_package_phase`, the window's `phase_not_open` and "
    "`phase_closed`, and the registration's reasons."
)


class PhasePackageVersionsApi(APIView):
    """Your team's package for a review phase: its versions, or a new one."""

    parser_classes = [MultiPartParser, FormParser]

    class PackageSaveSerializer(PackageFormSerializer):
        proposal = serializers.FileField(required=False, allow_empty_file=True)
        archive = serializers.FileField(required=False, allow_empty_file=True)
        remove_archive = serializers.BooleanField(required=False, default=False)
        video_url = serializers.CharField(required=False, allow_blank=True, max_length=500)

    class PackageVersionListSerializer(serializers.Serializer):
        judged_version = serializers.IntegerField(
            allow_null=True,
            help_text="The version the judges read: the last saved before the deadline.",
        )
        results = PackageVersionSerializer(many=True)

    def _registration(self, request, phase):
        registration = teams_selectors.registration_of_user(
            user=request.user, challenge_id=phase.challenge_id
        )
        if registration is None:
            raise NotFound()
        return registration

    @extend_schema(
        operation_id="phase_package_versions_list",
        responses={200: PackageVersionListSerializer, 404: ERROR},
        description="Your team's package versions for a review phase, newest first (at most "
        "50 are kept per phase), each with its checklist; `judged_version` names the one the "
        "judges read.",
    )
    def get(self, request, phase_id: int):
        phase = selectors.phase_get(phase_id=phase_id)
        package = selectors.package_get_for_team(
            registration=self._registration(request, phase), phase=phase
        )
        judged = selectors.package_judged_version(package=package)
        return Response(
            {
                "judged_version": judged.pk if judged else None,
                "results": [
                    package_version_dict(v, checklist=selectors.package_checklist(version=v))
                    for v in selectors.package_versions(package=package)
                ],
            }
        )

    @extend_schema(
        operation_id="phase_package_versions_create",
        request={"multipart/form-data": PackageSaveSerializer},
        responses={201: PackageVersionSerializer, 404: ERROR, 422: ERROR},
        description="Save a new version of your team's package (multipart). Fields you leave "
        "out keep the previous version's values; saving spends no daily quota. "
        + PACKAGE_REFUSALS
        + "\n\n```\ncurl -H 'Authorization: Token <token>' \\\n"
        "     -F proposal=@proposal.pdf -F video_url=https://example.org/demo \\\n"
        "     -F target_countries=TH -F target_countries=VN -F deployment_stage=pilot \\\n"
        "     https://<site>/api/phases/<phase id>/package/versions/\n```",
    )
    def post(self, request, phase_id: int):
        phase = selectors.phase_get(phase_id=phase_id)
        serializer = self.PackageSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = services.package_version_create(
            user=request.user,
            phase=phase,
            changes=PackageChanges(
                proposal=data.get("proposal"),
                archive=data.get("archive"),
                remove_archive=data.get("remove_archive", False),
                video_url=data.get("video_url"),
                form={
                    name: data.get(name) for name in PackageFormSerializer().fields if name in data
                },
            ),
        )
        return Response(
            package_version_dict(version, checklist=selectors.package_checklist(version=version)),
            status=201,
        )


class PackageVersionChecklistApi(APIView):
    @extend_schema(
        operation_id="package_version_checklist",
        responses={200: ChecklistSerializer, 404: ERROR},
        description="The automated checks of one of your team's package versions: what "
        "passed, what to fix, and whether it is ready for judging.",
    )
    def get(self, request, version_id: int):
        version = selectors.package_version_get_for_viewer(user=request.user, version_id=version_id)
        return Response(selectors.package_checklist(version=version).as_dict())
