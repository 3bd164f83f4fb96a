"""An instant as the viewer reads it: in the active (viewer's) zone, with the
zone named. Pages (the ``local_time`` tag) and messages share these."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format


def zone_label(value: datetime) -> str:
    """``Asia/Shanghai, UTC+08:00`` for the active zone at that instant."""
    offset = timezone.localtime(value).strftime("%z")
    return f"{timezone.get_current_timezone_name()}, UTC{offset[:3]}:{offset[3:]}"


def local_datetime(value: datetime) -> str:
    """The date and time in the active zone, without the zone."""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def when(value: datetime) -> str:
    """``Dec. 20, 2026, 11:30 p.m. (Asia/Shanghai, UTC+08:00)``."""
    return f"{local_datetime(value)} ({zone_label(value)})"
