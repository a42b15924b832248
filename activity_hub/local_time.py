"""Local time: the site shows, and the programme counts by, Asia/Shanghai (UTC+8, no DST).

Times are stored in UTC (``db_types.UTCDateTime``); everything that turns one into a
local day, a plan year or words people read goes through here.
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_time

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_time(value):
    """A stored UTC time as a datetime in Asia/Shanghai."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(SHANGHAI)


def local_now():
    return datetime.now(SHANGHAI)


def local_today():
    return local_now().date()


def current_year():
    return local_today().year


def local_date(moment):
    return moment.astimezone(SHANGHAI).date()


def year_bounds(year):
    """The first instant of ``year`` and of the next one, in Asia/Shanghai (timezone-aware): [start, end)."""
    return datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def moment(value):
    """A day and time for people, with the weekday and without seconds or zone names:
    "2026年5月17日星期日 14:30" / "Sunday, May 17, 2026 2:30 PM" (Flask-Babel's zone: Asia/Shanghai)."""
    if value is None:
        return ""
    return f"{format_date(value, 'full')} {format_time(value, 'short')}"
