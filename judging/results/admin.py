"""Organizers' admin of the final standings: each challenge's standings page
(preview, method settings, the publish button), the tracks' awards, talent
awards and the published versions (read-only)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from judging.results import services, views
from judging.results.models import (
    ChallengeStandings,
    StandingsMethod,
    StandingsSnapshot,
    TalentAward,
    TrackAwards,
)
from league.admin_readonly import ReadOnlyAdmin
from league.errors import ApplicationError


class StandingsMethodInline(admin.StackedInline):
    model = StandingsMethod
    can_delete = False
    max_num = 1


@admin.register(ChallengeStandings)
class ChallengeStandingsAdmin(admin.ModelAdmin):
    list_display = ("title", "track", "public_page")
    list_select_related = ("track__season",)
    fields = ("title", "track", "automated_weight", "judges_weight", "metric")
    readonly_fields = fields
    inlines = [StandingsMethodInline]
    change_form_template = "admin/judging/results/standings_change_form.html"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(views.PERMISSION)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(views.PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        url = reverse("results:challenge", args=[obj.slug])
        return format_html('<a href="{}">{}</a>', url, url)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        challenge = get_object_or_404(ChallengeStandings, pk=object_id)
        extra = {**views.preview_context(challenge), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def get_urls(self):
        return [
            path(
                "<id:object_id>/publish/",
                self.admin_site.admin_view(require_POST(self.publish_view)),
                name="judging_challengestandings_publish",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request, object_id: int):
        if not request.user.has_perm(views.PERMISSION):
            raise PermissionDenied
        challenge = get_object_or_404(ChallengeStandings, pk=object_id)
        try:
            snapshot = services.standings_publish(challenge=challenge, by=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            views.published_message(request, snapshot)
        return redirect("admin:judging_challengestandings_change", challenge.pk)


@admin.register(TrackAwards)
class TrackAwardsAdmin(admin.ModelAdmin):
    list_display = ("track", "best_cross_border")


@admin.register(TalentAward)
class TalentAwardAdmin(admin.ModelAdmin):
    list_display = ("title", "person", "registration")
    list_select_related = ("person", "registration__team", "registration__challenge")
    raw_id_fields = ("registration", "person")


@admin.register(StandingsSnapshot)
class StandingsSnapshotAdmin(ReadOnlyAdmin):
    list_display = (
        "challenge",
        "version",
        "published_at",
        "published_by",
        "same_inputs_as_previous",
    )
    list_select_related = ("challenge", "published_by")
    # The files are served by the public results page (private storage has no URL).
    exclude = ("rows", "method", "talent_awards", "csv_file", "xlsx_file", "json_file")
