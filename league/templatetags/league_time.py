"""Times on screen: in the viewer's zone, with the zone named, plus a countdown."""

from datetime import UTC

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


def zone_label(value) -> str:
    local = timezone.localtime(value)
    offset = local.strftime("%z")
    return f"{timezone.get_current_timezone_name()}, UTC{offset[:3]}:{offset[3:]}"


@register.simple_tag
def local_time(value, countdown: bool = False):
    """``<time>`` in the active (viewer's) zone; time.js adds the countdown."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}"{}>{} <span class="zone">({})</span></time>',
        value.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        mark_safe(' data-countdown="1"') if countdown else "",
        date_format(local, "DATETIME_FORMAT"),
        zone_label(value),
    )
