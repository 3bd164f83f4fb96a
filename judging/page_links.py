"""Judging's links on the pages of upstream apps (see ``league.links``): a
finalist team's members reach the page where they upload their write-up from
the team page and from the challenge's submit page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from judging import selectors
from league import links


def _writeup_links(entries) -> list[links.Link]:
    return [
        links.Link(
            label=_("Upload your finalist write-up for “%(challenge)s”")
            % {"challenge": entry.challenge.title},
            url=reverse("finalists:writeup", kwargs={"entry_id": entry.pk}),
        )
        for entry in entries
    ]


def team_page(*, team, user) -> list[links.Link]:
    return _writeup_links(selectors.finalist_entries_for_member(user=user, team_id=team.pk))


def phase_page(*, phase, registration, user) -> list[links.Link]:
    return _writeup_links(
        selectors.finalist_entries_for_member(
            user=user, team_id=registration.team_id, registration_id=registration.pk
        )
    )


def register() -> None:
    links.register(links.TEAM_PAGE, team_page)
    links.register(links.PHASE_PAGE, phase_page)
