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


# Sent by name from league's admin (league does not import teams) when an
# organizer changes a track's rules or the country→region table, and run
# periodically by beat as the backstop for a message the broker lost.
@shared_task(name="teams.recheck_registrations", queue="default", acks_late=True)
def recheck_registrations(track_id: int | None = None) -> int:
    from teams import services

    return services.registrations_recheck(track_id=track_id)
