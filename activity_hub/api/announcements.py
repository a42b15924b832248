"""Organizers' announcements to an event's people: list them, and send one (the same service as
the organizer's pages: ``messages.announcements``). Only the event's organizers and
administrators (``messages.lookups.announceable_event``)."""
from ..accessibility import NEED_CODES
from ..messages import announcements
from ..messages.lookups import announceable_event
from ..messages.models import AUDIENCES
from .framework import Routes, json_body, require_user, validation_error
from .schema import Field, Fields
from .serializers import event_url, iso

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Organizers")

ANNOUNCEMENT_BODY = Fields({
    "audience": Field("string", required=True, enum=AUDIENCES,
                      description="`confirmed` registrants, the `waitlist`, or the event's `volunteers`."),
    "need": Field("string", nullable=True, enum=NEED_CODES,
                  description="Only the registrants with this need (not for volunteers)."),
    "subject": Field("string", required=True, min_length=1, max_length=announcements.SUBJECT_MAX,
                     description="An SMS carries its first 35 characters and a link to the event."),
    "body": Field("string", required=True, min_length=1, max_length=announcements.BODY_MAX,
                  description="Sent as written; each person also gets a line naming the event in their language."),
    "submission_key": Field("string", max_length=64, min_length=1,
                            description="Optional: sending again with the same key returns the first announcement "
                                        "and sends nothing more (safe retries)."),
})

OPENAPI_SCHEMAS = {
    "Announcement": {
        "type": "object",
        "required": ["id", "event_id", "audience", "need", "subject", "body", "recipient_count", "author",
                     "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "event_id": {"type": "integer"},
            "audience": {"type": "string", "enum": list(AUDIENCES)},
            "need": {"type": ["string", "null"], "enum": list(NEED_CODES) + [None]},
            "subject": {"type": "string"},
            "body": {"type": "string"},
            "recipient_count": {"type": "integer", "description": "How many people it was sent to."},
            "author": {"type": "object", "required": ["id", "display_name"],
                       "properties": {"id": {"type": "integer"}, "display_name": {"type": "string"}}},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "AnnouncementList": {
        "type": "object", "required": ["event_id", "items"],
        "properties": {"event_id": {"type": "integer"},
                       "items": {"type": "array", "items": {"$ref": "#/components/schemas/Announcement"}}},
    },
}


def announcement_json(announcement):
    return {
        "id": announcement.id,
        "event_id": announcement.event_id,
        "audience": announcement.audience,
        "need": announcement.need,
        "subject": announcement.subject,
        "body": announcement.body,
        "recipient_count": announcement.recipient_count,
        "author": {"id": announcement.author.id, "display_name": announcement.author.display_name},
        "created_at": iso(announcement.created_at),
    }


@route("GET", "/events/<int:event_id>/announcements", summary="The announcements sent to an event's people",
       response="AnnouncementList")
def list_announcements(event_id):
    """Newest first."""
    event = announceable_event(require_user(), event_id)
    return {"event_id": event.id,
            "items": [announcement_json(item) for item in announcements.event_announcements(event.id)]}


@route("POST", "/events/<int:event_id>/announcements", summary="Write to an event's people",
       body=ANNOUNCEMENT_BODY, response="Announcement", status=201)
def create_announcement(event_id):
    """Queues one message per recipient (kind `announcement`) on their own channel. An audience of
    nobody is refused (400, on `audience` or `need`)."""
    user = require_user()
    event = announceable_event(user, event_id)
    data = json_body(ANNOUNCEMENT_BODY)
    try:
        sent = announcements.send_announcement(
            event, user, data["audience"], data.get("need"), data["subject"], data["body"],
            link=event_url(event), submission_key=data.get("submission_key"))
    except announcements.InvalidAnnouncement as invalid:
        raise validation_error(invalid.errors) from None
    return announcement_json(sent)
