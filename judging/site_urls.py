"""Judging's pages on the site itself (not the judges' panel)."""

from django.urls import path

from judging import finalist_views

app_name = "finalists"
urlpatterns = [
    path("finalists/<id:entry_id>/writeup/", finalist_views.writeup, name="writeup"),
]
