from django.urls import path

from teams import apis, views

app_name = "teams"

pages = [
    path("profile/", views.profile, name="profile"),
    path("teams/", views.my_teams, name="my-teams"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/join/", views.team_join, name="team-join"),
    path("teams/<id:team_id>/", views.team_detail, name="team-detail"),
    path("teams/<id:team_id>/public/", views.team_public, name="team-public"),
    path("teams/<id:team_id>/rename/", views.team_rename, name="team-rename"),
    path("teams/<id:team_id>/invite/", views.team_invite, name="team-invite"),
    path("teams/<id:team_id>/join-code/", views.team_regenerate_code, name="team-join-code"),
    path("teams/<id:team_id>/leave/", views.team_leave, name="team-leave"),
    path("teams/<id:team_id>/remove/", views.team_remove_member, name="team-remove-member"),
    path("teams/<id:team_id>/captain/", views.team_transfer, name="team-transfer"),
    path(
        "teams/<id:team_id>/register/<id:challenge_id>/",
        views.team_register,
        name="team-register",
    ),
    path(
        "teams/<id:team_id>/invitations/<id:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("teams/invitations/<str:token>/", views.invitation, name="invitation"),
]

api = [
    path("api/profile/", apis.ProfileGetApi.as_view(), name="api-profile"),
    path("api/profile/update/", apis.ProfileUpdateApi.as_view(), name="api-profile-update"),
    path(
        "api/profile/organisations/",
        apis.OrganisationListApi.as_view(),
        name="api-organisations",
    ),
    path("api/teams/", apis.TeamListApi.as_view(), name="api-team-list"),
    path("api/teams/create/", apis.TeamCreateApi.as_view(), name="api-team-create"),
    path("api/teams/join/", apis.TeamJoinApi.as_view(), name="api-team-join"),
    path("api/teams/<id:team_id>/", apis.TeamDetailApi.as_view(), name="api-team-detail"),
    path("api/teams/<id:team_id>/public/", apis.TeamPublicApi.as_view(), name="api-team-public"),
    path("api/teams/<id:team_id>/rename/", apis.TeamRenameApi.as_view(), name="api-team-rename"),
    path(
        "api/teams/<id:team_id>/join-code/",
        apis.TeamJoinCodeApi.as_view(),
        name="api-team-join-code",
    ),
    path("api/teams/<id:team_id>/leave/", apis.TeamLeaveApi.as_view(), name="api-team-leave"),
    path(
        "api/teams/<id:team_id>/members/<id:user_id>/remove/",
        apis.TeamRemoveMemberApi.as_view(),
        name="api-team-remove-member",
    ),
    path(
        "api/teams/<id:team_id>/captain/",
        apis.TeamTransferApi.as_view(),
        name="api-team-transfer",
    ),
    path(
        "api/teams/<id:team_id>/checklist/",
        apis.TeamChecklistApi.as_view(),
        name="api-team-checklist",
    ),
    path(
        "api/teams/<id:team_id>/invitations/",
        apis.TeamInvitationListApi.as_view(),
        name="api-team-invitations",
    ),
    path(
        "api/teams/<id:team_id>/invitations/create/",
        apis.InvitationCreateApi.as_view(),
        name="api-invitation-create",
    ),
    path(
        "api/teams/<id:team_id>/registrations/create/",
        apis.RegistrationCreateApi.as_view(),
        name="api-registration-create",
    ),
    path("api/invitations/", apis.InvitationListApi.as_view(), name="api-invitations"),
    path(
        "api/invitations/<id:invitation_id>/accept/",
        apis.InvitationAcceptApi.as_view(),
        name="api-invitation-accept",
    ),
    path(
        "api/invitations/<id:invitation_id>/decline/",
        apis.InvitationDeclineApi.as_view(),
        name="api-invitation-decline",
    ),
    path(
        "api/invitations/<id:invitation_id>/revoke/",
        apis.InvitationRevokeApi.as_view(),
        name="api-invitation-revoke",
    ),
    path("api/registrations/", apis.RegistrationListApi.as_view(), name="api-registrations"),
    path(
        "api/registrations/<id:registration_id>/",
        apis.RegistrationDetailApi.as_view(),
        name="api-registration-detail",
    ),
]

urlpatterns = pages + api
