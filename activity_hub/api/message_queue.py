"""The health of the message queue, for administrators and monitoring
(``messages.queue_health``)."""
from ..messages.lookups import ensure_queue_admin
from ..messages.queue_health import queue_health
from .framework import Routes, require_user
from .serializers import iso

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Administration")

_COUNT = {"type": "integer", "minimum": 0}
OPENAPI_SCHEMAS = {
    "MessageQueueHealth": {
        "type": "object",
        "required": ["checked_at", "waiting", "deferred", "sending", "oldest_waiting_seconds", "sent_last_day",
                     "failed_last_day", "failed_total"],
        "properties": {
            "checked_at": {"type": "string", "format": "date-time"},
            "waiting": {**_COUNT, "description": "Queued and due now."},
            "deferred": {**_COUNT, "description": "Queued for later on purpose (night-time SMS, backoff)."},
            "sending": {**_COUNT, "description": "Claimed by a worker."},
            "oldest_waiting_seconds": {"type": ["integer", "null"], "minimum": 0,
                                       "description": "Age of the oldest due message; null when none waits."},
            "sent_last_day": {**_COUNT, "description": "Delivered in the last 24 hours."},
            "failed_last_day": {**_COUNT, "description": "Failed messages written in the last 24 hours."},
            "failed_total": {**_COUNT, "description": "Every failed message not yet retried."},
        },
    },
}


@route("GET", "/admin/message-queue", summary="Message queue health", response="MessageQueueHealth")
def message_queue_health():
    """For monitoring: what waits, the oldest waiting message's age, delivered and failed in the
    last day. Administrators only."""
    ensure_queue_admin(require_user())
    figures = queue_health().as_dict()
    figures["checked_at"] = iso(figures["checked_at"])
    return figures
