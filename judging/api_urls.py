"""The judges' API (token or session, judges only)."""

from django.urls import path

from judging import apis

app_name = "judging_api"
urlpatterns = [
    path("api/judging/assignments/", apis.AssignmentListApi.as_view(), name="assignments"),
    path("api/judging/entries/<id:entry_id>/", apis.EntryDetailApi.as_view(), name="entry"),
    path("api/judging/entries/<id:entry_id>/review/", apis.ReviewApi.as_view(), name="review"),
    path(
        "api/judging/entries/<id:entry_id>/conflict/", apis.ConflictApi.as_view(), name="conflict"
    ),
]
