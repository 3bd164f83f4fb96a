"""Every member of a team hears of the organizers' decision, in their language."""

import time

import pytest
from django.core import mail

from league.errors import ApplicationError
from league.mail import mail_send
from league.models import OutgoingMail
from teams import services
from teams.models import Membership, RegistrationStatus
from tests.factories import RegistrationFactory, UserFactory


def send_owed() -> None:
    """What the worker does with each job published after commit."""
    for mail_id in OutgoingMail.objects.filter(sent_at__isnull=True).values_list("id", flat=True):
        mail_send(mail_id=mail_id)


@pytest.mark.django_db
def test_a_rejection_mails_each_member_the_reason_in_their_language(
    talent, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(challenge=talent, status=RegistrationStatus.PENDING)
    team = registration.team
    Membership.objects.get_or_create(team=team, user=team.captain)
    chinese = UserFactory(language="zh-hans")
    Membership.objects.create(team=team, user=chinese)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.registration_reject(
            registration_id=registration.pk,
            actor=UserFactory(is_staff=True),
            reason="Duplicate team",
        )
    assert len(callbacks) == 2, "one job per member, after commit"
    assert not mail.outbox, "nothing is sent in the request"
    send_owed()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {team.captain.email, chinese.email}
    english, zh = by_address[team.captain.email], by_address[chinese.email]
    assert "rejected the registration" in english.body and "Duplicate team" in english.body
    assert "Duplicate team" in zh.body and "rejected" not in zh.body
    assert f"/teams/{team.pk}/" in zh.body


@pytest.mark.django_db
def test_a_failed_decision_owes_no_mail(talent):
    registration = RegistrationFactory(challenge=talent, status=RegistrationStatus.PENDING)
    with pytest.raises(ApplicationError):
        services.registration_reject(
            registration_id=registration.pk, actor=UserFactory(is_staff=True), reason=" "
        )
    assert not OutgoingMail.objects.exists()


def test_a_real_worker_sends_the_verification_mail_after_commit(talent, start_worker):
    registration = RegistrationFactory(challenge=talent, status=RegistrationStatus.PENDING)
    Membership.objects.get_or_create(team=registration.team, user=registration.team.captain)
    start_worker(queues="default")
    services.registration_verify(registration_id=registration.pk, actor=UserFactory(is_staff=True))
    owed = OutgoingMail.objects.get(to=registration.team.captain.email)
    assert owed.template == "teams/email/registration_verified"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        owed.refresh_from_db()
        if owed.sent_at:
            break
        time.sleep(0.2)
    assert owed.sent_at is not None, "the worker sent it"
