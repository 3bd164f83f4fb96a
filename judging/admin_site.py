"""The judges' panel: an admin site of its own at /judging/, apart from the
organizers' admin. It shows a judge only the entries assigned to them.

Access: signed in, in the Judges group, with an active Judge row. Being
staff grants nothing. On an entry's routes anyone else gets 404 (an entry
never reveals that it exists); an anonymous visitor is sent to sign in."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from judging import selectors, views


class JudgingSite(admin.AdminSite):
    site_header = _("AI Super League · Judging")
    site_title = _("Judging")
    index_title = _("Your queue")
    enable_nav_sidebar = False
    final_catch_all_view = False

    def has_permission(self, request) -> bool:
        return selectors.judge_for_user(request.user) is not None

    def judge_view(self, view):
        """Entry routes: sign in first; then 404 for anyone who is not a judge."""

        def inner(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("account_login"))
            judge = selectors.judge_for_user(request.user)
            if judge is None:
                raise Http404
            request.current_app = self.name
            request.judging_site = self
            request.judge = judge
            return view(request, *args, **kwargs)

        return update_wrapper(csrf_protect(never_cache(inner)), view)

    def get_urls(self):
        urls = [
            pattern
            for pattern in super().get_urls()
            # No models are registered here: no object-by-content-type redirect.
            if getattr(pattern, "name", None) != "view_on_site"
        ]
        entry_routes = [
            path("entries/<id:entry_id>/", self.judge_view(views.entry), name="entry"),
            path(
                "entries/<id:entry_id>/proposal/",
                self.judge_view(views.entry_proposal),
                name="entry-proposal",
            ),
            path(
                "entries/<id:entry_id>/archive/",
                self.judge_view(views.entry_archive),
                name="entry-archive",
            ),
            path(
                "entries/<id:entry_id>/submission/",
                self.judge_view(views.entry_submission),
                name="entry-submission",
            ),
            path(
                "entries/<id:entry_id>/writeup/",
                self.judge_view(views.entry_writeup),
                name="entry-writeup",
            ),
            path(
                "entries/<id:entry_id>/history/",
                self.judge_view(views.entry_history),
                name="entry-history",
            ),
            path(
                "entries/<id:entry_id>/conflict/",
                self.judge_view(views.entry_conflict),
                name="entry-conflict",
            ),
        ]
        return entry_routes + urls

    def index(self, request, extra_context=None):
        return views.queue(request, site=self, extra_context=extra_context)


judging_site = JudgingSite(name="judging")
