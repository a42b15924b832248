"""What an event's organizers see: the roster (with contacts and needs) and the needs
summary. Only the event's organizers and administrators (``event_admin.can_manage_event``)."""
from ..accessibility import NEED_CODES
from ..events import event_admin, roster as roster_service
from ..events.models import Event
from ..extensions import db
from .framework import Routes, forbidden, not_found, query_args, require_user
from .schema import Field, Fields
from .serializers import needs_summary_json, roster_entry_json

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Organizers")


def managed_event(event_id):
    user = require_user()
    event = db.session.get(Event, event_id)
    if event is None:
        raise not_found()
    if not event_admin.can_manage_event(user, event):
        raise forbidden()
    return event


ROSTER_QUERY = Fields({
    "status": Field("string", enum=roster_service.STATUS_FILTERS,
                    description="`active` (default): confirmed, pending and waitlisted; `all`; or one status."),
    "need": Field("string", enum=NEED_CODES, description="Only registrations with this need."),
})


@route("GET", "/events/<int:event_id>/roster", summary="Who is coming, with contacts and needs",
       query=ROSTER_QUERY, response="Roster")
def event_roster(event_id):
    """Confirmed and pending first, then the waitlist in order. Contains personal data:
    only for the event's organizers and administrators."""
    event = managed_event(event_id)
    args = query_args(ROSTER_QUERY)
    entries = roster_service.roster(event, status=args.get("status", roster_service.ACTIVE), need=args.get("need"))
    return {"event_id": event.id, "items": [roster_entry_json(entry) for entry in entries]}


@route("GET", "/events/<int:event_id>/needs-summary", summary="What to arrange: needs counted, venue warnings",
       response="NeedsSummary")
def event_needs_summary(event_id):
    """Counts only, no names or contacts."""
    event = managed_event(event_id)
    return needs_summary_json(event, roster_service.needs_summary(event))
