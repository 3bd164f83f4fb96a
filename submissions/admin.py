"""Organizers' admin of submissions, answer keys, and the readiness of phases.

A phase's readiness depends on its evaluation mode (a prediction phase needs
an answer key before it opens), which the league app cannot know: league
never imports submissions. So this module re-registers the league's phase
admins with the check, next to the answer key it is about: the challenge's
phase inline and the phase admin (which gains the answer key as an inline,
so a key and an opening date can be saved together).
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from league import admin as league_admin
from league.errors import ApplicationError
from league.metrics import format_score
from league.models import Challenge, EvaluationMode, Phase
from submissions import rules, services
from submissions.code_files import inputs_violations
from submissions.evaluation.errors import EvaluationError
from submissions.evaluation.readers import read_answer_key
from submissions.models import (
    AnswerKey,
    CodeTask,
    CodeTestCase,
    RerunJob,
    Submission,
    TeamBest,
)
from submissions.modes import ModeUnavailable, get_mode

NOT_READY = _(
    "This phase would be open without what its evaluation mode needs (%(reasons)s). "
    "Upload the answer key first, or set the opening in the future."
)


def phase_readiness_errors(phase: Phase, challenge, *, has_answer_key: bool | None = None):
    """Why ``phase`` (maybe unsaved) may not be saved as open: its mode's
    configuration violations, checked only once the phase opens. A mode
    without an evaluator yet is the platform's to fix, not the organizer's."""
    if phase.opens_at is None or phase.opens_at > timezone.now():
        return []
    try:
        mode = get_mode(challenge.evaluation_mode)
    except ModeUnavailable:
        return []
    if has_answer_key is not None and mode.name == EvaluationMode.PREDICTION:
        violations = rules.answer_key_violations(has_answer_key=has_answer_key)
    else:
        violations = mode.configuration_violations(phase=phase)
    if not violations:
        return []
    return [NOT_READY % {"reasons": ", ".join(v.code for v in violations)}]


class AnswerKeyForm(forms.ModelForm):
    class Meta:
        model = AnswerKey
        fields = ("phase", "file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "seek"):
            try:
                key = read_answer_key(upload)
            except EvaluationError as exc:
                raise forms.ValidationError([force_str(v.message) for v in exc.violations]) from exc
            finally:
                upload.seek(0)
            self.instance.rows = len(key)
        return upload


class PhaseAnswerKeyFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            form
            for form in self.forms
            if not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.cleaned_data.get("file"))
        ]
        phase = self.instance
        for error in phase_readiness_errors(phase, phase.challenge, has_answer_key=bool(kept)):
            raise forms.ValidationError(error)


class AnswerKeyInline(admin.StackedInline):
    model = AnswerKey
    form = AnswerKeyForm
    formset = PhaseAnswerKeyFormSet
    fields = ("file", "rows", "uploaded_at")
    readonly_fields = ("rows", "uploaded_at")
    max_num = 1
    extra = 1


class ReadyPhaseFormSet(league_admin.PhaseFormSet):
    """The challenge's phases: an open one must have what its mode needs."""

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE") or form.errors:
                continue
            for error in phase_readiness_errors(form.instance, self.instance):
                form.add_error("opens_at", error)


class ReadyPhaseInline(league_admin.PhaseInline):
    formset = ReadyPhaseFormSet


class ChallengeAdmin(league_admin.ChallengeAdmin):
    inlines = [ReadyPhaseInline, league_admin.ChallengeFileInline]


class CodeTaskForm(forms.ModelForm):
    class Meta:
        model = CodeTask
        fields = ("phase", "kind", "wall_seconds", "memory_mb", "output_mb", "hidden_inputs")

    def clean_hidden_inputs(self):
        upload = self.cleaned_data.get("hidden_inputs")
        if upload and hasattr(upload, "seek"):
            name = (upload.name or "").lower()
            if not name.endswith((".zip", ".tar", ".tar.gz", ".tgz")):
                raise forms.ValidationError(_("Upload the hidden inputs as a .zip or a .tar.gz."))
            problems = inputs_violations(upload, name=name)
            upload.seek(0)
            if problems:
                raise forms.ValidationError([force_str(v.message) for v in problems])
        return upload


class CodeTaskInline(admin.StackedInline):
    """A code phase's task: its test cases are edited on the task's own page."""

    model = CodeTask
    form = CodeTaskForm
    max_num = 1
    extra = 0


class PhaseAdmin(league_admin.PhaseAdmin):
    inlines = [AnswerKeyInline]

    def get_inlines(self, request, obj):
        if obj is not None and obj.challenge.evaluation_mode == EvaluationMode.CODE:
            return [AnswerKeyInline, CodeTaskInline]
        return self.inlines

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            instance.uploaded_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()


admin.site.unregister(Challenge)
admin.site.register(Challenge, ChallengeAdmin)
admin.site.unregister(Phase)
admin.site.register(Phase, PhaseAdmin)


@admin.register(AnswerKey)
class AnswerKeyAdmin(admin.ModelAdmin):
    form = AnswerKeyForm
    list_display = ("phase", "rows", "uploaded_by", "uploaded_at")
    readonly_fields = ("rows", "uploaded_by", "uploaded_at")

    def save_model(self, request, obj, form, change):
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


class CodeTestCaseInline(admin.StackedInline):
    model = CodeTestCase
    extra = 1
    fields = (
        ("name", "group", "weight", "split", "position"),
        "input_text",
        "input_file",
        "expected_output",
        ("comparison", "tolerance"),
    )


@admin.register(CodeTask)
class CodeTaskAdmin(admin.ModelAdmin):
    """How a code phase runs programs; what it still lacks is listed, as the
    phase admin refuses to open it until nothing is."""

    form = CodeTaskForm
    inlines = [CodeTestCaseInline]
    list_display = ("phase", "kind", "wall_seconds", "memory_mb", "output_mb", "readiness")
    list_select_related = ("phase__challenge",)
    readonly_fields = ("readiness",)

    @admin.display(description=_("what it still lacks"))
    def readiness(self, task):
        if task.pk is None:
            return ""
        problems = get_mode(EvaluationMode.CODE).configuration_violations(phase=task.phase)
        return " ".join(force_str(v.message) for v in problems) or _("Ready")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "registration",
        "phase",
        "status",
        "shown_public_score",
        "shown_private_score",
        "attempts",
        "counts_against_quota",
        "is_final",
        "created_at",
    )
    list_filter = ("status", "failure_cause", "phase__challenge", "phase")
    search_fields = ("registration__team__name", "original_name", "sha256")
    list_select_related = ("registration__team", "registration__challenge", "phase__challenge")
    readonly_fields = [f.name for f in Submission._meta.fields]
    actions = ["rerun", "cancel", "rerun_phases"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("public score"), ordering="public_score")
    def shown_public_score(self, submission):
        return format_score(submission.public_score, submission.phase.challenge.metric)

    @admin.display(description=_("private score"), ordering="private_score")
    def shown_private_score(self, submission):
        return format_score(submission.private_score, submission.phase.challenge.metric)

    @admin.action(description=_("Re-run the selected submissions"), permissions=["change"])
    def rerun(self, request, queryset):
        done, refused = 0, []
        for submission in queryset.select_related(None).only("id"):
            try:
                services.submission_rerun(submission=submission)
                done += 1
            except ApplicationError as exc:
                refused.append(force_str(exc.message))
        self.message_user(
            request,
            ngettext("%d submission queued again.", "%d submissions queued again.", done) % done,
        )
        for reason in refused[:10]:
            self.message_user(request, reason, level=messages.WARNING)

    @admin.action(description=_("Cancel the selected submissions"), permissions=["change"])
    def cancel(self, request, queryset):
        count = 0
        for submission in queryset.select_related(None).only("id"):
            services.submission_cancel(submission=submission)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%d submission cancelled; it no longer costs quota.",
                "%d submissions cancelled; they no longer cost quota.",
                count,
            )
            % count,
        )

    @admin.action(
        description=_("Re-run every submission of the selected submissions' phases"),
        permissions=["change"],
    )
    def rerun_phases(self, request, queryset):
        phases = {s.phase for s in queryset.select_related("phase")}
        for phase in phases:
            job = services.phase_rerun_start(phase=phase, user=request.user)
            self.message_user(
                request,
                ngettext(
                    "Re-run of “%(phase)s” started for %(total)s submission; follow it under "
                    "“Re-runs of phases”.",
                    "Re-run of “%(phase)s” started for %(total)s submissions; follow it under "
                    "“Re-runs of phases”.",
                    job.total,
                )
                % {"phase": phase, "total": job.total},
            )


@admin.register(TeamBest)
class TeamBestAdmin(admin.ModelAdmin):
    list_display = (
        "registration",
        "phase",
        "shown_best_public_score",
        "shown_best_private_score",
        "scored_count",
        "last_submitted_at",
    )
    list_filter = ("phase",)
    list_select_related = ("registration__team", "registration__challenge", "phase__challenge")
    readonly_fields = [f.name for f in TeamBest._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("best public score"), ordering="best_public_score")
    def shown_best_public_score(self, best):
        return format_score(best.best_public_score, best.phase.challenge.metric)

    @admin.display(description=_("best private score"), ordering="best_private_score")
    def shown_best_private_score(self, best):
        return format_score(best.best_private_score, best.phase.challenge.metric)


@admin.register(RerunJob)
class RerunJobAdmin(admin.ModelAdmin):
    list_display = ("phase", "state", "progress", "requested_by", "created_at", "finished_at")
    readonly_fields = (
        "phase",
        "state",
        "total",
        "done",
        "requested_by",
        "created_at",
        "finished_at",
    )
    list_select_related = ("phase__challenge", "requested_by")

    @admin.display(description=_("progress"))
    def progress(self, job):
        return f"{job.done} / {job.total}"

    def has_add_permission(self, request):
        return False
