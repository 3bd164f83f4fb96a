"""Final standings: public pages, downloads, the organizers' preview and
publish, and the read-only API."""

from django.urls import path

from judging.results import apis, views

app_name = "results"
urlpatterns = [
    path("results/", views.results, name="index"),
    path("results/<slug:slug>/", views.challenge_results, name="challenge"),
    path("results/<slug:slug>/preview/", views.preview, name="preview"),
    path("results/<slug:slug>/publish/", views.publish, name="publish"),
    path(
        "results/<slug:slug>/v<int:version>/standings.<str:fmt>",
        views.download,
        name="download",
    ),
    path("api/results/", apis.ResultsListApi.as_view(), name="api-list"),
    path("api/results/<slug:slug>/", apis.ResultsDetailApi.as_view(), name="api-detail"),
]
