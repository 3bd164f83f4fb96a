"""Times on screen: in the viewer's zone, with the zone named, plus a countdown."""

from datetime import UTC

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from league.timefmt import local_datetime, zone_label

register = template.Library()


@register.simple_tag
def local_time(value, countdown: bool = False):
    """``<time>`` in the active (viewer's) zone; time.js adds the countdown."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}"{}>{} <span class="zone">({})</span></time>',
        value.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        mark_safe(' data-countdown="1"') if countdown else "",
        local_datetime(value),
        zone_label(value),
    )


@register.simple_tag
def current_zone():
    """The active (viewer's) zone and its offset now, e.g. ``Asia/Shanghai, UTC+08:00``."""
    return zone_label(timezone.now())
