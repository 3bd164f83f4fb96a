from django.urls import path

from submissions import (
    apis,
    challenge_views,
    leaderboard_apis,
    leaderboard_views,
    numbers_views,
    package_apis,
    views,
)

app_name = "submissions"
# Django tries routes in order: those a deadline reads thousands of times a
# minute (uploads, status polling, leaderboards) come first.
urlpatterns = [
    path(
        "api/phases/<id:phase_id>/submissions/",
        apis.PhaseSubmissionsApi.as_view(),
        name="api-phase-submissions",
    ),
    path(
        "api/phases/<id:phase_id>/leaderboard/",
        leaderboard_apis.LeaderboardApi.as_view(),
        name="api-leaderboard",
    ),
    path("phases/<id:phase_id>/submissions/", views.phase_submissions, name="submit"),
    path("phases/<id:phase_id>/submissions/status/", views.phase_status, name="status"),
    path("phases/<id:phase_id>/leaderboard/", leaderboard_views.leaderboard, name="leaderboard"),
    path("my/challenges/", challenge_views.my_challenges, name="my-challenges"),
    path("challenges/<slug:slug>/", challenge_views.challenge_page, name="challenge"),
    path(
        "challenges/<slug:slug>/submit/", challenge_views.challenge_submit, name="challenge-submit"
    ),
    path("challenges/<slug:slug>/terms/", challenge_views.challenge_terms, name="challenge-terms"),
    path(
        "challenges/<slug:slug>/files/<id:file_id>/",
        challenge_views.challenge_file_download,
        name="challenge-file",
    ),
    path("numbers/", numbers_views.numbers_page, name="numbers"),
    path("numbers/league-numbers.csv", numbers_views.numbers_csv, name="numbers-csv"),
    path("api/numbers/", numbers_views.NumbersApi.as_view(), name="api-numbers"),
    path("submissions/<id:submission_id>/", views.submission_detail, name="detail"),
    path("submissions/<id:submission_id>/download/", views.submission_download, name="download"),
    path("submissions/<id:submission_id>/final/", views.submission_final, name="final"),
    path(
        "package-versions/<id:version_id>/proposal/",
        views.package_proposal,
        name="package-proposal",
    ),
    path(
        "package-versions/<id:version_id>/archive/",
        views.package_archive,
        name="package-archive",
    ),
    path(
        "api/phases/<id:phase_id>/package/versions/",
        package_apis.PhasePackageVersionsApi.as_view(),
        name="api-package-versions",
    ),
    path(
        "api/package-versions/<id:version_id>/checklist/",
        package_apis.PackageVersionChecklistApi.as_view(),
        name="api-package-checklist",
    ),
    path(
        "api/submissions/<id:submission_id>/",
        apis.SubmissionDetailApi.as_view(),
        name="api-detail",
    ),
    path(
        "api/submissions/<id:submission_id>/file/",
        apis.SubmissionDownloadApi.as_view(),
        name="api-download",
    ),
    path(
        "api/submissions/<id:submission_id>/final/",
        apis.SubmissionFinalApi.as_view(),
        name="api-final",
    ),
]
