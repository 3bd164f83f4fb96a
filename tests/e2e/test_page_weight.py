"""Every participant page weighs at most 100 KB, everything it loads counted
on a first visit (HTML, CSS, JS and the rest), and nothing comes from outside
the site: the league must work from anywhere in the region, on any network."""

from urllib.parse import urlsplit

import pytest

from tests.e2e.busy_league import build_busy_league

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_BYTES = 100 * 1024


def _first_visit(page_in, live_server, user, path) -> tuple[int, list[str], list[str]]:
    """The bytes of every response, what came from elsewhere, what failed."""
    page = page_in(user=user)
    responses, elsewhere = [], []
    site = urlsplit(live_server.url).netloc

    def seen(request):
        url = urlsplit(request.url)
        if url.scheme not in ("data", "blob") and url.netloc != site:
            elsewhere.append(request.url)

    page.on("request", seen)
    page.on("response", lambda response: responses.append(response))
    page.goto(path, wait_until="load")
    failed = [f"{r.status} {r.url}" for r in responses if r.status >= 400]
    return sum(len(r.body()) for r in responses if r.status < 300), elsewhere, failed


def test_participant_pages_are_light_and_load_nothing_from_elsewhere(page_in, live_server):
    league = build_busy_league()
    weights, problems = {}, {}
    for main_page in league.pages:
        user = league.viewer if main_page.signed_in else None
        weight, elsewhere, failed = _first_visit(page_in, live_server, user, main_page.path)
        weights[main_page.name] = weight
        if weight > MAX_BYTES or elsewhere or failed:
            problems[main_page.name] = {"bytes": weight, "elsewhere": elsewhere, "failed": failed}
    assert not problems, problems
    assert min(weights.values()) > 5000, f"nothing measured? {weights}"
