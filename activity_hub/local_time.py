"""Local time: the site shows, and the programme counts by, Asia/Shanghai (UTC+8, no DST).

Times are stored in UTC (``db_types.UTCDateTime``); everything that turns one into a
local day, a plan year or words people read goes through here.
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from babel.dates import get_date_format, get_time_format
from flask_babel import get_locale

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


# {locale name: (the full date pattern, the short time pattern)}: parsed once per locale, not per call
# (Flask-Babel's format_date/format_time look up the locale, zone and pattern on every call).
_MOMENT_PATTERNS = {}


def _patterns(locale):
    key = str(locale)
    found = _MOMENT_PATTERNS.get(key)
    if found is None:
        found = _MOMENT_PATTERNS[key] = (get_date_format("full", locale), get_time_format("short", locale))
    return found


def moment(value):
    """A day and time for people, with the weekday and without seconds or zone names:
    "2026年5月17日星期日 14:30" / "Sunday, May 17, 2026 2:30 PM", in Asia/Shanghai."""
    if value is None:
        return ""
    locale = get_locale() or "zh_CN"
    date_pattern, time_pattern = _patterns(locale)
    local = local_time(value)
    return f"{date_pattern.apply(local, locale)} {time_pattern.apply(local, locale)}"


def clock_time(value):
    """The local time of day only, e.g. "16:30" / "4:30 PM" (the same short pattern as ``moment``)."""
    if value is None:
        return ""
    locale = get_locale() or "zh_CN"
    return _patterns(locale)[1].apply(local_time(value), locale)
