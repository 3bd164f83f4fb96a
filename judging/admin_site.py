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
        # (path after entries/<id>/, view, route name): every one behind judge_view.
        entry_views = [
            ("", views.entry, "entry"),
            ("proposal/", views.entry_proposal, "entry-proposal"),
            ("archive/", views.entry_archive, "entry-archive"),
            ("submission/", views.entry_submission, "entry-submission"),
            ("writeup/", views.entry_writeup, "entry-writeup"),
            ("history/", views.entry_history, "entry-history"),
            ("conflict/", views.entry_conflict, "entry-conflict"),
        ]
        entry_routes = [
            path(f"entries/<id:entry_id>/{suffix}", self.judge_view(view), name=name)
            for suffix, view, name in entry_views
        ]
        return entry_routes + urls

    def index(self, request, extra_context=None):
        return views.queue(request, site=self, extra_context=extra_context)


judging_site = JudgingSite(name="judging")
