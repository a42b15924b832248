"""What an event's organizers see: the roster (with contacts and needs) and the needs
summary. Only the event's organizers and administrators (``events.lookups.managed_event``)."""
from ..accessibility import NEED_CODES
from ..events import roster as roster_service
from ..events.lookups import managed_event
from .framework import Routes, query_args, require_user
from .schema import Field, Fields
from .serializers import needs_summary_json, roster_entry_json

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Organizers")


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
    event = managed_event(require_user(), event_id)
    args = query_args(ROSTER_QUERY)
    entries = roster_service.roster(event, status=args.get("status", roster_service.ACTIVE), need=args.get("need"))
    return {"event_id": event.id, "items": [roster_entry_json(entry) for entry in entries]}


@route("GET", "/events/<int:event_id>/needs-summary", summary="What to arrange: needs counted, venue warnings",
       response="NeedsSummary")
def event_needs_summary(event_id):
    """Counts only, no names or contacts."""
    event = managed_event(require_user(), event_id)
    return needs_summary_json(event, roster_service.needs_summary(event))
