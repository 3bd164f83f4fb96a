"""The site as e-mails name it: ``SITE_NAME`` at the host of ``SITE_URL``.

The sites framework is not installed, so allauth would otherwise name the
site after whatever host the request came in on (``127.0.0.1:8000``)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass(frozen=True)
class Site:
    domain: str
    name: str

    def __str__(self) -> str:
        return self.name


def site_domain(site_url: str) -> str:
    """The host (and port, if any) of an address such as ``https://league.example.org``."""
    return urlsplit(site_url).netloc or site_url


def current_site() -> Site:
    return Site(domain=site_domain(settings.SITE_URL), name=settings.SITE_NAME)
