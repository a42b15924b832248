"""Local dates and calendar years: the programme counts by the year in Asia/Shanghai."""
from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_now():
    return datetime.now(SHANGHAI)


def local_today():
    return local_now().date()


def current_year():
    return local_today().year


def local_date(moment):
    return moment.astimezone(SHANGHAI).date()


def year_bounds(year):
    """The first instant of ``year`` and of the next one, in Asia/Shanghai (timezone-aware)."""
    return datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
