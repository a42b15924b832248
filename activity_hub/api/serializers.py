"""Every JSON object the API returns, and its schema for the OpenAPI document.

One function per kind of object, used by every endpoint that returns it, so a field
means the same thing everywhere. Times are ISO 8601 in Asia/Shanghai (+08:00).
"""
from flask import current_app, url_for

from ..accessibility import NEED_CODES, VENUE_FEATURE_CODES
from ..events.models import CATEGORIES, EVENT_STATUSES, REGISTRATION_STATUSES
from ..local_time import local_time


def iso(value):
    return local_time(value).isoformat() if value is not None else None


def _nullable(schema):
    schema = dict(schema)
    schema["type"] = [schema["type"], "null"]
    return schema


DATETIME = {"type": "string", "format": "date-time"}
INTEGER = {"type": "integer"}
STRING = {"type": "string"}


def _object(properties, required=None, **extra):
    return {"type": "object", "properties": properties, "required": list(required or properties), **extra}


# -- tokens ----------------------------------------------------------------------------------

def token_json(token, plain=None):
    data = {
        "id": token.id,
        "name": token.name,
        "prefix": token.token_prefix,
        "created_at": iso(token.created_at),
        "last_used_at": iso(token.last_used_at),
        "expires_at": iso(token.expires_at),
    }
    if plain is not None:
        data["token"] = plain
    return data


TOKEN_PROPERTIES = {
    "id": INTEGER,
    "name": STRING,
    "prefix": {"type": "string", "description": "The first characters of the token, to tell tokens apart."},
    "created_at": DATETIME,
    "last_used_at": _nullable(DATETIME),
    "expires_at": {**DATETIME, "description": "After this the token no longer works (API_TOKEN_DAYS after it was made)."},
}

# -- events ----------------------------------------------------------------------------------

# The HTML page of an event, by the first of these endpoints the events domain provides.
EVENT_PAGE_ENDPOINTS = ("events.event_detail", "events.event", "events.detail", "events.event_page")


def event_url(event):
    for endpoint in EVENT_PAGE_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return url_for(endpoint, event_id=event.id, _external=True)
    return url_for("api.event_detail", event_id=event.id, _external=True)


def district_json(district):
    if district is None:
        return None
    return {"id": district.id, "code": district.code, "name": district.name}


def venue_json(venue, detail=False):
    if venue is None:
        return None
    data = {
        "id": venue.id,
        "name": venue.name,
        "address": venue.address,
        "features": [code for code in VENUE_FEATURE_CODES if code in (venue.features or ())],
        "wheelchair_spaces": venue.wheelchair_spaces,
    }
    if detail:
        data["accessible_entrance"] = venue.accessible_entrance
        data["directions"] = venue.directions
    return data


def event_json(event, availability, detail=False):
    """An event (``events.read_model.EventView``, the one shape every listing and page reads)
    with its places (``Availability``: for a page, ``registration.availability`` in one query);
    ``detail`` adds the long texts and contact of the event page."""
    data = {
        "id": event.id,
        "title": event.title,
        "summary": event.summary,
        "category": event.category,
        "series": {"id": event.series.id, "name": event.series.name} if event.series is not None else None,
        "district": district_json(event.district),
        "venue": venue_json(event.venue, detail),
        "online_url": event.online_url,
        "starts_at": iso(event.starts_at),
        "ends_at": iso(event.ends_at),
        "status": event.status,
        "capacity": event.capacity,
        "places_left": availability.places_left,
        "wheelchair_spaces": event.wheelchair_spaces,
        "wheelchair_spaces_left": availability.wheelchair_left,
        "max_companions": event.max_companions,
        "waitlist_length": availability.waitlist_length,
        "provisions": list(event.provisions),
        "requires_approval": event.requires_approval,
        "registration_opens_at": iso(event.registration_opens_at),
        "registration_closes_at": iso(event.registration_closes_at),
        "url": event_url(event),
    }
    if detail:
        data.update({
            "description": event.description,
            "easy_read_summary": event.easy_read_summary,
            "contact_name": event.contact_name,
            "contact_phone": event.contact_phone,
            "contact_email": event.contact_email,
        })
    return data


def event_brief_json(event):
    """The few fields a registration list needs to name its event."""
    return {
        "id": event.id,
        "title": event.title,
        "starts_at": iso(event.starts_at),
        "ends_at": iso(event.ends_at),
        "status": event.status,
        "url": event_url(event),
    }


# -- registrations ---------------------------------------------------------------------------

def registration_json(registration, waitlist_position=None, *, event=False, checkin_code=None):
    data = {
        "id": registration.id,
        "event_id": registration.event_id,
        "status": registration.status,
        "waitlist_position": waitlist_position,
        "needs": list(registration.needs),
        "needs_note": registration.needs_note,
        "companions": registration.companions,
        "places": registration.places,
        "note": registration.note,
        "created_at": iso(registration.created_at),
        "checked_in_at": iso(registration.checked_in_at),
        "cancelled_at": iso(registration.cancelled_at),
    }
    if event:
        data["event"] = event_brief_json(registration.event)
    if checkin_code is not None:
        data["checkin_code"] = checkin_code
    return data


def person_json(user):
    """Contact data for the event's organizers (sensitive: rosters only)."""
    return {
        "id": user.id,
        "display_name": user.display_name,
        "phone": user.phone,
        "email": user.email,
        "text_only_contact": user.text_only_contact,
        "emergency_contact_name": user.emergency_contact_name,
        "emergency_contact_phone": user.emergency_contact_phone,
    }


def roster_entry_json(entry):
    registration = entry.registration
    data = registration_json(registration, entry.waitlist_position)
    data["no_show"] = registration.no_show
    data["registered_by_id"] = registration.registered_by_id
    data["person"] = person_json(registration.user)
    return data


def needs_summary_json(event, summary):
    return {
        "event_id": event.id,
        "registrations": summary.registrations,
        "people": summary.people,
        "waitlisted": summary.waitlisted,
        "lines": [
            {
                "code": line.need.code,
                "label": line.need.label,
                "arrangement": line.need.arrangement,
                "registrations": line.registrations,
                "people": line.people,
                "waitlisted": line.waitlisted,
                "to_arrange": line.to_arrange,
                "provided": line.provided,
            }
            for line in summary.lines
        ],
        "venue_warnings": [
            {"need": need.code, "feature": feature, "feature_label": str(label), "registrations": count}
            for need, feature, label, count in summary.venue_warnings
        ],
        "wheelchair_warning": (
            {"event_spaces": summary.wheelchair_warning[0], "venue_spaces": summary.wheelchair_warning[1]}
            if summary.wheelchair_warning else None
        ),
        "not_provided": [line.need.code for line in summary.not_provided],
    }


def page_json(items, total, page, per_page):
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def event_page_json(items, found):
    """A page of the catalogue (``catalogue.CataloguePage``): ``total`` is exact when
    ``total_exact``, else a lower bound (the count stops 200 matches past this page)."""
    return {**page_json(items, found.total, found.page, found.per_page), "total_exact": found.total_exact}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


NULLABLE_DATETIME = _nullable(DATETIME)
NULLABLE_STRING = _nullable(STRING)
NEED_LIST = {"type": "array", "items": {"type": "string", "enum": list(NEED_CODES)}}
DISTRICT = _object({"id": INTEGER, "code": STRING, "name": STRING})
VENUE_PROPERTIES = {
    "id": INTEGER, "name": STRING, "address": STRING,
    "features": {"type": "array", "items": {"type": "string", "enum": list(VENUE_FEATURE_CODES)}},
    "wheelchair_spaces": INTEGER,
}
EVENT_PROPERTIES = {
    "id": INTEGER,
    "title": STRING,
    "summary": STRING,
    "category": {"type": "string", "enum": list(CATEGORIES)},
    "series": {"oneOf": [{"type": "null"}, _object({"id": INTEGER, "name": STRING})]},
    "district": DISTRICT,
    "venue": {"oneOf": [{"type": "null"}, _object(VENUE_PROPERTIES)]},
    "online_url": NULLABLE_STRING,
    "starts_at": DATETIME,
    "ends_at": DATETIME,
    "status": {"type": "string", "enum": list(EVENT_STATUSES)},
    "capacity": INTEGER,
    "places_left": INTEGER,
    "wheelchair_spaces": INTEGER,
    "wheelchair_spaces_left": INTEGER,
    "max_companions": INTEGER,
    "waitlist_length": INTEGER,
    "provisions": NEED_LIST,
    "requires_approval": {"type": "boolean"},
    "registration_opens_at": NULLABLE_DATETIME,
    "registration_closes_at": NULLABLE_DATETIME,
    "url": {"type": "string", "format": "uri", "description": "The event's page on the site."},
}
EVENT_DETAIL_PROPERTIES = {
    **EVENT_PROPERTIES,
    "venue": {"oneOf": [{"type": "null"}, _object(
        {**VENUE_PROPERTIES, "accessible_entrance": STRING, "directions": STRING}
    )]},
    "description": STRING,
    "easy_read_summary": STRING,
    "contact_name": STRING,
    "contact_phone": STRING,
    "contact_email": STRING,
}
REGISTRATION_PROPERTIES = {
    "id": INTEGER,
    "event_id": INTEGER,
    "status": {"type": "string", "enum": list(REGISTRATION_STATUSES)},
    "waitlist_position": {"type": ["integer", "null"], "description": "1-based; null unless waitlisted."},
    "needs": NEED_LIST,
    "needs_note": STRING,
    "companions": INTEGER,
    "places": {"type": "integer", "description": "1 + companions."},
    "note": STRING,
    "created_at": DATETIME,
    "checked_in_at": NULLABLE_DATETIME,
    "cancelled_at": NULLABLE_DATETIME,
}
EVENT_BRIEF = _object({k: EVENT_PROPERTIES[k] for k in ("id", "title", "starts_at", "ends_at", "status", "url")})
PERSON = _object({
    "id": INTEGER, "display_name": STRING, "phone": NULLABLE_STRING, "email": NULLABLE_STRING,
    "text_only_contact": {"type": "boolean"}, "emergency_contact_name": STRING, "emergency_contact_phone": STRING,
})


def _page_of(name):
    return _object({
        "items": {"type": "array", "items": _ref(name)},
        "total": INTEGER,
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
    })


SCHEMAS = {
    "Event": _object(EVENT_PROPERTIES),
    "EventDetail": _object(EVENT_DETAIL_PROPERTIES),
    "EventPage": _object({**_page_of("Event")["properties"], "total_exact": {
        "type": "boolean",
        "description": "False when there are more matches than `total` (counted up to 200 past this page)."}}),
    "Registration": _object(REGISTRATION_PROPERTIES),
    "MyRegistration": _object(
        {**REGISTRATION_PROPERTIES, "event": EVENT_BRIEF,
         "checkin_code": {"type": "string", "description": "The code of the check-in QR code."}},
        required=list(REGISTRATION_PROPERTIES) + ["event", "checkin_code"],
    ),
    "MyRegistrationList": _object({"items": {"type": "array", "items": _ref("MyRegistration")}}),
    "RosterEntry": _object({**REGISTRATION_PROPERTIES, "no_show": {"type": "boolean"},
                            "registered_by_id": {"type": ["integer", "null"]}, "person": PERSON}),
    "Roster": _object({"event_id": INTEGER, "items": {"type": "array", "items": _ref("RosterEntry")}}),
    "CheckIn": _object({**REGISTRATION_PROPERTIES, "no_show": {"type": "boolean"},
                        "registered_by_id": {"type": ["integer", "null"]}, "person": PERSON}),
    "NeedsSummary": _object({
        "event_id": INTEGER, "registrations": INTEGER, "people": INTEGER, "waitlisted": INTEGER,
        "lines": {"type": "array", "items": _object({
            "code": {"type": "string", "enum": list(NEED_CODES)}, "label": STRING, "arrangement": STRING,
            "registrations": INTEGER, "people": INTEGER, "waitlisted": INTEGER,
            "to_arrange": {"type": "integer", "description": "How many to arrange for."},
            "provided": {"type": "boolean", "description": "The event already offers this provision."},
        })},
        "venue_warnings": {"type": "array", "items": _object({
            "need": STRING, "feature": {"type": "string", "enum": list(VENUE_FEATURE_CODES)},
            "feature_label": STRING, "registrations": INTEGER,
        })},
        "wheelchair_warning": {"oneOf": [{"type": "null"}, _object({"event_spaces": INTEGER, "venue_spaces": INTEGER})]},
        "not_provided": NEED_LIST,
    }),

    "Token": _object(TOKEN_PROPERTIES),
    "NewToken": _object(
        {**TOKEN_PROPERTIES, "token": {"type": "string", "description": "The token itself; shown only once."}}
    ),
    "TokenList": _object({"items": {"type": "array", "items": {"$ref": "#/components/schemas/Token"}}}),
}
