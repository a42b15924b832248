"""The rules an event's fields must keep, shared by the organizer forms, the service and the API.

``check_event_values`` returns every broken rule at once as {field: message}, so a form can show
each message beside its field and the API can return them all in one answer.
"""
import calendar
import re
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from ..accessibility import NEED_CODES, clean_need_codes
from ..auth.accounts import normalise_login
from ..extensions import db
from .models import CATEGORIES

LIMITS = {
    "title": 200, "summary": 500, "description": 20000, "easy_read_summary": 5000, "series_name": 120,
    "online_url": 500, "contact_name": 80, "contact_phone": 20, "contact_email": 254,
}
TEXT_FIELDS = tuple(LIMITS)
CAPACITY_MAX = 100000
COMPANIONS_MAX = 10
SERIES_MAX = 52
REASON_MAX = 500
INTERVALS = ("weekly", "monthly")
# Years an organizer can plausibly mean; anything else is a typing slip.
FIRST_YEAR, LAST_YEAR = 2000, 2100

EDITABLE_FIELDS = (
    "title", "summary", "description", "easy_read_summary", "category", "series_name", "district_id",
    "venue_id", "online_url", "starts_at", "ends_at", "capacity", "wheelchair_spaces", "max_companions",
    "registration_opens_at", "registration_closes_at", "requires_approval", "provisions",
    "contact_name", "contact_phone", "contact_email",
)
DEFAULTS = {
    "summary": "", "description": "", "easy_read_summary": "", "series_name": "", "venue_id": None,
    "online_url": None, "wheelchair_spaces": 0, "max_companions": 1, "registration_opens_at": None,
    "registration_closes_at": None, "requires_approval": False, "provisions": [], "contact_name": "",
    "contact_phone": "", "contact_email": "",
}
REQUIRED = ("title", "category", "district_id", "starts_at", "ends_at", "capacity")
CONTACT_PHONE_RE = re.compile(r"^[0-9+\-() ]*$")
URL_RE = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)


class InvalidEvent(ValueError):
    """Broken rules as {field: message}."""

    code = "invalid"

    def __init__(self, errors):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


def clean_provisions(codes):
    return clean_need_codes(codes)


# Never stored empty: a None given for one of these means "the default" (or "unchanged").
NONE_MEANS_DEFAULT = ("wheelchair_spaces", "max_companions", "requires_approval", "provisions")


def normalise(values):
    """Strip text and turn empty optional text into its stored form (None for the online link)."""
    values = {k: v for k, v in dict(values).items() if not (k in NONE_MEANS_DEFAULT and v is None)}
    for field in TEXT_FIELDS:
        if isinstance(values.get(field), str):
            values[field] = values[field].strip()
        elif field in values and values[field] is None and field not in ("online_url", "title"):
            values[field] = ""
    if "online_url" in values and not values["online_url"]:
        values["online_url"] = None
    if "venue_id" in values and values["venue_id"] in ("", 0):
        values["venue_id"] = None
    return values


def _has_control_characters(text):
    return any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_time(value):
    return isinstance(value, datetime) and value.tzinfo is not None


def check_event_values(values, required=False):
    """Every broken rule among ``values`` (missing keys are only checked when ``required``)."""
    from ..districts import District
    from .models import Venue

    errors = {}

    def fail(field, message):
        errors.setdefault(field, message)

    if required:
        for field in REQUIRED:
            if values.get(field) in (None, ""):
                fail(field, _required_message(field))
    for field, limit in LIMITS.items():
        value = values.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            fail(field, _l("Enter text."))
        elif len(value) > limit:
            fail(field, _l("Keep this to %(limit)s characters or fewer.", limit=limit))
        elif _has_control_characters(value):
            fail(field, _l("Remove the invisible control characters."))
    if values.get("category") not in (None, "") and values["category"] not in CATEGORIES:
        fail("category", _l("Choose a category from the list."))
    if values.get("district_id") not in (None, ""):
        if not _is_int(values["district_id"]) or db.session.get(District, values["district_id"]) is None:
            fail("district_id", _l("Choose a district from the list."))
    if values.get("venue_id") is not None:
        if not _is_int(values["venue_id"]) or db.session.get(Venue, values["venue_id"]) is None:
            fail("venue_id", _l("Choose a venue from the list."))
    url = values.get("online_url")
    if isinstance(url, str) and url and not URL_RE.match(url):
        fail("online_url", _l("Enter a web address starting with https://"))
    if required and values.get("venue_id") is None and not values.get("online_url"):
        fail("venue_id", _l("Choose a venue, or give an online link."))
    _check_times(values, fail)
    _check_numbers(values, fail)
    provisions = values.get("provisions")
    if provisions is not None and (not isinstance(provisions, (list, tuple, set))
                                   or set(provisions) - set(NEED_CODES)):
        fail("provisions", _l("Choose provisions from the list."))
    phone = values.get("contact_phone")
    if isinstance(phone, str) and phone and not CONTACT_PHONE_RE.match(phone):
        fail("contact_phone", _l("Enter a phone number using digits, spaces and hyphens, like 027-12345678."))
    email = values.get("contact_email")
    if isinstance(email, str) and email and (normalise_login(email) or ("",))[0] != "email":
        fail("contact_email", _l("Enter an e-mail address like name@example.com"))
    if "requires_approval" in values and not isinstance(values["requires_approval"], bool):
        fail("requires_approval", _l("Answer yes or no."))
    return errors


def _required_message(field):
    return {
        "title": _l("Enter a title."),
        "category": _l("Choose a category."),
        "district_id": _l("Choose a district."),
        "starts_at": _l("Enter the date and time the event starts."),
        "ends_at": _l("Enter the date and time the event ends."),
        "capacity": _l("Enter how many places there are."),
    }[field]


def _check_times(values, fail):
    times = {}
    for field in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        value = values.get(field)
        if value is None:
            continue
        if not _is_time(value):
            fail(field, _l("Enter a real date and time."))
        elif not FIRST_YEAR <= value.year <= LAST_YEAR:
            fail(field, _l("Enter a year between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))
        else:
            times[field] = value
    starts, ends = times.get("starts_at"), times.get("ends_at")
    opens, closes = times.get("registration_opens_at"), times.get("registration_closes_at")
    if starts and ends and ends <= starts:
        fail("ends_at", _l("The event must end after it starts."))
    if opens and closes and closes <= opens:
        fail("registration_closes_at", _l("Registration must close after it opens."))
    if closes and ends and closes > ends:
        fail("registration_closes_at", _l("Registration must close before the event ends."))
    if opens and ends and opens >= ends:
        fail("registration_opens_at", _l("Registration must open before the event ends."))


def _check_numbers(values, fail):
    capacity = values.get("capacity")
    if capacity is not None:
        if not _is_int(capacity):
            fail("capacity", _l("Enter the number of places as a whole number, like 30."))
            capacity = None
        elif not 1 <= capacity <= CAPACITY_MAX:
            fail("capacity", _l("Enter a number of places between 1 and %(max)s.", max=CAPACITY_MAX))
            capacity = None
    spaces = values.get("wheelchair_spaces")
    if spaces is not None:
        if not _is_int(spaces) or spaces < 0:
            fail("wheelchair_spaces", _l("Enter the number of wheelchair spaces as a whole number, 0 or more."))
        elif capacity is not None and spaces > capacity:
            fail("wheelchair_spaces", _l("There cannot be more wheelchair spaces than places."))
    companions = values.get("max_companions")
    if companions is not None and (not _is_int(companions) or not 0 <= companions <= COMPANIONS_MAX):
        fail("max_companions", _l("Enter a number of companions between 0 and %(max)s.", max=COMPANIONS_MAX))


def check_series(values, count, interval):
    errors = {}
    if not series_name_given(values):
        errors["series_name"] = _l("Enter the name of the series.")
    if not _is_int(count) or not 2 <= count <= SERIES_MAX:
        errors["count"] = _l("Enter a number of sessions between 2 and %(max)s.", max=SERIES_MAX)
    if interval not in INTERVALS:
        errors["interval"] = _l("Choose weekly or monthly.")
    return errors


def series_name_given(values):
    return bool((values.get("series_name") or "").strip())


def series_starts(first, count, interval):
    """Start times of a series: the same local weekday and time as ``first``.

    Monthly sessions fall on the same weekday of the month (the 2nd Tuesday stays the 2nd Tuesday);
    a session on a 5th weekday, which most months lack, moves to that month's last such weekday.
    """
    from ..local_time import SHANGHAI

    local = first.astimezone(SHANGHAI)
    if interval == "weekly":
        return [(local + timedelta(weeks=i)).astimezone(first.tzinfo) for i in range(count)]
    nth = (local.day - 1) // 7 + 1
    starts = []
    for i in range(count):
        month_index = local.month - 1 + i
        year, month = local.year + month_index // 12, month_index % 12 + 1
        day = _nth_weekday(year, month, local.weekday(), nth)
        starts.append(local.replace(year=year, month=month, day=day).astimezone(first.tzinfo))
    return starts


def _nth_weekday(year, month, weekday, nth):
    first_weekday, days = calendar.monthrange(year, month)
    first = 1 + (weekday - first_weekday) % 7
    day = first + (nth - 1) * 7
    while day > days:
        day -= 7
    return day
