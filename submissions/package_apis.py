"""The review-package API: a team's package versions for a review phase,
and each version's checklist."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from league.errors import NotFound
from league.openapi import ERROR
from submissions import selectors, services
from submissions.models import DeploymentStage
from submissions.presentation import package_version_dict
from submissions.services.packages import PackageChanges
from teams import selectors as teams_selectors


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
