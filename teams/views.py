"""Team pages: plain forms posting to thin views that call one service."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from league import links
from league.errors import ApplicationError, NotFound, RuleViolation
from league.models import Region
from league.throttles import throttle_page
from teams import rules, selectors, services, throttles
from teams.forms import InviteForm, JoinForm, MemberForm, ProfileForm, TeamNameForm
from teams.models import Profile, RegistrationStatus


def profile_required(view):
    """Send a participant without a profile to complete it first."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not selectors.has_profile(user=request.user):
            messages.info(
                request, _("Complete your profile first: teams need each member's country.")
            )
            return redirect(f"{reverse('teams:profile')}?next={request.get_full_path()}")
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(str(error)) from error

    return wrapper


def _show_error(request, error: ApplicationError, form=None) -> None:
    """Put the service's message on the form's fields, or as a message."""
    placed = False
    if form is not None:
        for name, errors in (error.details or {}).items():
            if name in form.fields and isinstance(errors, list):
                for message in errors:
                    form.add_error(name, message)
                placed = True
    if not placed:
        messages.error(request, error.message)


def _refusal_messages(request, error: ApplicationError) -> None:
    """Why joining was refused and, when a rule turns on the joiner's own
    profile, which field of it decides, with a link to change it."""
    messages.error(request, error.message)
    if not isinstance(error, RuleViolation):
        return
    for name in rules.profile_fields_of(error.violations, request.user.pk):
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "This rule depends on “%(field)s” in your profile; if it is out of date, "
                    "correct it there and try again."
                )
                % {"field": Profile._meta.get_field(name).verbose_name},
                reverse("teams:profile"),
                _("Open your profile"),
            ),
        )


def _team_url(team_id: int) -> str:
    return reverse("teams:team-detail", kwargs={"team_id": team_id})


@login_required
def profile(request):
    current = selectors.profile_get(user=request.user)
    initial = {}
    if current:
        initial = dict(
            display_name=current.display_name,
            nationality=current.nationality.code,
            residence=current.residence.code,
            participant_type=current.participant_type,
            organisation=current.organisation_id,
        )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, **form.service_arguments())
        except ApplicationError as error:
            _show_error(request, error, form)
        else:
            messages.success(request, _("Your profile was saved."))
            _warn_of_registrations_to_review(request)
            next_url = request.GET.get("next", "")
            if next_url and url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}
            ):
                return redirect(next_url)
            return redirect("teams:profile")
    table = selectors.region_table()
    region = None
    if current:
        region = Region(table.region(current.nationality.code)).label
    return render(
        request, "teams/profile.html", {"form": form, "profile": current, "region": region}
    )


def _warn_of_registrations_to_review(request) -> None:
    """Say which of the user's registrations wait for an organizer's review, and why."""
    for registration in selectors.registration_list_for_user(user=request.user).filter(
        status=RegistrationStatus.NEEDS_REVIEW
    ):
        reasons = selectors.registration_violations(registration=registration)
        messages.warning(
            request,
            _(
                "“%(team)s” in “%(challenge)s” now breaks a rule of the track and needs an "
                "organizer's review; the team cannot submit meanwhile. %(reasons)s"
            )
            % {
                "team": registration.team.name,
                "challenge": registration.challenge.title,
                "reasons": " ".join(str(v.message) for v in reasons),
            },
        )


@profile_required
def my_teams(request):
    teams = list(selectors.team_list_for_user(user=request.user))
    table = selectors.region_table()
    rows = [(team, selectors.team_summary(team=team, table=table)) for team in teams]
    return render(
        request,
        "teams/my_teams.html",
        {
            "rows": rows,
            "invitations": selectors.invitation_list_for_user(user=request.user),
            "create_form": TeamNameForm(),
            "join_form": JoinForm(),
        },
    )


@require_POST
@profile_required
def team_create(request):
    form = TeamNameForm(request.POST)
    if form.is_valid():
        try:
            team = services.team_create(user=request.user, name=form.cleaned_data["name"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Team “%(name)s” created.") % {"name": team.name})
            return redirect(_team_url(team.pk))
    else:
        messages.error(request, form.first_error())
    return redirect("teams:my-teams")


@require_POST
@profile_required
@throttle_page(*throttles.JOIN_BY_CODE)
def team_join(request):
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            team = services.team_join(user=request.user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            _refusal_messages(request, error)
        else:
            messages.success(request, _("You joined “%(name)s”.") % {"name": team.name})
            return redirect(_team_url(team.pk))
    else:
        messages.error(request, _("Enter a join code."))
    return redirect("teams:my-teams")


@profile_required
def team_detail(request, team_id: int):
    team = selectors.team_get_for_member(user=request.user, team_id=team_id)
    table = selectors.region_table()
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "summary": selectors.team_summary(team=team, table=table),
            "memberships": team.memberships.all(),
            "is_captain": team.captain_id == request.user.pk,
            "checklists": selectors.team_checklists(team=team, table=table),
            "frozen_by": selectors.team_frozen_by(team_id=team.pk),
            "invitations": selectors.invitation_list_for_team(team=team),
            "rename_form": TeamNameForm(initial={"name": team.name}),
            "invite_form": InviteForm(),
            "refresh_ms": settings.TEAM_PAGE_REFRESH_SECONDS * 1000,
            "extra_links": links.links_for(links.TEAM_PAGE, team=team, user=request.user),
        },
    )


def team_public(request, team_id: int):
    try:
        team = selectors.team_get_public(team_id=team_id)
    except NotFound as error:
        raise Http404 from error
    return render(
        request,
        "teams/team_public.html",
        {"team": team, "summary": selectors.team_summary(team=team)},
    )


def _team_action(service, success_message, form_class=None, *, done_url=None, throttled=()):
    """A POST-only view for one captain or member action on a team: on success
    it goes to ``done_url`` (default: the team page), on error back to the team;
    ``throttled``: the API's throttles of the same action."""

    @require_POST
    @profile_required
    @throttle_page(*throttled)
    def view(request, team_id: int, **kwargs):
        arguments = dict(kwargs)
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    for message in errors:
                        messages.error(request, message)
                return redirect(_team_url(team_id))
            arguments.update(form.cleaned_data)
        try:
            service(request=request, team_id=team_id, **arguments)
        except ApplicationError as error:
            if isinstance(error, NotFound) and not selectors.is_member(
                user=request.user, team_id=team_id
            ):
                raise Http404 from error
            messages.error(request, error.message)
        else:
            messages.success(request, success_message())
            if done_url:
                return redirect(done_url)
        return redirect(_team_url(team_id))

    return view


def _rename(*, request, team_id, name):
    services.team_rename(team_id=team_id, actor=request.user, name=name)


def _invite(*, request, team_id, email):
    services.invitation_create(team_id=team_id, actor=request.user, email=email)


def _regenerate(*, request, team_id):
    services.team_regenerate_join_code(team_id=team_id, actor=request.user)


def _leave(*, request, team_id):
    services.team_leave(team_id=team_id, user=request.user)


def _remove(*, request, team_id, user_id):
    services.team_remove_member(team_id=team_id, actor=request.user, user_id=user_id)


def _transfer(*, request, team_id, user_id):
    services.team_transfer_captaincy(team_id=team_id, actor=request.user, user_id=user_id)


def _register(*, request, team_id, challenge_id):
    registration = services.registration_create(
        team_id=team_id, actor=request.user, challenge_id=challenge_id
    )
    violations = selectors.registration_violations(registration=registration)
    if violations:
        messages.warning(
            request,
            _("The registration stays pending until every rule passes: %(reasons)s")
            % {"reasons": " ".join(str(v.message) for v in violations)},
        )


def _revoke(*, request, team_id, invitation_id):
    team = selectors.team_get_for_member(user=request.user, team_id=team_id)
    if not selectors.invitation_list_for_team(team=team).filter(pk=invitation_id).exists():
        raise NotFound()
    services.invitation_revoke(invitation_id=invitation_id, actor=request.user)


team_rename = _team_action(_rename, lambda: _("The team was renamed."), TeamNameForm)
team_invite = _team_action(
    _invite,
    lambda: _("The invitation is on its way."),
    InviteForm,
    throttled=throttles.INVITATION_CREATE,
)
team_regenerate_code = _team_action(
    _regenerate,
    lambda: _("A new join code was made."),
    throttled=[throttles.NewJoinCodePerUser],
)
team_leave = _team_action(_leave, lambda: _("You left the team."), done_url="teams:my-teams")
team_remove_member = _team_action(_remove, lambda: _("The member was removed."), MemberForm)
team_transfer = _team_action(_transfer, lambda: _("The captaincy was handed over."), MemberForm)
team_register = _team_action(_register, lambda: _("The team is registered."))
invitation_revoke = _team_action(_revoke, lambda: _("The invitation was withdrawn."))


@login_required
@throttle_page(throttles.InvitationAnswersPerUser, methods=("GET", "POST"))
def invitation(request, token: str):
    try:
        invitation = selectors.invitation_get_by_token(token=token)
    except NotFound as error:
        raise Http404 from error
    wrong_account = None
    try:
        services.check_invitee(invitation=invitation, user=request.user)
    except ApplicationError as error:
        wrong_account = error.message
    if request.method == "POST" and not wrong_account:
        if not selectors.has_profile(user=request.user):
            messages.info(
                request, _("Complete your profile first: teams need each member's country.")
            )
            return redirect(f"{reverse('teams:profile')}?next={request.get_full_path()}")
        accept = request.POST.get("answer") == "accept"
        try:
            if accept:
                services.invitation_accept(invitation_id=invitation.pk, user=request.user)
            else:
                services.invitation_decline(invitation_id=invitation.pk, user=request.user)
        except ApplicationError as error:
            _refusal_messages(request, error)
        else:
            if accept:
                messages.success(
                    request, _("Welcome to “%(name)s”.") % {"name": invitation.team.name}
                )
                return redirect(_team_url(invitation.team_id))
            messages.success(request, _("You declined the invitation."))
            return redirect("teams:my-teams")
    return render(
        request,
        "teams/invitation.html",
        {"invitation": invitation, "wrong_account": wrong_account},
    )
