"""The finalists' page on the site: a member of a finalist team uploads the
team's short write-up for the judges. Anyone else gets 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from judging import selectors, services
from league.errors import ApplicationError, NotFound


class WriteupForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Write-up (PDF)"),
        help_text=gettext_lazy("A new upload replaces the previous one."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def writeup(request, entry_id: int):
    try:
        entry = selectors.finalist_entry_get_for_member(user=request.user, entry_id=entry_id)
    except NotFound as exc:
        raise Http404 from exc
    form = WriteupForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.writeup_upload(
                    user=request.user, entry_id=entry.pk, upload=form.cleaned_data["file"]
                )
            except ApplicationError as exc:
                for violation in exc.details.get("violations", []) or [{"message": exc.message}]:
                    form.add_error(None, violation["message"])
                status = exc.status
            else:
                messages.success(request, _("Write-up uploaded: the judges will read it."))
                return redirect("finalists:writeup", entry_id=entry.pk)
        else:
            status = 400
    return render(
        request,
        "judging/writeup.html",
        {"entry": entry, "writeup": selectors.writeup_of(entry), "form": form},
        status=status,
    )
