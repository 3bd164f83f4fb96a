"""The league in numbers: the public page, its CSV and its JSON (organizers
export the same figures everyone sees)."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from league import charts
from submissions import numbers

COUNTRIES_CHARTED = 15


def _svg(svg: str) -> str:
    return mark_safe(svg)  # noqa: S308  (built by league.charts, every text escaped)


def _charts(figures: dict) -> dict:
    empty = _("Nothing to show yet.")

    def bars(rows, title, description, key="count"):
        items = [(r["label"], r[key]) for r in rows]
        return _svg(charts.bars(items, title=title, description=description, empty_text=empty))

    return {
        "mix": bars(
            figures["teams_by_region_mix"],
            _("Teams by region mix"),
            _("Teams from China only, ASEAN only, cross-border, or with other regions."),
        ),
        "countries": bars(
            figures["participants_by_country"][:COUNTRIES_CHARTED],
            _("Participants by country: the 15 largest"),
            _("Participants counted by nationality."),
            key="participants",
        ),
        "tracks": bars(
            figures["entries_by_track"],
            _("Registrations by track"),
            _("Teams registered for a challenge, per track."),
            key="registrations",
        ),
        "themes": bars(
            figures["entries_by_theme"],
            _("Registrations by industry"),
            _("Teams registered for a challenge, per industry of the challenge."),
            key="registrations",
        ),
        "weeks": bars(
            [
                {"label": r["week"], "count": r["registrations"]}
                for r in figures["registrations_per_week"]
            ],
            _("Registrations per week"),
            _("Teams registered for a challenge, per week (weeks start on Monday)."),
        ),
    }


@require_GET
def numbers_page(request):
    figures = numbers.labelled(numbers.league_numbers())
    return render(
        request, "submissions/numbers.html", {"figures": figures, "charts": _charts(figures)}
    )


@require_GET
def numbers_csv(request):
    figures = numbers.labelled(numbers.league_numbers())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="league-numbers.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    writer = csv.writer(response)
    writer.writerows(numbers.csv_rows(figures))
    return response


class NumbersApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="league_numbers",
        responses={200: OpenApiTypes.OBJECT},
        description="The league in numbers, as on the public page `/numbers/`: teams and "
        "participants by country and region (by nationality), the share of cross-border "
        "teams, registrations and submissions by track and industry, participant and "
        "organisation types, registrations per week. Refreshed at most every minute.",
    )
    def get(self, request):
        return Response(numbers.labelled(numbers.league_numbers()))
