"""iCalendar documents (RFC 5545 and RFC 7986) for events, public feeds and personal feeds.

Calendar apps keep their own copy of every event and only replace it when the feed says
the event changed, so each VEVENT carries a UID that never changes, the event's own last
change as DTSTAMP and LAST-MODIFIED (never the time of the request: the same data must give
the same bytes, which is also what makes the strong ETag honest) and the event's SEQUENCE.
Times are written in Asia/Shanghai with a VTIMEZONE that defines it, never floating.
The icalendar library folds lines at 75 octets without splitting a UTF-8 character and ends
them with CRLF.
"""
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
from flask import current_app
from flask_babel import gettext as _

from ..accessibility import need_label
from ..districts import DISTRICTS
from ..events.models import CANCELLED, CATEGORIES, category_label, registration_status_label
from ..locale_text import current_language, pick
from .feed_sources import (
    ASSIGNMENTS, EVENT, PUBLIC, REGISTRATIONS, FeedScope, feed_entries, feed_stats,
)

TZID = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZID)
REFRESH_INTERVAL = timedelta(hours=1)
# Raise when the way documents are written changes, so cached copies are replaced.
FORMAT_VERSION = "1"
DISTRICT_NAMES = {code: (zh, en) for code, zh, en in DISTRICTS}

__all__ = [
    "FeedScope", "FeedVersion", "event_scope", "public_scope", "registrations_scope", "assignments_scope",
    "feed_version", "feed_head", "feed_events", "build_feed", "feed_name", "known_category", "known_district",
]


def event_scope(event_id):
    return FeedScope(EVENT, event_id=event_id)


def public_scope(category=None, district_code=None):
    return FeedScope(PUBLIC, category=category, district_code=district_code)


def registrations_scope(user_id):
    return FeedScope(REGISTRATIONS, user_id=user_id)


def assignments_scope(user_id):
    return FeedScope(ASSIGNMENTS, user_id=user_id)


def known_category(code):
    return code in CATEGORIES


def known_district(code):
    return code in DISTRICT_NAMES


@dataclass(frozen=True)
class FeedVersion:
    """What a conditional request is answered from: a strong ETag and the last change."""

    etag: str
    last_modified: datetime | None
    empty: bool


def feed_version(scope, now, variant=""):
    """The feed's version from one aggregate query. ``variant`` names whatever else shapes the
    bytes (the language, the host in links): a different variant is a different ETag."""
    stats = feed_stats(scope, now)
    parts = [
        FORMAT_VERSION, repr(scope), variant, current_app.config["CALENDAR_HOST"],
        str(stats.count), str(stats.max_id),
        stats.max_updated.isoformat() if stats.max_updated else "",
        stats.last_dropped.isoformat() if stats.last_dropped else "",
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:40]
    return FeedVersion(etag=digest, last_modified=stats.last_modified, empty=stats.count == 0)


def feed_name(scope):
    site = _("Wuhan Disability Federation Activities")
    if scope.kind == REGISTRATIONS:
        return _("My registrations – %(site)s", site=site)
    if scope.kind == ASSIGNMENTS:
        return _("My volunteer shifts – %(site)s", site=site)
    if scope.category:
        return _("%(category)s – %(site)s", category=category_label(scope.category), site=site)
    if scope.district_code:
        zh, en = DISTRICT_NAMES[scope.district_code]
        return _("%(district)s – %(site)s", district=pick(zh, en), site=site)
    return site


def _feed_description(scope):
    if scope.kind == REGISTRATIONS:
        return _("The events you registered for. Places on the waiting list or awaiting approval are "
                 "marked as tentative.")
    if scope.kind == ASSIGNMENTS:
        return _("Your volunteer shifts. Proposed shifts are marked as tentative until you accept them.")
    return _("Events for persons with disabilities, their families and carers in Wuhan. "
             "Cancelled events stay in the calendar, marked as cancelled.")


@lru_cache(maxsize=1)
def _vtimezone():
    """Asia/Shanghai as a VTIMEZONE (UTC+8, no daylight saving since 1991), generated once."""
    return icalendar.Timezone.from_tzid(TZID, first_date=date(1992, 1, 1), last_date=date(2100, 1, 1))


class _Describe:
    """The personal lines of registrations and shifts, in the feed's language."""

    @staticmethod
    def registration_note(registration):
        return _("Your registration: %(status)s", status=registration_status_label(registration.status))

    @staticmethod
    def assignment_summary(assignment):
        return _("Volunteering: %(title)s", title=assignment.event.title)

    @staticmethod
    def assignment_note(assignment):
        from ..volunteers.models import assignment_status_label

        return _("Your role: %(role)s (%(status)s)", role=assignment.role,
                 status=assignment_status_label(assignment.status))


def _location(entry):
    event = entry.event
    parts = []
    venue = event.venue
    if venue is not None:
        parts.append(f"{venue.name}, {venue.address}")
        if venue.accessible_entrance:
            parts.append(_("Accessible entrance: %(entrance)s", entrance=venue.accessible_entrance))
    if event.online_url:
        if entry.online_link:
            parts.append(_("Online: %(url)s", url=event.online_url) if venue is not None else event.online_url)
        else:
            parts.append(_("Online"))
    return "; ".join(parts)


def _description(entry, url):
    event = entry.event
    lines = []
    if event.status == CANCELLED:
        lines.append(_("This event has been cancelled."))
    if entry.personal_note:
        lines.append(entry.personal_note)
    if event.summary:
        lines.append(event.summary)
    provisions = event.provisions
    if provisions:
        lines.append(_("Accessibility provided: %(provisions)s",
                       provisions="; ".join(need_label(code) for code in provisions)))
    contact = ", ".join(part for part in (event.contact_name, event.contact_phone, event.contact_email) if part)
    if contact:
        lines.append(_("Contact: %(contact)s", contact=contact))
    if event.online_url:
        lines.append(_("Online: %(url)s", url=event.online_url) if entry.online_link
                     else _("Online event: the link is shown to you once your place is confirmed."))
    if url:
        lines.append(_("Details and registration: %(url)s", url=url))
    return "\n\n".join(lines)


def _categories(event):
    names = [str(category_label(event.category))]
    if event.series is not None:
        names.append(event.series.name)
    return names


def _vevent(entry, host, url):
    vevent = icalendar.Event()
    vevent.add("uid", f"{entry.uid_prefix}-{entry.uid_id}@{host}")
    vevent.add("dtstamp", entry.last_modified)
    vevent.add("last-modified", entry.last_modified)
    vevent.add("created", entry.event.created_at)
    vevent.add("sequence", entry.sequence)
    vevent.add("dtstart", entry.starts_at.astimezone(SHANGHAI))
    vevent.add("dtend", entry.ends_at.astimezone(SHANGHAI))
    vevent.add("summary", entry.summary)
    vevent.add("description", _description(entry, url))
    location = _location(entry)
    if location:
        vevent.add("location", location)
    if url:
        vevent.add("url", url)
    vevent.add("categories", _categories(entry.event))
    vevent.add("status", entry.status)
    vevent.add("class", "PUBLIC")
    vevent.add("transp", "OPAQUE")
    if entry.alarm:
        alarm = icalendar.Alarm()
        alarm.add("uid", f"{entry.uid_prefix}-{entry.uid_id}-reminder@{host}")
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(days=-1))
        alarm.add("description", _("Tomorrow: %(title)s", title=entry.summary))
        vevent.add_component(alarm)
    return vevent


CALENDAR_END = b"END:VCALENDAR\r\n"
# Bytes gathered before they are handed to the server: fewer, larger writes than one per VEVENT.
WRITE_SIZE = 64 * 1024


def _calendar(scope, host):
    """The VCALENDAR with its properties and VTIMEZONE, no events yet."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", f"-//{host}//activity_hub calendar {FORMAT_VERSION}//{current_language().upper()}")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = feed_name(scope)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    description = _feed_description(scope)
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    calendar.add_component(_vtimezone())
    return calendar


def feed_head(scope):
    """The document's start: the calendar's properties and its VTIMEZONE (no query)."""
    head = _calendar(scope, current_app.config["CALENDAR_HOST"]).to_ical()
    if not head.endswith(CALENDAR_END):
        raise RuntimeError("icalendar did not end the calendar with END:VCALENDAR")
    return head[:-len(CALENDAR_END)]


def feed_events(scope, now, event_url):
    """The rest of the document as a stream of bytes: each VEVENT as soon as it is built (the
    entries are read in windows, see feed_sources), then the end. ``event_url(event_id)`` gives an
    event page's absolute URL.

    ``feed_head`` followed by these bytes is exactly what icalendar writes for the whole calendar
    in one piece (a component's lines are its properties' lines, then its subcomponents', folded
    line by line), but a worker never holds the whole document or every event at once. The number
    of queries does not depend on the number of events, only on the windows.
    """
    host = current_app.config["CALENDAR_HOST"]
    pending, size = [], 0
    for entry in feed_entries(scope, now, _Describe):
        vevent = _vevent(entry, host, event_url(entry.event.id)).to_ical()
        pending.append(vevent)
        size += len(vevent)
        if size >= WRITE_SIZE:
            yield b"".join(pending)
            pending, size = [], 0
    pending.append(CALENDAR_END)
    yield b"".join(pending)


def build_feed(scope, now, event_url):
    """The whole feed as bytes; the views send ``feed_head`` and ``feed_events`` as a stream."""
    return feed_head(scope) + b"".join(feed_events(scope, now, event_url))
