"""The judges' panel at /judging/: an admin site of its own (namespace
``judging``), signed in through allauth's rate-limited login as the main
admin is."""

from allauth.account.decorators import secure_admin_login

from judging.admin_site import judging_site

judging_site.login = secure_admin_login(judging_site.login)

urlpatterns, app_name, _namespace = judging_site.urls
