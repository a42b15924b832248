"""My messages over the API: the same inbox as the page "我的消息" (``messages.inbox``) and the
same contact preferences (``messages.contact_preferences``). Answers are personal, so they are
sent with ``Cache-Control: no-store``.
"""
from flask import jsonify

from ..messages import contact_preferences, inbox
from ..messages.lookups import own_message
from ..messages.models import CHANNELS, STATUSES
from .framework import Routes, json_body, query_args, require_user, validation_error
from .schema import Field, Fields
from .serializers import iso

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Messages")

INTEGER, STRING, BOOLEAN = {"type": "integer"}, {"type": "string"}, {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time"}


def _object(properties):
    return {"type": "object", "properties": properties, "required": list(properties)}


OPENAPI_SCHEMAS = {
    "Message": _object({
        "id": INTEGER,
        "kind": {"type": "string", "description": "What the message is about, e.g. `registration_confirmed`."},
        "subject": STRING,
        "body": {"type": "string", "description": "Plain text."},
        "created_at": DATETIME,
        "channel": {"type": "string", "enum": list(CHANNELS),
                    "description": "How it was sent besides the inbox; `site`: only in the inbox."},
        "status": {"type": "string", "enum": list(STATUSES), "description": "Delivery by that channel."},
        "read_at": {"type": ["string", "null"], "format": "date-time",
                    "description": "When it was first opened on the site or marked read; null: unread."},
        "event_id": {"type": ["integer", "null"]},
    }),
    "MessagePage": _object({
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
        "total": INTEGER,
        "unread": {"type": "integer", "description": "Unread messages in the whole inbox."},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": inbox.MAX_PER_PAGE},
    }),
    "MessagePreferences": _object({
        "channel": {"type": "string", "enum": list(contact_preferences.CHANNEL_CHOICES),
                    "description": "`automatic`: the site chooses (see `automatic_channel`)."},
        "remind_day_before": BOOLEAN,
        "remind_two_hours_before": BOOLEAN,
        "channels_available": {"type": "array", "items": {
            "type": "string", "enum": list(contact_preferences.CHANNEL_CHOICES)},
            "description": "The choices this account can make (SMS needs a mobile number, e-mail an address)."},
        "automatic_channel": {"type": "string", "enum": list(CHANNELS),
                              "description": "The channel `automatic` means for this account today."},
    }),
}

PAGE_QUERY = Fields({
    "page": Field("integer", minimum=1, maximum=100000),
    "per_page": Field("integer", minimum=1, maximum=inbox.MAX_PER_PAGE,
                      description=f"Messages per page (default {inbox.PER_PAGE})."),
})
PREFERENCES = Fields({
    "channel": Field("string", required=True, enum=contact_preferences.CHANNEL_CHOICES),
    "remind_day_before": Field("boolean", required=True),
    "remind_two_hours_before": Field("boolean", required=True),
})


def message_json(message):
    return {
        "id": message.id,
        "kind": message.kind,
        "subject": message.subject,
        "body": message.body,
        "created_at": iso(message.created_at),
        "channel": message.channel,
        "status": message.status,
        "read_at": iso(message.read_at),
        "event_id": message.event_id,
    }


def preferences_json(user):
    chosen = contact_preferences.current_preferences(user)
    return {
        "channel": chosen.channel,
        "remind_day_before": chosen.remind_day_before,
        "remind_two_hours_before": chosen.remind_two_hours_before,
        "channels_available": list(contact_preferences.available_channels(user)),
        "automatic_channel": contact_preferences.automatic_channel(user),
    }


def personal(data, status=200):
    response = jsonify(data)
    response.headers["Cache-Control"] = "no-store"
    return response, status


@route("GET", "/me/messages", summary="My messages, newest first", query=PAGE_QUERY, response="MessagePage")
def list_my_messages():
    """Every message the site wrote to me, whatever channel it went by (the inbox "我的消息")."""
    user = require_user()
    args = query_args(PAGE_QUERY)
    found = inbox.inbox_page(user, page=args.get("page", 1), per_page=args.get("per_page", inbox.PER_PAGE))
    return personal({"items": [message_json(entry.message) for entry in found.entries], "total": found.total,
                     "unread": found.unread, "page": found.page, "per_page": found.per_page})


@route("POST", "/me/messages/<int:message_id>/read", summary="Mark one of my messages read", response="Message")
def mark_my_message_read(message_id):
    """Marking a message read again keeps the time it was first read. Another person's message is a 404."""
    user = require_user()
    message = own_message(user, message_id)
    inbox.mark_read(message)
    return personal(message_json(message))


@route("GET", "/me/message-preferences", summary="How my messages reach me", response="MessagePreferences")
def my_message_preferences():
    return personal(preferences_json(require_user()))


@route("PUT", "/me/message-preferences", summary="Choose how my messages reach me", body=PREFERENCES,
       response="MessagePreferences")
def set_my_message_preferences():
    """Choosing `sms` without a mobile number, or `email` without an e-mail address, is a 400
    `validation_failed` saying why beside `channel`."""
    user = require_user()
    data = json_body(PREFERENCES)
    try:
        contact_preferences.save_contact_preferences(
            user, data["channel"], data["remind_day_before"], data["remind_two_hours_before"])
    except contact_preferences.ContactPreferenceError as error:
        raise validation_error({error.field: error.message}) from None
    return personal(preferences_json(user))
