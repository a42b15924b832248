"""Reading iCalendar documents in the tests (the icalendar side)."""
from datetime import datetime, timezone

import icalendar
import sqlalchemy as sa


def read_with_icalendar(body):
    """The same view of a document, read by the icalendar library."""
    calendar = icalendar.Calendar.from_ical(body)
    events = []
    for vevent in calendar.walk("VEVENT"):
        start = vevent.decoded("DTSTART")
        events.append({
            "uid": str(vevent["UID"]),
            "summary": str(vevent["SUMMARY"]),
            "start": start.astimezone(timezone.utc),
            "start_tzid": vevent["DTSTART"].params.get("TZID"),
            "end_tzid": vevent["DTEND"].params.get("TZID"),
            "status": str(vevent["STATUS"]),
            "sequence": int(vevent["SEQUENCE"]),
            "last_modified": vevent.decoded("LAST-MODIFIED"),
            "dtstamp": vevent.decoded("DTSTAMP"),
            "description": str(vevent.get("DESCRIPTION", "")),
            "location": str(vevent.get("LOCATION", "")),
            "url": str(vevent.get("URL", "")),
            "alarms": [alarm for alarm in vevent.walk("VALARM")],
            "component": vevent,
        })
    return calendar, events


def utc_iso(value):
    """A datetime as ical.js prints it (milliseconds, Z), to the second as in iCalendar."""
    return value.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def by_uid(events):
    return {event["uid"]: event for event in events}


def as_seen(events):
    """{uid: (title, start utc, status)} as a reader saw it."""
    seen = {}
    for uid, event in events.items():
        start = event["start"]
        if isinstance(start, str):
            start = datetime.strptime(start, "%Y-%m-%dT%H:%M:%S.000Z").replace(tzinfo=timezone.utc)
        seen[uid] = (event["summary"], start, event["status"])
    return seen
