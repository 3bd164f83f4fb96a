from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.messages import ERROR, INFO, SUCCESS, WARNING
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.utils import build_localized_fieldname, get_language

from league import rules, services
from league.errors import RuleViolation
from league.exports import admin as exports_admin  # noqa: F401  (registers ExportJob)
from league.exports.actions import export_from_admin
from league.exports.models import ExportFormat
from league.models import (
    Challenge,
    ChallengeFile,
    CountryRegion,
    Phase,
    Season,
    TermsAcceptance,
    Track,
    User,
)
from league.timefmt import when, zone_label
from league.translation import in_every_language


class ZonedTimesMixin:
    """Date-time inputs are read in the organizer's own zone (the viewer's
    zone is active on every page): their help text names it."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateTimeField) and formfield is not None:
            zone = _("Enter it in your time zone: %(zone)s.") % {"zone": zone_label(timezone.now())}
            formfield.help_text = f"{formfield.help_text} {zone}".strip()
        return formfield


def _zoned(field: str, label):
    """A list column with the instant in the viewer's zone, the zone named."""

    @admin.display(description=label, ordering=field)
    def column(model_admin, obj):
        value = getattr(obj, field)
        return when(value) if value else "—"

    return column


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Display"), {"fields": ("time_zone",)}))
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "time_zone")


@admin.register(CountryRegion)
class CountryRegionAdmin(admin.ModelAdmin):
    list_display = ("country", "name", "region")
    list_filter = ("region",)
    list_editable = ("region",)
    search_fields = ("country", "name")
    list_per_page = 300

    # A country that changes region may break verified teams: have them re-checked.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or "region" in form.changed_data:
            services.registrations_recheck_later()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.registrations_recheck_later()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.registrations_recheck_later()


# The fields of Track that teams' rules read: changing one re-checks its teams.
TEAM_RULE_FIELDS = frozenset(
    {
        "min_members",
        "max_members",
        "cross_border_required",
        "region_basis",
        "max_other_region_members",
        "max_country_share",
        "allowed_participant_types",
        "allowed_organisation_types",
        "teams_per_person_per_challenge",
        "teams_per_person_in_track",
        "allows_individual_entries",
    }
)


def _recheck_if_rules_changed(form, track) -> None:
    if track.pk and TEAM_RULE_FIELDS & set(form.changed_data):
        services.registrations_recheck_later(track_id=track.pk)


class TrackInline(TranslationTabularInline):
    model = Track
    fields = ("kind", "name", "min_members", "max_members", "cross_border_required", "order")
    extra = 0
    show_change_link = True


@admin.register(Season)
class SeasonAdmin(TranslationAdmin):
    list_display = ("name", "starts_on", "ends_on", "time_zone")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [TrackInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for track_form in formset.forms:
            track = track_form.instance
            if track_form not in formset.deleted_forms and track not in formset.new_objects:
                _recheck_if_rules_changed(track_form, track)


@admin.register(Track)
class TrackAdmin(TranslationAdmin):
    list_display = ("name", "season", "kind", "min_members", "max_members", "cross_border_required")
    list_filter = ("season", "kind")
    fieldsets = (
        (None, {"fields": ("season", "kind", "name", "description", "order")}),
        (
            _("Team rules"),
            {
                "fields": (
                    ("min_members", "max_members"),
                    "cross_border_required",
                    "region_basis",
                    "max_other_region_members",
                    "max_country_share",
                    "allowed_participant_types",
                    "allowed_organisation_types",
                    ("teams_per_person_per_challenge", "teams_per_person_in_track"),
                    "allows_individual_entries",
                    "auto_verify_registrations",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            _recheck_if_rules_changed(form, obj)


def _entered_name(data) -> str:
    """A phase's name as typed in the form: in the viewer's language when
    given there, else in English (the form has one field per language)."""
    for field in (build_localized_fieldname("name", get_language()), "name_en", "name"):
        if data.get(field):
            return data[field]
    return ""


class PhaseFormSet(BaseInlineFormSet):
    """Phases added together in one save must not overlap each other either."""

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.errors
        ]
        for index, form in enumerate(kept):
            data = form.cleaned_data
            errors = rules.phase_setting_errors(
                opens_at=data.get("opens_at"),
                closes_at=data.get("closes_at"),
                daily_limit=data.get("daily_limit"),
                total_limit=data.get("total_limit"),
                siblings=[
                    (
                        _entered_name(o.cleaned_data),
                        o.cleaned_data["opens_at"],
                        o.cleaned_data["closes_at"],
                    )
                    for o in kept[index + 1 :]
                    if o.cleaned_data.get("opens_at") and o.cleaned_data.get("closes_at")
                ],
            )
            for field, messages in errors.items():
                for message in messages:
                    form.add_error(field, message)


class PhaseInline(ZonedTimesMixin, TranslationStackedInline):
    model = Phase
    formset = PhaseFormSet
    extra = 0


class ChallengeFileInline(TranslationTabularInline):
    """Data files, kept in private storage; size and SHA-256 are computed."""

    model = ChallengeFile
    extra = 0
    fields = ("order", "kind", "title", "description", "file", "download_name", "size", "sha256")
    readonly_fields = ("size", "sha256")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


@admin.register(Challenge)
class ChallengeAdmin(ZonedTimesMixin, TranslationAdmin):
    list_display = (
        "title",
        "track",
        "theme",
        "evaluation_mode",
        "metric",
        "automated_weight",
        "judges_weight",
    )
    list_filter = ("track__season", "track__kind", "theme", "evaluation_mode")
    # Every language's title, whichever language the organizer reads the admin in.
    search_fields = (*in_every_language("title"), "sponsor")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [PhaseInline, ChallengeFileInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not ChallengeFile:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for gone in formset.deleted_objects:
            gone.delete()
        for file_form in formset.forms:
            if file_form in formset.deleted_forms or not file_form.has_changed():
                continue
            upload = (
                file_form.cleaned_data.get("file") if "file" in file_form.changed_data else None
            )
            services.challenge_file_store(challenge_file=file_form.instance, upload=upload)
        return None


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(admin.ModelAdmin):
    """Who accepted which challenge's terms, and when (read-only)."""

    list_display = ("challenge", "user", "accepted")
    list_filter = ("challenge__track__season", "challenge")
    search_fields = ("user__email", "challenge__title")
    accepted = _zoned("accepted_at", _("accepted at (your time zone)"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Phase)
class PhaseAdmin(ZonedTimesMixin, TranslationAdmin):
    list_display = (
        "name",
        "challenge",
        "opens",
        "closes",
        "daily_limit",
        "total_limit",
        "private_revealed",
    )
    list_filter = ("challenge__track__season", "challenge__track__kind")
    search_fields = (*in_every_language("name"), *in_every_language("challenge__title"))
    actions = [
        "reveal_private_scores",
        "hide_private_scores",
        "export_leaderboard",
        "export_private_leaderboard",
    ]

    opens = _zoned("opens_at", _("opens at (your time zone)"))
    closes = _zoned("closes_at", _("closes at (your time zone)"))
    private_revealed = _zoned("private_revealed_at", _("private scores revealed at"))

    @admin.action(description=_("Reveal private scores now"), permissions=["change"])
    def reveal_private_scores(self, request, queryset):
        revealed, already = [], []
        for phase in queryset.select_related("challenge"):
            try:
                changed = services.phase_reveal_private_scores(phase=phase)
            except RuleViolation as error:
                for violation in error.violations:
                    self.message_user(request, f"{phase}: {violation.message}", ERROR)
                continue
            (revealed if changed else already).append(str(phase))
        if revealed:
            self.message_user(
                request,
                ngettext(
                    "Private scores are now shown to participants for %(count)s phase: "
                    "%(phases)s. The leaderboard shows each team's private score from its "
                    "selected finals.",
                    "Private scores are now shown to participants for %(count)s phases: "
                    "%(phases)s. The leaderboard shows each team's private score from its "
                    "selected finals.",
                    len(revealed),
                )
                % {"count": len(revealed), "phases": "; ".join(revealed)},
                SUCCESS,
            )
        if already:
            self.message_user(
                request,
                _("Already revealed, left as they were: %(phases)s.")
                % {"phases": "; ".join(already)},
                INFO,
            )

    @admin.action(description=_("Hide private scores again"), permissions=["change"])
    def hide_private_scores(self, request, queryset):
        hidden, already = [], []
        for phase in queryset.select_related("challenge"):
            changed = services.phase_hide_private_scores(phase=phase)
            (hidden if changed else already).append(str(phase))
        if hidden:
            self.message_user(
                request,
                ngettext(
                    "Private scores are hidden again for %(count)s phase: %(phases)s. "
                    "Participants who looked meanwhile have seen them.",
                    "Private scores are hidden again for %(count)s phases: %(phases)s. "
                    "Participants who looked meanwhile have seen them.",
                    len(hidden),
                )
                % {"count": len(hidden), "phases": "; ".join(hidden)},
                WARNING,
            )
        if already:
            self.message_user(
                request,
                _("Not revealed, left as they were: %(phases)s.") % {"phases": "; ".join(already)},
                INFO,
            )

    def _export(self, request, queryset, split: str):
        phases = list(queryset.values_list("pk", flat=True)[:2])
        if len(phases) != 1:
            self.message_user(request, _("Select one phase to export its leaderboard."), WARNING)
            return None
        return export_from_admin(
            self,
            request,
            dataset="phase-leaderboard",
            params={"phase": phases[0], "split": split},
            format=ExportFormat.CSV_EXCEL,
        )

    @admin.action(description=_("Export leaderboard (CSV for Excel)"), permissions=["view"])
    def export_leaderboard(self, request, queryset):
        return self._export(request, queryset, "public")

    @admin.action(
        description=_("Export leaderboard with private scores (CSV for Excel)"),
        permissions=["view"],
    )
    def export_private_leaderboard(self, request, queryset):
        return self._export(request, queryset, "private")
