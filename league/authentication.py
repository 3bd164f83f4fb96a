"""API authentication: a personal token first, then the browser's session.

The token class comes first so that an unauthenticated request answers 401
with ``WWW-Authenticate: Token`` (DRF takes the header from the first class);
the session class still serves the site's own fetch calls, CSRF enforced.
"""

from rest_framework import authentication, exceptions

from league.throttles import Limit, client_ip
from league.timing import stage


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with failures limited per client address
    (scope ``token_failure``): past the limit every token from that address
    is refused for the rest of the window, right or wrong, so keys cannot be
    guessed by trying."""

    def authenticate(self, request):
        with stage("auth"):
            return self._authenticate(request)

    def _authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        failures = Limit("token_failure")
        address = client_ip(request)
        failures.refuse_if_spent(address)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            failures.spend(address)
            raise
