"""Organizers' admin: verify or reject registrations, filter, export (through
the shared exports, league/exports)."""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import render
from django.utils.encoding import force_str
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from league.errors import ApplicationError
from league.exports.actions import export_from_admin
from league.exports.models import ExportFormat
from league.models import CountryRegion, Region
from teams import selectors, services
from teams.forms import RejectForm
from teams.models import (
    Invitation,
    Membership,
    Organisation,
    Profile,
    Registration,
    RegistrationStatus,
    Team,
)


class ServiceSaveAdmin(admin.ModelAdmin):
    """An admin whose ``save_model`` calls a service. A refusal (an
    ``ApplicationError``) rolls the whole save back and the form comes back
    with the organizer's input and the reasons, with no "changed successfully"."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as error:
            if request.method != "POST" or hasattr(request, "_service_error"):
                raise
            # Show the same bound form again, invalid with the service's reasons.
            request._service_error = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "_service_error", None)
        if error is None:
            return form

        class RefusedForm(form):
            def clean(self):
                cleaned = super().clean()
                for message in _reasons(error):
                    self.add_error(None, message)
                return cleaned

        return RefusedForm


def _reasons(error: ApplicationError) -> list[str]:
    violations = getattr(error, "violations", None)
    if violations:
        return [force_str(v.message) for v in violations]
    return [force_str(error.message)]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "country")
    list_filter = ("type", "country")
    search_fields = ("name",)


@admin.register(Profile)
class ProfileAdmin(ServiceSaveAdmin):
    list_display = ("display_name", "user", "nationality", "residence", "participant_type")
    list_filter = ("participant_type", "nationality")
    search_fields = ("display_name", "user__email")
    raw_id_fields = ("user", "organisation")

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj else ()

    def save_model(self, request, obj, form, change):
        """Through the profile service, like the profile page: the user's
        verified registrations are re-checked."""
        profile = services.profile_update(
            user=obj.user,
            display_name=obj.display_name,
            nationality=obj.nationality.code,
            residence=obj.residence.code,
            participant_type=obj.participant_type,
            organisation_id=obj.organisation_id,
        )
        obj.pk = profile.pk


# Members change only through the team's own services (join, invitation,
# leave, removal by the captain), never by editing rows here.
class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "joined_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Decisions on a registration are taken on its own page or by the actions of
# the registrations' list, which call the services.
class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ("challenge", "status", "flagged_at", "rejection_reason")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """Read-only: a team changes through its captain's and members' services."""

    list_display = ("name", "captain", "created_at")
    search_fields = ("name", "memberships__user__email")
    inlines = [MembershipInline, RegistrationInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "team", "status", "expires_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("email", "team__name")
    raw_id_fields = ("team", "invited_by")
    exclude = ("token",)


def _member_in(region: str):
    countries = CountryRegion.objects.filter(region=region).values("country")
    return Exists(
        Membership.objects.filter(
            team_id=OuterRef("team_id"), user__profile__nationality__in=Subquery(countries)
        )
    )


class RegionMixFilter(admin.SimpleListFilter):
    title = _("region mix (by nationality)")
    parameter_name = "region_mix"

    def lookups(self, request, model_admin):
        return [
            ("china", _("China only")),
            ("asean", _("ASEAN only")),
            ("cross_border", _("Cross-border")),
            ("other", _("With members from other regions")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        queryset = queryset.annotate(
            has_china=_member_in(Region.CHINA),
            has_asean=_member_in(Region.ASEAN),
            has_other=Exists(
                Membership.objects.filter(team_id=OuterRef("team_id")).exclude(
                    user__profile__nationality__in=Subquery(
                        CountryRegion.objects.exclude(region=Region.OTHER).values("country")
                    )
                )
            ),
        )
        if value == "china":
            return queryset.filter(has_china=True, has_asean=False, has_other=False)
        if value == "asean":
            return queryset.filter(has_china=False, has_asean=True, has_other=False)
        if value == "cross_border":
            return queryset.filter(has_china=True, has_asean=True)
        if value == "other":
            return queryset.filter(has_other=True)
        return queryset


class CountryFilter(admin.SimpleListFilter):
    title = _("member nationality")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = (
            Profile.objects.filter(user__memberships__team__registrations__isnull=False)
            .values_list("nationality", flat=True)
            .distinct()
            .order_by("nationality")
        )
        table = selectors.region_table()
        return [(code, table.name(code)) for code in codes]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(
            Exists(
                Membership.objects.filter(
                    team_id=OuterRef("team_id"), user__profile__nationality=self.value()
                )
            )
        )


@admin.register(Registration)
class RegistrationAdmin(ServiceSaveAdmin):
    list_display = (
        "team",
        "challenge",
        "track",
        "status",
        "created_at",
        "decided_at",
        "flagged_at",
    )
    list_filter = (
        "status",
        ("challenge__track", admin.RelatedOnlyFieldListFilter),
        ("challenge", admin.RelatedOnlyFieldListFilter),
        RegionMixFilter,
        CountryFilter,
    )
    list_select_related = ("team", "challenge__track")
    search_fields = ("team__name", "challenge__title")
    readonly_fields = (
        "team",
        "challenge",
        "created_at",
        "decided_at",
        "decided_by",
        "rules",
        "flagged_at",
        "flagged_because",
    )
    fields = (
        "team",
        "challenge",
        "status",
        "rejection_reason",
        "rules",
        "flagged_at",
        "flagged_because",
        "created_at",
        "decided_at",
        "decided_by",
    )
    actions = ["verify_selected", "reject_selected", "export_selected", "export_selected_xlsx"]

    @admin.display(description=_("track"), ordering="challenge__track")
    def track(self, registration):
        return registration.challenge.track.name

    @admin.display(description=_("team rules"))
    def rules(self, registration):
        checklist = selectors.checklist_for(
            team=registration.team, challenge=registration.challenge
        )
        lines = [(checklist.basis, "")]
        lines += [("✓ " if check.passed else "✗ ", check.label) for check in checklist.checks]
        lines += [("→ ", v.message) for v in checklist.violations]
        return format_html_join("", "<div>{}{}</div>", lines)

    @admin.display(description=_("reasons for review"))
    def flagged_because(self, registration):
        return format_html_join(
            "", "<div>→ {}</div>", ((r.get("message", ""),) for r in registration.review_reasons)
        )

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        """Every change goes through a service, like the actions: verifying
        (refused with the reasons while a rule is broken) or rejecting with
        a reason (again, to change the reason). Nothing else is saved."""
        changed = set(form.changed_data)
        if not changed & {"status", "rejection_reason"}:
            return
        if obj.status == RegistrationStatus.VERIFIED:
            services.registration_verify(registration_id=obj.pk, actor=request.user)
        elif obj.status == RegistrationStatus.REJECTED:
            services.registration_reject(
                registration_id=obj.pk, actor=request.user, reason=obj.rejection_reason
            )
        else:
            raise ApplicationError(
                _(
                    "An organizer decides a registration by verifying or rejecting it; "
                    "choose “%(verified)s” or “%(rejected)s”."
                )
                % {
                    "verified": RegistrationStatus.VERIFIED.label,
                    "rejected": RegistrationStatus.REJECTED.label,
                },
                code="decision_required",
            )

    @admin.action(description=_("Verify the selected registrations"), permissions=["change"])
    def verify_selected(self, request, queryset):
        done = 0
        for registration in queryset:
            try:
                services.registration_verify(registration_id=registration.pk, actor=request.user)
                done += 1
            except ApplicationError as error:
                self.message_user(
                    request,
                    _("%(registration)s was not verified: %(reason)s")
                    % {"registration": registration, "reason": error.message},
                    messages.WARNING,
                )
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d registration verified.", "%(count)d registrations verified.", done
                )
                % {"count": done},
            )

    @admin.action(description=_("Reject the selected registrations…"), permissions=["change"])
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            for registration in queryset:
                services.registration_reject(
                    registration_id=registration.pk,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            self.message_user(
                request,
                ngettext(
                    "%(count)d registration rejected.",
                    "%(count)d registrations rejected.",
                    queryset.count(),
                )
                % {"count": queryset.count()},
            )
            return None
        return render(
            request,
            "teams/admin/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reject registrations"),
                "registrations": queryset,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    def _export(self, request, queryset, format: str):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return export_from_admin(
            self, request, dataset="registrations", params={"ids": ids}, format=format
        )

    @admin.action(
        description=_("Export the selected registrations (CSV for Excel)"), permissions=["view"]
    )
    def export_selected(self, request, queryset):
        return self._export(request, queryset, ExportFormat.CSV_EXCEL)

    @admin.action(
        description=_("Export the selected registrations (Excel workbook)"), permissions=["view"]
    )
    def export_selected_xlsx(self, request, queryset):
        return self._export(request, queryset, ExportFormat.XLSX)
