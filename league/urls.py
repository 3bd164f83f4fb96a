from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from league import views
from league.converters import IdConverter

# `<id:name>` in every app's routes: huge, zero and negative ids answer 404.
register_converter(IdConverter, "id")

# The admin signs in through allauth, so its login is rate limited too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "AI Super League"
admin.site.site_title = "AI Super League"

# Errors outside DRF's views: JSON under /api/, the site's pages elsewhere.
handler400 = "league.errors.bad_request"
handler403 = "league.errors.permission_denied"
handler404 = "league.errors.page_not_found"
handler500 = "league.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health_page, name="health"),
    # Browsers ask for /favicon.ico whatever the page says: point them at the SVG.
    path("favicon.ico", views.favicon, name="favicon"),
    path("api/health/", views.health_json, name="health-json"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/api-token/", views.api_token_create, name="api-token-create"),
    path("preferences/api-token/revoke/", views.api_token_revoke, name="api-token-revoke"),
    # Submissions before teams: its routes are the ones read most (see there).
    path("", include("submissions.urls")),
    path("", include("teams.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The judges' panel, by name: league imports nothing downstream.
    path("judging/", include("judging.urls", namespace="judging")),
    path("", include("judging.site_urls")),
    path("", include("judging.api_urls")),
    path("", include("judging.results.urls")),
    path("", include("league.exports.urls", namespace="exports")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
