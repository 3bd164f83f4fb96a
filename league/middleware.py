import zoneinfo
from urllib.parse import unquote

from django.conf import settings
from django.utils import timezone

from league.rules import available_time_zones


class ViewerTimezoneMiddleware:
    """Show times in the viewer's zone: the one chosen in the profile, else
    the one the browser detected (a cookie set by static/js/time.js), else UTC.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone_name = self._zone_name(request)
        request.viewer_time_zone = zone_name
        request.viewer_time_zone_detected = bool(request.COOKIES.get(settings.TIME_ZONE_COOKIE))
        timezone.activate(zoneinfo.ZoneInfo(zone_name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    @staticmethod
    def _zone_name(request) -> str:
        user = getattr(request, "user", None)
        chosen = getattr(user, "time_zone", "") if user and user.is_authenticated else ""
        detected = unquote(request.COOKIES.get(settings.TIME_ZONE_COOKIE, ""))
        for candidate in (chosen, detected):
            if candidate and candidate in available_time_zones():
                return candidate
        return settings.TIME_ZONE
