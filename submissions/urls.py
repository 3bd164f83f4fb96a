from django.urls import path

from submissions import apis, views

app_name = "submissions"
urlpatterns = [
    path("phases/<int:phase_id>/submissions/", views.phase_submissions, name="submit"),
    path("phases/<int:phase_id>/submissions/status/", views.phase_status, name="status"),
    path("phases/<int:phase_id>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="detail"),
    path("submissions/<int:submission_id>/download/", views.submission_download, name="download"),
    path("submissions/<int:submission_id>/final/", views.submission_final, name="final"),
    path(
        "package-versions/<int:version_id>/proposal/",
        views.package_proposal,
        name="package-proposal",
    ),
    path(
        "package-versions/<int:version_id>/archive/",
        views.package_archive,
        name="package-archive",
    ),
    path(
        "api/phases/<int:phase_id>/package/versions/",
        apis.PhasePackageVersionsApi.as_view(),
        name="api-package-versions",
    ),
    path(
        "api/package-versions/<int:version_id>/checklist/",
        apis.PackageVersionChecklistApi.as_view(),
        name="api-package-checklist",
    ),
    path(
        "api/phases/<int:phase_id>/submissions/",
        apis.PhaseSubmissionsApi.as_view(),
        name="api-phase-submissions",
    ),
    path(
        "api/phases/<int:phase_id>/leaderboard/",
        apis.LeaderboardApi.as_view(),
        name="api-leaderboard",
    ),
    path(
        "api/submissions/<int:submission_id>/",
        apis.SubmissionDetailApi.as_view(),
        name="api-detail",
    ),
    path(
        "api/submissions/<int:submission_id>/file/",
        apis.SubmissionDownloadApi.as_view(),
        name="api-download",
    ),
    path(
        "api/submissions/<int:submission_id>/final/",
        apis.SubmissionFinalApi.as_view(),
        name="api-final",
    ),
]
