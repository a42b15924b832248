"""Who viewed my information, over the API: the same access log as the page "谁查看了我的信息"
(``privacy.audit.access_log``). Personal, so sent with ``Cache-Control: no-store``."""
from flask import jsonify

from ..privacy import audit
from ..privacy.labels import action_label
from .framework import Routes, require_user
from .serializers import iso

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Privacy")

NULLABLE_STRING, NULLABLE_INTEGER = {"type": ["string", "null"]}, {"type": ["integer", "null"]}


def _object(properties):
    return {"type": "object", "properties": properties, "required": list(properties)}


OPENAPI_SCHEMAS = {
    "AccessLogEntry": _object({
        "at": {"type": "string", "format": "date-time"},
        "action": {"type": "string", "enum": list(audit.ROSTER_ACTIONS + audit.PERSONAL_ACTIONS),
                   "description": "What was done: a roster containing me viewed, exported or printed; "
                                  "a lookup that named me."},
        "action_label": {"type": "string", "description": "The same in the reader's language."},
        "by": {"type": "string", "description": "The organizer's name."},
        "by_district": {**NULLABLE_STRING, "description": "Their district; null: the city federation."},
        "event_id": NULLABLE_INTEGER,
        "event_title": NULLABLE_STRING,
    }),
    "AccessLog": _object({"items": {"type": "array", "items": {"$ref": "#/components/schemas/AccessLogEntry"}}}),
}


def access_json(entry):
    actor = entry.actor
    return {
        "at": iso(entry.at),
        "action": entry.action,
        "action_label": str(action_label(entry.action)),
        "by": actor.display_name,
        "by_district": actor.district.name if actor.district is not None else None,
        "event_id": entry.event_id,
        "event_title": entry.event.title if entry.event is not None else None,
    }


@route("GET", "/me/access-log", summary="Who viewed my information", response="AccessLog")
def my_access_log():
    """Which organizer viewed, printed or exported a roster while I was on it, or looked me up,
    and when; newest first. Only accesses to my own data."""
    user = require_user()
    response = jsonify({"items": [access_json(entry) for entry in audit.access_log(user.id)]})
    response.headers["Cache-Control"] = "no-store"
    return response, 200
