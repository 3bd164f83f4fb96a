"""Participants' pages: submit with a progress bar, live status, downloads, leaderboard."""

import hashlib
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from league import links
from league.errors import ApplicationError, NotFound
from league.metrics import format_score
from submissions import rules, selectors, services
from submissions.file_responses import archive_response, download_response, proposal_response
from submissions.forms import PackageForm
from submissions.modes import REGISTRY
from submissions.presentation import (
    final_message,
    package_version_dict,
    submission_public_dict,
    submission_row,
)
from submissions.services.packages import PackageChanges
from teams import selectors as teams_selectors


class SubmissionForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"), allow_empty_file=True)
    description = forms.CharField(
        label=gettext_lazy("Description (optional)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("What is new in this one?")}),
    )
    entry_point = forms.CharField(
        label=gettext_lazy("Entry point (code in a .zip)"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": "main.py"}),
    )


def _phase_or_404(phase_id: int):
    try:
        return selectors.phase_get(phase_id=phase_id)
    except NotFound as exc:
        raise Http404 from exc


ROW_TEMPLATE = "submissions/_submission_row.html"
FINALS_NOTE_TEMPLATE = "submissions/_finals_note.html"


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _status_payload(request, *, registration, phase, known: frozenset = frozenset()) -> dict:
    """The team's rows as the page shows them, each with its HTML rendered
    from the page's own row template, so that a row added or updated live
    reads exactly as after a reload; the quota and the finals note too.

    Each row carries a tag of its HTML (``row_tag``); a row whose tag is in
    ``known`` (the page has it already) comes without its HTML, so that a
    page polling while one file is scored fetches that row, not all of them."""
    submissions = selectors.team_submissions(registration=registration, phase=phase)[:100]
    phase_open = phase.is_open(timezone.now())
    rows = [submission_row(s, phase=phase, phase_open=phase_open) for s in submissions]
    for row in rows:
        html = render_to_string(ROW_TEMPLATE, {"s": row, "phase": phase}, request)
        row["row_tag"] = _row_tag(html)
        if row["row_tag"] not in known:
            row["row_html"] = html
    any_final = any(row["is_final"] for row in rows)
    return {
        "quota": selectors.quota_for(registration=registration, phase=phase).as_dict(),
        "submissions": rows,
        "any_final": any_final,
        "finals_note_html": render_to_string(
            FINALS_NOTE_TEMPLATE, {"phase": phase, "any_final": any_final}, request
        ),
    }


# A form's CSRF token differs in every rendering: it is no change of the row.
_CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
MAX_KNOWN_ROWS = 200


def _row_tag(html: str) -> str:
    return hashlib.sha256(_CSRF_TOKEN.sub("", html).encode()).hexdigest()[:16]


def _known_tags(request) -> frozenset:
    """The row tags a polling page says it has (``?known=tag,tag``)."""
    tags = request.GET.get("known", "").split(",")[:MAX_KNOWN_ROWS]
    return frozenset(tag for tag in tags if len(tag) == 16)


@login_required
def phase_submissions(request, phase_id: int):
    """The submit page: the upload form, the quota and the team's submissions."""
    phase = _phase_or_404(phase_id)
    registration = teams_selectors.registration_of_user(
        user=request.user, challenge_id=phase.challenge_id
    )
    mode = REGISTRY.get(phase.challenge.evaluation_mode)
    if mode is not None and mode.takes_packages:
        return _package_page(request, phase=phase, registration=registration, mode=mode)
    form = SubmissionForm()
    status = 200
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                submission = services.submission_create(
                    user=request.user,
                    phase=phase,
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                    entry_point=form.cleaned_data["entry_point"],
                )
            except ApplicationError as exc:
                if _wants_json(request):
                    return JsonResponse(exc.as_dict(), status=exc.status)
                form.add_error(None, exc.message)
                for violation in exc.details.get("violations", [])[1:]:
                    form.add_error(None, violation["message"])
                status = exc.status
            else:
                if _wants_json(request):
                    return JsonResponse(submission_public_dict(submission), status=201)
                # The tag names the submission: the page's polling turns the
                # notice into the result once it is scored or fails.
                messages.success(
                    request,
                    _("Received “%(name)s”; it is queued for evaluation.")
                    % {"name": submission.original_name},
                    extra_tags=f"submission-{submission.pk}",
                )
                return redirect("submissions:submit", phase_id=phase.pk)
        elif _wants_json(request):
            first = next(iter(form.errors.values()))[0]
            return JsonResponse(
                {"code": "invalid", "message": first, "details": form.errors}, status=400
            )
        else:
            status = 400
    context = {
        "phase": phase,
        "registration": registration,
        "form": form,
        "page_text": mode.page_text(phase.challenge, phase) if mode else None,
    }
    if registration is not None:
        context["extra_links"] = links.links_for(
            links.PHASE_PAGE, phase=phase, registration=registration, user=request.user
        )
        context["registration_problems"] = _registration_problems(registration)
        payload = _status_payload(request, registration=registration, phase=phase)
        context.update(
            quota=selectors.quota_for(registration=registration, phase=phase),
            submissions=payload["submissions"],
            any_final=payload["any_final"],
        )
    return render(request, "submissions/phase_submissions.html", context, status=status)


def _registration_problems(registration) -> list:
    return rules.registration_violations(
        registered=True,
        status=registration.status,
        rejection_reason=registration.rejection_reason,
    )


def _package_changes(data: dict) -> PackageChanges:
    return PackageChanges(
        proposal=data.get("proposal") or None,
        archive=data.get("archive") or None,
        remove_archive=bool(data.get("remove_archive")),
        video_url=data.get("video_url", "").strip(),
        form={
            name: data.get(name)
            for name in (
                "scenario",
                "industry",
                "target_countries",
                "deployment_stage",
                "expected_impact",
                "team_roles",
            )
        },
    )


def _package_page(request, *, phase, registration, mode):
    """The submit page of a review phase: the package form, the current
    version's checklist and the version history."""
    package = (
        selectors.package_get_for_team(registration=registration, phase=phase)
        if registration
        else None
    )
    versions = list(selectors.package_versions(package=package)[:50])
    current = versions[0] if versions else None
    initial = {**current.form_data(), "video_url": current.video_url} if current else {}
    form = PackageForm(initial=initial)
    status = 200
    if request.method == "POST":
        form = PackageForm(request.POST, request.FILES, initial=initial)
        if form.is_valid():
            try:
                version = services.package_version_create(
                    user=request.user, phase=phase, changes=_package_changes(form.cleaned_data)
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                for violation in exc.details.get("violations", [])[1:]:
                    form.add_error(None, violation["message"])
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Saved version %(number)s of your package.") % {"number": version.number},
                )
                return redirect("submissions:submit", phase_id=phase.pk)
        else:
            status = 400
    judged = selectors.package_judged_version(package=package)
    context = {
        "phase": phase,
        "registration": registration,
        "form": form,
        "page_text": mode.page_text(phase.challenge, phase),
        "current": package_version_dict(
            current, checklist=selectors.package_checklist(version=current)
        )
        if current
        else None,
        "versions": versions,
        "judged_id": judged.pk if judged else None,
    }
    if registration is not None:
        context["extra_links"] = links.links_for(
            links.PHASE_PAGE, phase=phase, registration=registration, user=request.user
        )
        context["registration_problems"] = _registration_problems(registration)
    return render(request, "submissions/package.html", context, status=status)


def _visible_version(request, version_id: int):
    try:
        return selectors.package_version_get_for_viewer(user=request.user, version_id=version_id)
    except NotFound as exc:
        raise Http404 from exc


@require_GET
@login_required
def package_proposal(request, version_id: int):
    """The proposal PDF, shown inline in the browser's PDF viewer."""
    version = _visible_version(request, version_id)
    if not version.proposal:
        raise Http404
    return proposal_response(version)


@require_GET
@login_required
def package_archive(request, version_id: int):
    version = _visible_version(request, version_id)
    if not version.archive:
        raise Http404
    return archive_response(version)


@never_cache
@require_GET
@login_required
def phase_status(request, phase_id: int):
    """The small JSON the submit page polls for live status."""
    phase = _phase_or_404(phase_id)
    registration = teams_selectors.registration_of_user(
        user=request.user, challenge_id=phase.challenge_id
    )
    if registration is None:
        raise Http404
    return JsonResponse(
        _status_payload(request, registration=registration, phase=phase, known=_known_tags(request))
    )


def _own_submission(request, submission_id: int):
    try:
        return selectors.submission_get_for_user(user=request.user, submission_id=submission_id)
    except NotFound as exc:
        raise Http404 from exc


@require_GET
@login_required
def submission_detail(request, submission_id: int):
    submission = _own_submission(request, submission_id)
    shown = submission_public_dict(submission, with_tests=True)
    metric = submission.phase.challenge.metric
    scores = {
        "public_score_text": format_score(shown["public_score"], metric),
        "private_score_text": format_score(shown["private_score"], metric),
    }
    return render(
        request,
        "submissions/submission_detail.html",
        {"submission": submission, "shown": shown, **scores},
    )


@require_GET
@login_required
def submission_download(request, submission_id: int):
    return download_response(_own_submission(request, submission_id))


@require_POST
@login_required
def submission_final(request, submission_id: int):
    """Select or unselect a final; says so, as a message after the redirect
    or (from the page's script) as JSON with the rows as they now read."""
    submission = _own_submission(request, submission_id)
    try:
        changed = services.submission_set_final(
            submission=submission, is_final=request.POST.get("is_final") == "1"
        )
    except ApplicationError as exc:
        if _wants_json(request):
            return JsonResponse(exc.as_dict(), status=exc.status)
        messages.error(request, exc.message)
    else:
        if _wants_json(request):
            payload = _status_payload(
                request, registration=submission.registration, phase=submission.phase
            )
            return JsonResponse({"message": final_message(changed), **payload})
        messages.success(request, final_message(changed))
    return redirect("submissions:submit", phase_id=submission.phase_id)
