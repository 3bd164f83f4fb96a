"""Links that a downstream app adds to an upstream app's pages.

Imports point one way (league ← teams ← submissions ← judging), so the team
page cannot ask judging whether the team has a finalist's write-up to hand
in. Instead judging registers a provider here when it starts, and the team
page asks this registry for its links. A provider is a callable taking the
page's objects as keyword arguments and returning a list of ``Link``; it
decides itself who may see each link."""

from collections.abc import Callable
from dataclasses import dataclass

TEAM_PAGE = "team_page"  # providers get team=, user=
PHASE_PAGE = "phase_page"  # the submit page; providers get phase=, registration=, user=


@dataclass(frozen=True)
class Link:
    label: str
    url: str


_providers: dict[str, list[Callable[..., list[Link]]]] = {}


def register(slot: str, provider: Callable[..., list[Link]]) -> None:
    """Add a provider of links to a page; registering it again changes nothing."""
    providers = _providers.setdefault(slot, [])
    if provider not in providers:
        providers.append(provider)


def links_for(slot: str, **objects) -> list[Link]:
    """Every registered provider's links for one page, in registration order."""
    found: list[Link] = []
    for provider in _providers.get(slot, []):
        found.extend(provider(**objects))
    return found
