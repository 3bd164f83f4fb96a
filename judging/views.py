"""Pages of the judges' panel (routed by judging.admin_site): the queue, an
entry with its materials and the rubric, its files, the review's history,
and declaring a conflict. Every entry is read through
``selectors.assignment_get_for_judge``: assigned and not conflicted, or 404."""

import os

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from judging import rules, selectors, services
from judging.models import ReviewStatus
from league.errors import ApplicationError, NotFound
from submissions.file_responses import (
    archive_response,
    download_response,
    pdf_inline_response,
    proposal_response,
)


class ReviewForm(forms.Form):
    comment_to_team = forms.CharField(
        label=gettext_lazy("Comment to the team"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The team reads this once results are published."),
    )
    note_to_organizers = forms.CharField(
        label=gettext_lazy("Private note to the organizers"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Only the organizers read this."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            anchors = {level.score: level.description for level in criterion.levels.all()}
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[
                    (score, f"{score} — {anchors[score]}" if score in anchors else str(score))
                    for score in range(criterion.scale_min, criterion.scale_max + 1)
                ],
                widget=forms.RadioSelect,
            )

    def scores(self) -> dict[int, int]:
        return {
            criterion.pk: self.cleaned_data[f"criterion_{criterion.pk}"]
            for criterion in self.criteria
            if self.cleaned_data.get(f"criterion_{criterion.pk}") is not None
        }

    def criterion_fields(self):
        return [(c, self[f"criterion_{c.pk}"]) for c in self.criteria]


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why you cannot judge this entry"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For example: you advised the team, or you know who they are. "
            "Only the organizers read it."
        ),
    )


def _context(request, site, **extra) -> dict:
    return {**site.each_context(request), **extra}


def _assignment(request, entry_id: int):
    try:
        return selectors.assignment_get_for_judge(judge=request.judge, entry_id=entry_id)
    except NotFound as exc:
        raise Http404 from exc


def _site(request):
    """The panel's admin site, which ``JudgingSite.judge_view`` put on the request."""
    return request.judging_site


def queue(request, *, site, extra_context=None):
    judge = selectors.judge_for_user(request.user)
    return TemplateResponse(
        request,
        "judging/panel/queue.html",
        _context(
            request,
            site,
            title=_("Your queue"),
            judge=judge,
            queue=selectors.judge_queue(judge=judge),
            **(extra_context or {}),
        ),
    )


def _initial(review, scores) -> dict:
    if review is None:
        return {}
    initial = {
        "comment_to_team": review.comment_to_team,
        "note_to_organizers": review.note_to_organizers,
    }
    initial.update({f"criterion_{pk}": score for pk, score in scores.items()})
    return initial


@require_http_methods(["GET", "POST"])
def entry(request, entry_id: int):
    site = _site(request)
    assignment = _assignment(request, entry_id)
    entry = assignment.entry
    settings = selectors.challenge_judging(entry.challenge)
    criteria = selectors.rubric(challenge=entry.challenge)
    review = selectors.review_of(assignment)
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        initial=_initial(review, selectors.scores_of(review)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(
                judge=request.judge,
                entry_id=entry.pk,
                scores=form.scores(),
                comment_to_team=form.cleaned_data["comment_to_team"],
                note_to_organizers=form.cleaned_data["note_to_organizers"],
                submit="submit" in request.POST,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if "submit" in request.POST and not (review and review.submitted_at):
                messages.success(request, _("Review submitted."))
            else:
                messages.success(request, _("Review saved."))
            return redirect("judging:entry", entry_id=entry.pk)
    submitted = review is not None and review.status == ReviewStatus.SUBMITTED
    window_closes = rules.edit_window_closes(
        submitted_at=review.submitted_at if review else None, hours=settings.edit_window_hours
    )
    materials = selectors.entry_materials(entry=entry, blind=settings.blind)
    others = selectors.other_reviews(assignment=assignment, criteria=criteria)
    return TemplateResponse(
        request,
        "judging/panel/entry.html",
        _context(
            request,
            site,
            title=_("Entry %(code)s") % {"code": entry.code},
            entry=entry,
            settings=settings,
            materials=materials,
            form=form,
            review=review,
            submitted=submitted,
            window_closes=window_closes,
            criteria=criteria,
            others=others,
            automated=selectors.automated_score(entry),
            writeup=selectors.writeup_of(entry),
            own_total=rules.weighted_total(
                scores=selectors.scores_of(review), weights={c.pk: c.weight for c in criteria}
            ),
        ),
        status=400 if request.method == "POST" else 200,
    )


def _version(request, entry_id: int):
    entry = _assignment(request, entry_id).entry
    version = selectors.judged_version_of(entry)
    if version is None:
        raise Http404
    return version, entry.code


@xframe_options_sameorigin
@require_GET
def entry_proposal(request, entry_id: int):
    """The judged proposal inline; its file name is the entry's code, never
    the name the team gave it."""
    version, code = _version(request, entry_id)
    if not version.proposal:
        raise Http404
    return proposal_response(version, filename=f"{code}-proposal.pdf")


@require_GET
def entry_archive(request, entry_id: int):
    version, code = _version(request, entry_id)
    if not version.archive:
        raise Http404
    return archive_response(version, filename=f"{code}-code.zip")


@require_GET
def entry_submission(request, entry_id: int):
    """A finalist's final submission, as an attachment named by the entry's code."""
    entry = _assignment(request, entry_id).entry
    submission = entry.submission
    if submission is None or not submission.file:
        raise Http404
    # The stored name's extension (the storage path keeps only that of the team's name).
    extension = os.path.splitext(submission.file.name)[1]
    return download_response(submission, filename=f"{entry.code}-submission{extension}")


@xframe_options_sameorigin
@require_GET
def entry_writeup(request, entry_id: int):
    """A finalist's write-up inline, named by the entry's code."""
    entry = _assignment(request, entry_id).entry
    writeup = selectors.writeup_of(entry)
    if writeup is None:
        raise Http404
    return pdf_inline_response(writeup.file, filename=f"{entry.code}-writeup.pdf")


@require_GET
def entry_history(request, entry_id: int):
    site = _site(request)
    assignment = _assignment(request, entry_id)
    review = selectors.review_of(assignment)
    criteria = {str(c.pk): c.name for c in selectors.rubric(challenge=assignment.entry.challenge)}
    return TemplateResponse(
        request,
        "judging/panel/history.html",
        _context(
            request,
            site,
            title=_("History of your review of %(code)s") % {"code": assignment.entry.code},
            entry=assignment.entry,
            review=review,
            changes=[
                (change, _differences(change, criteria))
                for change in selectors.review_changes(review)
            ],
        ),
    )


def _differences(change, criteria: dict[str, str]) -> list[tuple[str, object, object]]:
    """What one change altered: (what, before, after)."""
    old, new = change.old_values, change.new_values
    rows = [
        (criteria.get(key, key), old["scores"].get(key, "–"), new["scores"].get(key, "–"))
        for key in dict.fromkeys([*old["scores"], *new["scores"]])
        if old["scores"].get(key) != new["scores"].get(key)
    ]
    for key, label in (
        ("comment_to_team", _("Comment to the team")),
        ("note_to_organizers", _("Private note to the organizers")),
    ):
        if old.get(key) != new.get(key):
            rows.append((label, old.get(key) or "–", new.get(key) or "–"))
    return rows


@require_http_methods(["GET", "POST"])
def entry_conflict(request, entry_id: int):
    site = _site(request)
    assignment = _assignment(request, entry_id)
    form = ConflictForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(
                judge=request.judge, entry_id=entry_id, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Conflict recorded: %(code)s has left your queue.")
                % {"code": assignment.entry.code},
            )
            return redirect("judging:index")
    return TemplateResponse(
        request,
        "judging/panel/conflict.html",
        _context(
            request,
            site,
            title=_("Declare a conflict with %(code)s") % {"code": assignment.entry.code},
            entry=assignment.entry,
            form=form,
        ),
        status=400 if request.method == "POST" else 200,
    )
