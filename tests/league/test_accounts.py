"""Sign-up with mandatory e-mail verification, log in and out, password reset,
and throttled logins (participants' and the admin's)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_sign_up_verify_then_log_in(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "linh@example.vn", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email="linh@example.vn")
    assert user.groups.filter(name="Participants").exists()

    # Not verified yet: logging in only re-sends the verification mail.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "linh@example.vn", "password": PASSWORD}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm_url = link_in(mail.outbox[0])
    assert "linh@example.vn" in mail.outbox[0].to
    page = client.get(confirm_url)
    assert page.status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_log_in_and_log_out(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset_by_mail(client):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    reset_url = link_in(mail.outbox[0])
    form_url = client.get(reset_url)["Location"]
    new_password = "a-brand-new-passphrase-2026"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_repeated_failed_logins_are_throttled(client):
    user = UserFactory()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "x"})
        assert "Too many failed login attempts" not in response.content.decode()
    # The sixth failure within five minutes is refused, even with the right password.
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_goes_through_the_throttled_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_participant_cannot_enter_the_admin(client):
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code in (302, 403)
