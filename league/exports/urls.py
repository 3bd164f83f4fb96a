from django.urls import path

from league.exports import apis, views

app_name = "exports"
urlpatterns = [
    path("organize/exports/", views.exports_page, name="page"),
    path("organize/exports/jobs/<id:job_id>/", views.job_status, name="job"),
    path("organize/exports/jobs/<id:job_id>/download/", views.job_download, name="job-download"),
    path("api/exports/", apis.ExportsApi.as_view(), name="api-exports"),
    path("api/exports/jobs/<id:job_id>/", apis.ExportJobApi.as_view(), name="api-job"),
    path(
        "api/exports/jobs/<id:job_id>/download/",
        apis.ExportJobDownloadApi.as_view(),
        name="api-job-download",
    ),
]
