"""Rate limits of the teams app's guessable and mail-sending actions; the
counting and the rates live in ``league.throttles`` (``settings.THROTTLE_RATES``)."""

from league.throttles import PerIp, PerUser, Throttle, signed_in
from teams import selectors


class JoinByCodePerUser(PerUser):
    scope = "join_code_user"


class JoinByCodePerIp(PerIp):
    scope = "join_code_ip"


class NewJoinCodePerUser(PerUser):
    scope = "join_code_new"


class InvitationAnswersPerUser(PerUser):
    scope = "invitation_answer"


class _CaptainsInvitations(Throttle):
    """Counts only the team captain's attempts: others are refused by the
    service anyway, and must not use up the team's or an address's quota."""

    def key(self, request, url_kwargs):
        user = signed_in(request)
        team_id = url_kwargs.get("team_id")
        if user is None or not selectors.is_captain(user=user, team_id=team_id):
            return None
        return self.captains_key(request, team_id)

    def captains_key(self, request, team_id) -> str | None:
        raise NotImplementedError


class InvitationsPerTeam(_CaptainsInvitations):
    scope = "invitation_team"

    def captains_key(self, request, team_id):
        return str(team_id)


class InvitationsPerAddress(_CaptainsInvitations):
    scope = "invitation_address"

    def captains_key(self, request, team_id):
        data = getattr(request, "data", request.POST)
        email = data.get("email") if hasattr(data, "get") else None
        return email.strip().lower() if isinstance(email, str) and email.strip() else None


JOIN_BY_CODE = (JoinByCodePerUser, JoinByCodePerIp)
INVITATION_CREATE = (InvitationsPerTeam, InvitationsPerAddress)
