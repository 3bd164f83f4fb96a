"""Organizers' admin of judging: challenges' judging settings, rubrics,
judges, domain aliases, conflicts (with overrides), entries, manual
assignments and reviews (read-only, with their history).

Writes that carry rules go through judging.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from judging import automation, reminders, rules, selectors, services, standings
from judging.models import (
    Assignment,
    AssignmentRun,
    ChallengeJudging,
    ChallengeRubric,
    Conflict,
    Criterion,
    CriterionLevel,
    CriterionScore,
    Entry,
    InstitutionDomainAlias,
    Judge,
    Review,
    ReviewChange,
    TrackRubric,
)
from league.admin_readonly import ReadOnlyAdmin
from league.errors import ApplicationError


@admin.register(ChallengeJudging)
class ChallengeJudgingAdmin(admin.ModelAdmin):
    list_display = (
        "challenge",
        "blind",
        "judges_per_entry",
        "due_at",
        "judged_score_method",
        "dashboard_link",
    )
    list_select_related = ("challenge",)
    readonly_fields = ("dashboard_link",)
    actions = ["sync_entries", "detect_conflicts", "assign_judges", "remind_judges"]

    @admin.display(description=_("dashboard"))
    def dashboard_link(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:judging_challengejudging_dashboard", args=[obj.pk]),
            _("Progress and judged scores"),
        )

    def get_urls(self):
        return [
            path(
                "<id:object_id>/dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="judging_challengejudging_dashboard",
            ),
            *super().get_urls(),
        ]

    def dashboard_view(self, request, object_id: int):
        """Coverage, the judges' progress, the discussion list, the judged
        scores and the panels' agreement. Organizers only: reading reviews is
        their permission (judges are staff too, and never have it)."""
        if not request.user.has_perm("judging.view_review"):
            raise PermissionDenied
        settings = get_object_or_404(
            ChallengeJudging.objects.select_related("challenge"), pk=object_id
        )
        challenge = settings.challenge
        judged = standings.judging_of(challenge)
        coverage = standings.coverage(challenge)
        teams = {row.entry.pk: row.entry.registration.team.name for row in coverage}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": settings,
            "title": _("Judging of %(challenge)s") % {"challenge": challenge},
            "settings": settings,
            "coverage": coverage,
            "progress": standings.progress(challenge),
            "judged": judged,
            "rows": [(score, teams.get(score.entry_id, "")) for score in judged.scores.values()],
            "discussion": [(s, teams.get(s.entry_id, "")) for s in judged.discussion],
        }
        return TemplateResponse(request, "admin/judging/dashboard.html", context)

    @admin.action(description=_("Remind judges now"), permissions=["change"])
    def remind_judges(self, request, queryset):
        reminded = reminders.reminders_create(
            challenges=[row.challenge for row in queryset], due_within=None
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d judge will be reminded.", "%(count)d judges will be reminded.", reminded
            )
            % {"count": reminded},
        )

    @admin.action(
        description=_("Create entries from the packages ready for judging"),
        permissions=["change"],
    )
    def sync_entries(self, request, queryset):
        created = 0
        for row in queryset:
            try:
                created += services.entries_sync(challenge=row.challenge)
            except ApplicationError as exc:
                self.message_user(request, f"{row.challenge}: {exc.message}", messages.WARNING)
        self.message_user(
            request,
            ngettext("%(count)d entry created.", "%(count)d entries created.", created)
            % {"count": created},
        )

    @admin.action(description=_("Detect conflicts of interest"), permissions=["change"])
    def detect_conflicts(self, request, queryset):
        found = sum(automation.conflicts_detect(challenge=row.challenge) for row in queryset)
        self.message_user(
            request,
            ngettext("%(count)d new conflict detected.", "%(count)d new conflicts detected.", found)
            % {"count": found},
        )

    @admin.action(description=_("Assign judges"), permissions=["change"])
    def assign_judges(self, request, queryset):
        for row in queryset:
            automation.assignment_run_start(challenge=row.challenge, by=request.user)
        self.message_user(
            request,
            _("The assignment runs in the background: its outcome appears in the assignment runs."),
        )


@admin.register(AssignmentRun)
class AssignmentRunAdmin(ReadOnlyAdmin):
    list_display = (
        "challenge",
        "state",
        "requested_at",
        "entries",
        "assignments_added",
        "assignments_removed",
        "assignments_kept",
        "outcome",
    )
    list_filter = ("state",)
    list_select_related = ("challenge",)
    exclude = ("explanation",)
    readonly_fields = ("outcome",)

    @admin.display(description=_("outcome"))
    def outcome(self, obj):
        return automation.explanation_text(obj.explanation) or "-"


class CriterionInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        weights = [
            form.cleaned_data["weight"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("weight") is not None
        ]
        violations = rules.rubric_weight_violations(weights=weights)
        if violations:
            raise forms.ValidationError([v.message for v in violations])


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriterionInlineFormSet
    fields = ("order", "name", "weight", "scale_min", "scale_max", "description")
    extra = 0
    show_change_link = True


class RubricForm(forms.ModelForm):
    """The track or challenge itself is not edited here (its own admin
    validates it): only its criteria are."""

    def _post_clean(self):
        pass


class RubricAdmin(admin.ModelAdmin):
    """Every criterion of a rubric, weights included, saved at once (the
    weights must sum to 1); levels are edited on each criterion's page."""

    form = RubricForm
    inlines = [CriterionInline]
    fields = ("title_shown",)
    readonly_fields = ("title_shown",)

    @admin.display(description=_("rubric of"))
    def title_shown(self, obj):
        return str(obj)

    def save_model(self, request, obj, form, change):
        """Nothing of the track or challenge changes here."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrackRubric)
class TrackRubricAdmin(RubricAdmin):
    list_display = ("__str__", "kind")


@admin.register(ChallengeRubric)
class ChallengeRubricAdmin(RubricAdmin):
    list_display = ("__str__", "track")


class CriterionLevelInline(admin.TabularInline):
    model = CriterionLevel
    extra = 1


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """A criterion's text and anchored levels. Its weight is set on the
    rubric's page, with the others, so that they keep summing to 1."""

    list_display = ("name", "track", "challenge", "weight", "scale_min", "scale_max")
    fields = ("name", "description", "weight", "scale_min", "scale_max", "order")
    readonly_fields = ("weight",)
    inlines = [CriterionLevelInline]

    def has_add_permission(self, request):
        return False


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin):
    list_display = ("display_name", "user", "organisation", "country", "load_cap", "active")
    list_filter = ("active",)
    search_fields = ("display_name", "user__email")
    raw_id_fields = ("user", "organisation")


@admin.register(InstitutionDomainAlias)
class InstitutionDomainAliasAdmin(admin.ModelAdmin):
    list_display = ("domain", "institution")
    search_fields = ("domain", "institution")


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the conflict does not apply"), widget=forms.Textarea, max_length=1000
    )


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ("judge", "team", "source", "reason", "overridden_by", "overridden_at")
    list_filter = ("source",)
    list_select_related = ("judge", "team", "overridden_by")
    fields = (
        "judge",
        "team",
        "source",
        "reason",
        "created_by",
        "created_at",
        "overridden_by",
        "overridden_at",
        "override_reason",
    )
    readonly_fields = ("created_by", "created_at", "overridden_by", "overridden_at")
    raw_id_fields = ("judge", "team")
    actions = ["override_selected"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # a recorded conflict is history: only overrides change it
            return list(self.fields)
        return [*self.readonly_fields, "override_reason"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Override the selected conflicts"), permissions=["change"])
    def override_selected(self, request, queryset):
        form = OverrideForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for conflict in queryset:
                try:
                    services.conflict_override(
                        conflict=conflict, by=request.user, reason=form.cleaned_data["reason"]
                    )
                    done += 1
                except ApplicationError as exc:
                    self.message_user(request, f"{conflict}: {exc.message}", messages.WARNING)
            self.message_user(
                request,
                ngettext("%(count)d conflict overridden.", "%(count)d conflicts overridden.", done)
                % {"count": done},
            )
            return None
        return render(
            request,
            "judging/admin/override.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Override conflicts"),
                "conflicts": queryset,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ("code", "challenge", "team_name", "phase", "created_at")
    list_filter = ("challenge",)
    list_select_related = ("challenge", "phase", "registration__team")
    search_fields = ("code", "registration__team__name")
    readonly_fields = ("code", "challenge", "phase", "registration", "package", "submission")

    @admin.display(description=_("team"))
    def team_name(self, obj):
        return obj.registration.team.name

    def has_add_permission(self, request):
        return False


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ("entry", "judge")

    def clean(self):
        cleaned = super().clean()
        entry, judge = cleaned.get("entry"), cleaned.get("judge")
        if entry and judge:
            # Recorded even when the form is refused: organizers see the conflict.
            automation.conflicts_detect(challenge=entry.challenge, judges=[judge])
            violations = rules.assignment_violations(
                judge_name=judge.display_name,
                judge_active=judge.active,
                already_assigned=Assignment.objects.filter(entry=entry, judge=judge).exists(),
                conflicts=selectors.active_conflict_reasons(
                    judge=judge, team_id=entry.registration.team_id
                ),
            )
            if violations:
                raise forms.ValidationError([v.message for v in violations])
        return cleaned

    def validate_unique(self):
        """The rules above name the duplicate; no second, generic message."""


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    form = AssignmentForm
    list_display = ("entry", "judge", "created_by", "created_at")
    list_select_related = ("entry", "judge", "created_by")
    list_filter = ("entry__challenge",)
    raw_id_fields = ("entry", "judge")

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        created = services.assignment_add(entry=obj.entry, judge=obj.judge, by=request.user)
        obj.pk = created.pk

    def delete_model(self, request, obj):
        try:
            services.assignment_remove(assignment=obj)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            self.delete_model(request, assignment)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CriterionScoreInline(ReadOnlyInline):
    model = CriterionScore
    fields = ("criterion", "score")
    readonly_fields = fields


class ReviewChangeInline(ReadOnlyInline):
    model = ReviewChange
    fields = ("changed_at", "changed_by", "reason", "old_values", "new_values")
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """Reviews as the judges left them: read-only, with every change."""

    list_display = ("assignment", "status", "submitted_at", "updated_at")
    list_filter = ("status", "assignment__entry__challenge")
    list_select_related = ("assignment__entry", "assignment__judge")
    fields = (
        "assignment",
        "status",
        "comment_to_team",
        "note_to_organizers",
        "submitted_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [CriterionScoreInline, ReviewChangeInline]


# The final standings' admin (judging/results/).
from judging.results import admin as results_admin  # noqa: E402, F401
