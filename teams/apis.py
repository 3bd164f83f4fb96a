"""The teams API: one thin view per operation, small serializers per view.

Errors are the project's ``ApplicationError`` family, rendered by
``league.errors.api_exception_handler`` as ``{"code", "message", "details"}``.
"""

from django.utils.encoding import force_str
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from league.converters import ID_MAX, ID_MIN
from league.errors import NotFound
from league.models import OrganisationType, ParticipantType, RegionBasis
from league.openapi import (
    CountryCode,
    ErrorSerializer,
    ServiceCheckedText,
    TypedInput,
    documented,
)
from league.pagination import PaginatedApiMixin
from teams import selectors, services, throttles

# The errors of a write; 401, 404 and 429 are added to every operation that can
# give them (league.openapi). 422: the change would break a rule of a challenge.
ERRORS = {
    400: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
    409: ErrorSerializer,
    422: ErrorSerializer,
}

# Rate-limited operations also answer 429, with a Retry-After header.
THROTTLED = {**ERRORS, 429: ErrorSerializer}

# What the services accept, declared for the schema; they still validate and
# answer with their own messages. Free text needs a visible character.
VISIBLE = r"\S"
TeamName = documented(ServiceCheckedText, minLength=1, maxLength=80, pattern=VISIBLE)
DisplayName = documented(ServiceCheckedText, minLength=1, maxLength=120, pattern=VISIBLE)
OrganisationName = documented(ServiceCheckedText, minLength=1, maxLength=200, pattern=VISIBLE)
# An address Django's e-mail validator takes (JSON schema's "email" format allows more).
EMAIL = (
    r"^[A-Za-z0-9_+-]{1,32}(\.[A-Za-z0-9_+-]{1,32}){0,3}@([A-Za-z0-9]{1,20}\.){1,3}[A-Za-z]{2,12}$"
)
EmailAddress = documented(serializers.CharField, maxLength=254, pattern=EMAIL)


# ------------------------------------------------------------------ output


class OrganisationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.CharField()
    country = serializers.CharField(source="country.code")


class ProfileOutput(serializers.Serializer):
    display_name = serializers.CharField()
    nationality = serializers.CharField(source="nationality.code")
    residence = serializers.CharField(source="residence.code")
    participant_type = serializers.CharField()
    organisation = OrganisationOutput(allow_null=True)
    region = serializers.SerializerMethodField()
    region_basis = serializers.SerializerMethodField()
    residence_region = serializers.SerializerMethodField()

    def get_region(self, profile) -> str:
        """By nationality, the default basis; a track may count residence instead."""
        return self.context["table"].region(profile.nationality.code)

    def get_region_basis(self, profile) -> str:
        return RegionBasis.NATIONALITY

    def get_residence_region(self, profile) -> str:
        """The region where a track counts regions by country of residence."""
        return self.context["table"].region(profile.residence.code)


class MemberOutput(serializers.Serializer):
    user_id = serializers.IntegerField(source="user.pk")
    display_name = serializers.CharField(source="user.profile.display_name", default="")
    # Text, not "format: email": addresses are checked by Django's validator.
    email = serializers.CharField(source="user.email")
    nationality = serializers.CharField(source="user.profile.nationality.code", default="")
    residence = serializers.CharField(source="user.profile.residence.code", default="")
    organisation = serializers.CharField(
        source="user.profile.organisation.name", default=None, allow_null=True
    )
    joined_at = serializers.DateTimeField()


def _summary(team, context) -> dict:
    summary = selectors.team_summary(team=team, table=context["table"])
    return {
        "countries": summary.countries,
        "organisations": summary.organisations,
        "cross_border": summary.cross_border,
    }


class TeamPublicOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    countries = serializers.SerializerMethodField()
    organisations = serializers.SerializerMethodField()
    cross_border = serializers.SerializerMethodField()

    def get_countries(self, team) -> list[str]:
        return _summary(team, self.context)["countries"]

    def get_organisations(self, team) -> list[str]:
        return _summary(team, self.context)["organisations"]

    def get_cross_border(self, team) -> bool:
        return _summary(team, self.context)["cross_border"]


class TeamOutput(TeamPublicOutput):
    captain_id = serializers.IntegerField()
    join_code = serializers.SerializerMethodField(
        help_text="Captain only: null for every other viewer, as on the team page."
    )
    members = MemberOutput(source="memberships.all", many=True)

    def get_join_code(self, team) -> str | None:
        return team.join_code if team.captain_id == self.context["viewer"].pk else None


class ViolationOutput(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.SerializerMethodField()

    def get_message(self, violation) -> str:
        return force_str(violation.message)


class CheckOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.SerializerMethodField()
    passed = serializers.BooleanField()
    violations = ViolationOutput(many=True)

    def get_label(self, check) -> str:
        return force_str(check.label)


class MemberRegionOutput(serializers.Serializer):
    user_id = serializers.IntegerField()
    country = serializers.CharField()
    region = serializers.CharField()


class ChecklistOutput(serializers.Serializer):
    challenge_id = serializers.IntegerField(source="challenge.pk")
    challenge = serializers.CharField(source="challenge.title")
    basis = serializers.SerializerMethodField()
    region_basis = serializers.CharField(source="challenge.track.region_basis")
    cross_border = serializers.BooleanField()
    members = MemberRegionOutput(many=True)
    passed = serializers.BooleanField()
    locked = serializers.BooleanField()
    registration_status = serializers.CharField(
        source="registration.status", default=None, allow_null=True
    )
    checks = CheckOutput(many=True)

    def get_basis(self, checklist) -> str:
        return force_str(checklist.basis)


class InvitationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    team_id = serializers.IntegerField()
    team = serializers.CharField(source="team.name")
    email = serializers.CharField()
    status = serializers.CharField()
    expires_at = serializers.DateTimeField()


class RegistrationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    team_id = serializers.IntegerField()
    team = serializers.CharField(source="team.name")
    challenge_id = serializers.IntegerField()
    challenge = serializers.CharField(source="challenge.title")
    status = serializers.CharField()
    rejection_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    # Set when a re-check found the verified registration breaking a rule.
    flagged_at = serializers.DateTimeField(allow_null=True)
    review_reasons = serializers.ListField(child=serializers.DictField())


class RegistrationWithViolationsOutput(RegistrationOutput):
    """A registration with every rule its team breaks now ({code, message,
    params}, as ``details.violations`` of a 422): why it is pending or needs review."""

    violations = serializers.SerializerMethodField()

    def get_violations(self, registration) -> list[dict]:
        return [v.as_dict() for v in self.context["violations"]]


def _context() -> dict:
    return {"table": selectors.region_table()}


def _team_context(request) -> dict:
    return {**_context(), "viewer": request.user}


# ------------------------------------------------------------------ profile


class ProfileGetApi(APIView):
    @extend_schema(responses={200: ProfileOutput, 404: ErrorSerializer}, tags=["profile"])
    def get(self, request):
        profile = selectors.profile_get(user=request.user)
        if profile is None:
            raise NotFound(code="profile_missing")
        return Response(ProfileOutput(profile, context=_context()).data)


class ProfileUpdateApi(APIView):
    class ProfileUpdateInput(TypedInput):
        class NewOrganisationInput(TypedInput):
            name = OrganisationName()
            type = documented(serializers.CharField, enum=OrganisationType.values)()
            country = CountryCode()

        display_name = DisplayName()
        nationality = CountryCode()
        residence = CountryCode()
        participant_type = documented(serializers.CharField, enum=ParticipantType.values)()
        organisation_id = serializers.IntegerField(
            required=False, allow_null=True, min_value=ID_MIN, max_value=ID_MAX
        )
        new_organisation = NewOrganisationInput(required=False, allow_null=True)

    # JSON only: a form cannot carry the nested new organisation.
    @extend_schema(
        request={"application/json": ProfileUpdateInput},
        responses={200: ProfileOutput, **ERRORS},
        tags=["profile"],
    )
    def put(self, request):
        data = self.ProfileUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.profile_update(user=request.user, **data.validated_data)
        return Response(ProfileOutput(profile, context=_context()).data)


class OrganisationListApi(PaginatedApiMixin, APIView):
    @extend_schema(
        parameters=[OpenApiParameter("search", str, required=False)],
        responses={200: OrganisationOutput(many=True)},
        tags=["profile"],
    )
    def get(self, request):
        organisations = selectors.organisation_list(search=request.query_params.get("search", ""))
        return self.paginated_response(
            organisations, lambda page: OrganisationOutput(page, many=True).data
        )


# ------------------------------------------------------------------ teams


class TeamListApi(APIView):
    @extend_schema(responses={200: TeamOutput(many=True)}, tags=["teams"])
    def get(self, request):
        teams = selectors.team_list_for_user(user=request.user)
        return Response(TeamOutput(teams, many=True, context=_team_context(request)).data)


class TeamNameInput(TypedInput):
    name = TeamName(trim_whitespace=True)


class TeamCreateApi(APIView):
    @extend_schema(request=TeamNameInput, responses={201: TeamOutput, **ERRORS}, tags=["teams"])
    def post(self, request):
        data = TeamNameInput(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.team_create(user=request.user, **data.validated_data)
        team = selectors.team_get_for_member(user=request.user, team_id=team.pk)
        output = TeamOutput(team, context=_team_context(request))
        return Response(output.data, status=status.HTTP_201_CREATED)


class TeamJoinApi(APIView):
    throttle_classes = throttles.JOIN_BY_CODE

    class TeamJoinInput(TypedInput):
        code = serializers.CharField(max_length=32)

    @extend_schema(request=TeamJoinInput, responses={200: TeamOutput, **THROTTLED}, tags=["teams"])
    def post(self, request):
        data = self.TeamJoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.team_join(user=request.user, code=data.validated_data["code"])
        team = selectors.team_get_for_member(user=request.user, team_id=team.pk)
        return Response(TeamOutput(team, context=_team_context(request)).data)


class TeamDetailApi(APIView):
    @extend_schema(responses={200: TeamOutput, 404: ErrorSerializer}, tags=["teams"])
    def get(self, request, team_id: int):
        team = selectors.team_get_for_member(user=request.user, team_id=team_id)
        return Response(TeamOutput(team, context=_team_context(request)).data)


class TeamPublicApi(APIView):
    @extend_schema(responses={200: TeamPublicOutput, 404: ErrorSerializer}, tags=["teams"])
    def get(self, request, team_id: int):
        team = selectors.team_get_public(team_id=team_id)
        return Response(TeamPublicOutput(team, context=_context()).data)


class TeamRenameApi(APIView):
    @extend_schema(request=TeamNameInput, responses={200: TeamOutput, **ERRORS}, tags=["teams"])
    def post(self, request, team_id: int):
        data = TeamNameInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.team_rename(team_id=team_id, actor=request.user, **data.validated_data)
        team = selectors.team_get_for_member(user=request.user, team_id=team_id)
        return Response(TeamOutput(team, context=_team_context(request)).data)


class TeamJoinCodeApi(APIView):
    throttle_classes = [throttles.NewJoinCodePerUser]

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("JoinCode", {"join_code": serializers.CharField()}),
            **THROTTLED,
        },
        tags=["teams"],
    )
    def post(self, request, team_id: int):
        team = services.team_regenerate_join_code(team_id=team_id, actor=request.user)
        return Response({"join_code": team.join_code})


class TeamLeaveApi(APIView):
    @extend_schema(request=None, responses={204: None, **ERRORS}, tags=["teams"])
    def post(self, request, team_id: int):
        services.team_leave(team_id=team_id, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamRemoveMemberApi(APIView):
    @extend_schema(request=None, responses={204: None, **ERRORS}, tags=["teams"])
    def post(self, request, team_id: int, user_id: int):
        services.team_remove_member(team_id=team_id, actor=request.user, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamTransferApi(APIView):
    class TeamTransferInput(TypedInput):
        user_id = serializers.IntegerField(min_value=ID_MIN, max_value=ID_MAX)

    @extend_schema(request=TeamTransferInput, responses={200: TeamOutput, **ERRORS}, tags=["teams"])
    def post(self, request, team_id: int):
        data = self.TeamTransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.team_transfer_captaincy(
            team_id=team_id, actor=request.user, user_id=data.validated_data["user_id"]
        )
        team = selectors.team_get_for_member(user=request.user, team_id=team_id)
        return Response(TeamOutput(team, context=_team_context(request)).data)


class TeamChecklistApi(APIView):
    @extend_schema(
        responses={200: ChecklistOutput(many=True), 404: ErrorSerializer}, tags=["teams"]
    )
    def get(self, request, team_id: int):
        team = selectors.team_get_for_member(user=request.user, team_id=team_id)
        return Response(ChecklistOutput(selectors.team_checklists(team=team), many=True).data)


# ------------------------------------------------------------------ invitations


class TeamInvitationListApi(APIView):
    @extend_schema(
        description="The team's pending invitations: its captain only.",
        responses={200: InvitationOutput(many=True), 403: ErrorSerializer, 404: ErrorSerializer},
        tags=["invitations"],
    )
    def get(self, request, team_id: int):
        invitations = selectors.invitation_list_for_captain(user=request.user, team_id=team_id)
        return Response(InvitationOutput(invitations, many=True).data)


class InvitationCreateApi(APIView):
    throttle_classes = throttles.INVITATION_CREATE

    class InvitationCreateInput(TypedInput):
        email = EmailAddress()

    @extend_schema(
        request=InvitationCreateInput,
        responses={201: InvitationOutput, **THROTTLED},
        tags=["invitations"],
    )
    def post(self, request, team_id: int):
        data = self.InvitationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            team_id=team_id, actor=request.user, email=data.validated_data["email"]
        )
        return Response(InvitationOutput(invitation).data, status=status.HTTP_201_CREATED)


class InvitationListApi(APIView):
    @extend_schema(responses={200: InvitationOutput(many=True)}, tags=["invitations"])
    def get(self, request):
        invitations = selectors.invitation_list_for_user(user=request.user)
        return Response(InvitationOutput(invitations, many=True).data)


class InvitationAcceptApi(APIView):
    throttle_classes = [throttles.InvitationAnswersPerUser]

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("Accepted", {"team_id": serializers.IntegerField()}),
            **THROTTLED,
        },
        tags=["invitations"],
    )
    def post(self, request, invitation_id: int):
        membership = services.invitation_accept(invitation_id=invitation_id, user=request.user)
        return Response({"team_id": membership.team_id})


class InvitationDeclineApi(APIView):
    throttle_classes = [throttles.InvitationAnswersPerUser]

    @extend_schema(
        request=None, responses={200: InvitationOutput, **THROTTLED}, tags=["invitations"]
    )
    def post(self, request, invitation_id: int):
        invitation = services.invitation_decline(invitation_id=invitation_id, user=request.user)
        return Response(InvitationOutput(invitation).data)


class InvitationRevokeApi(APIView):
    @extend_schema(request=None, responses={200: InvitationOutput, **ERRORS}, tags=["invitations"])
    def post(self, request, invitation_id: int):
        invitation = services.invitation_revoke(invitation_id=invitation_id, actor=request.user)
        return Response(InvitationOutput(invitation).data)


# ------------------------------------------------------------------ registrations


class RegistrationCreateApi(APIView):
    class RegistrationCreateInput(TypedInput):
        challenge_id = serializers.IntegerField(min_value=ID_MIN, max_value=ID_MAX)

    @extend_schema(
        request=RegistrationCreateInput,
        responses={201: RegistrationWithViolationsOutput, 422: ErrorSerializer, **ERRORS},
        tags=["registrations"],
    )
    def post(self, request, team_id: int):
        data = self.RegistrationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        registration = services.registration_create(
            team_id=team_id, actor=request.user, challenge_id=data.validated_data["challenge_id"]
        )
        violations = selectors.registration_violations(registration=registration)
        output = RegistrationWithViolationsOutput(registration, context={"violations": violations})
        return Response(output.data, status=status.HTTP_201_CREATED)


class RegistrationListApi(APIView):
    @extend_schema(responses={200: RegistrationOutput(many=True)}, tags=["registrations"])
    def get(self, request):
        registrations = selectors.registration_list_for_user(user=request.user)
        return Response(RegistrationOutput(registrations, many=True).data)


class RegistrationDetailApi(APIView):
    @extend_schema(
        responses={200: RegistrationWithViolationsOutput, 404: ErrorSerializer},
        tags=["registrations"],
    )
    def get(self, request, registration_id: int):
        registration = selectors.registration_get_for_member(
            user=request.user, registration_id=registration_id
        )
        violations = selectors.registration_violations(registration=registration)
        return Response(
            RegistrationWithViolationsOutput(registration, context={"violations": violations}).data
        )
