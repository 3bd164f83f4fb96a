"""Celery tasks of the teams app: thin, named, safe to run twice."""

from celery import shared_task


@shared_task(name="teams.send_invitation_email", queue="default", acks_late=True)
def send_invitation_email(invitation_id: int) -> bool:
    from teams import services

    return services.invitation_send_email(invitation_id=invitation_id)


@shared_task(name="teams.publish_unsent_invitations", queue="default", ignore_result=True)
def publish_unsent_invitations() -> int:
    """Beat: publish the invitation e-mails the broker refused or lost."""
    from teams import services

    return services.invitations_publish_unsent()
