"""The event page: what every visitor sees alike, rendered once per version of the event.

Most of the page depends only on the event: its title and status, summaries and description,
time, place, venue and getting there, accessibility provisions, the "add to calendar" links and
the contact. Those parts (``events/_event_parts.html``) are rendered once and cached, keyed by
the event's ``updated_at`` and ``sequence`` (every edit of the event or its provisions raises
them: event_admin.py, registration.set_capacity) and its venue's ``updated_at`` (venues.py), the
language and the host. So an edit shows at once. What the key cannot see (a change made in the
database by hand, a district's name) shows within ``EVENT_PAGE_CACHE_SECONDS`` (default 300;
0 turns the cache off).

What must be exact is rendered for every request by ``events/detail.html``: places left and the
waiting list (read afresh), whether registration is open now, the visitor's own registration,
the online link (only for confirmed residents and organizers), "Manage this event", easy-read
first or last, and the layout with its forms, flash messages and display settings. The parts are
rendered from the event, the language and the host only: no user, no CSRF token.
"""
import sqlalchemy as sa
from flask import abort, current_app, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from ..auth.accounts import can_manage_district
from ..extensions import cache, db
from .availability import Availability, usage_columns
from .models import ACTIVE_STATUSES, DRAFT, Event, Registration, Venue

DEFAULT_CACHE_SECONDS = 300
CACHE_VERSION = 1  # raise when the parts' markup changes, so no worker serves the old one
PARTS_TEMPLATE = "events/_event_parts.html"
PART_NAMES = ("head", "top", "easy_read", "lead", "where", "about_place", "rest", "contact")


def cache_seconds():
    return int(current_app.config.get("EVENT_PAGE_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def ensure_visible(event):
    """Drafts only for the organizers who manage them: 404 for everyone else (as if absent)."""
    if event is None:
        abort(404)
    if event.status == DRAFT and not can_manage_district(current_user, event.district_id):
        abort(404)
    return event


def _page_statement():
    """The event's columns for this request, the versions of the event and its venue, and its
    places taken and waiting (availability.usage_columns: the same sums as every other place
    count), in one statement built once."""
    places, wheelchair, waiting = usage_columns()
    return (
        sa.select(Event.id, Event.title, Event.status, Event.district_id, Event.starts_at,
                  Event.registration_opens_at, Event.registration_closes_at, Event.online_url,
                  Event.capacity, Event.wheelchair_spaces, Event.updated_at, Event.sequence,
                  Venue.updated_at.label("venue_updated_at"), places.label("places_taken"),
                  wheelchair.label("wheelchair_taken"), waiting.label("waitlist_length"))
        .select_from(Event).outerjoin(Venue, Venue.id == Event.venue_id)
        .outerjoin(Registration, sa.and_(Registration.event_id == Event.id,
                                         Registration.status.in_(ACTIVE_STATUSES)))
        .where(Event.id == sa.bindparam("event_id"))
        .group_by(Event.id, Venue.id)
    )


PAGE_STATEMENT = _page_statement()


def page_event(event_id):
    """What the page needs on every request, read afresh in one query: a row, not an ORM object
    (nothing to track). 404 as ``ensure_visible``."""
    return ensure_visible(db.session.execute(PAGE_STATEMENT, {"event_id": event_id}).first())


def places_of(event):
    """The ``Availability`` of a ``page_event`` row."""
    return Availability(event.capacity, event.wheelchair_spaces, int(event.places_taken),
                        int(event.wheelchair_taken), int(event.waitlist_length))


def cache_key(event):
    venue_version = event.venue_updated_at.isoformat() if event.venue_updated_at else "-"
    return (f"event_page:v{CACHE_VERSION}:{event.id}:{event.updated_at.isoformat()}:{event.sequence}:"
            f"{venue_version}:{get_locale()}:{request.root_url}")


def full_event(event_id):
    """The event as an object with its venue (and the venue's district), district and series."""
    return db.session.scalar(
        sa.select(Event).where(Event.id == event_id)
        .options(joinedload(Event.venue).joinedload(Venue.district), joinedload(Event.district),
                 joinedload(Event.series))
    )


def render_parts(event_id):
    """{part name: HTML} from the event (its venue, district, series and provisions loaded now)."""
    context = {"event": full_event(event_id)}
    current_app.update_template_context(context)  # the helpers templates use (labels, feed links)
    parts = current_app.jinja_env.get_template(PARTS_TEMPLATE).make_module(context)
    return {name: str(getattr(parts, name)) for name in PART_NAMES}


def event_parts(event):
    """The shared parts of ``event`` (a ``page_event`` row) as Markup, from the cache when there."""
    seconds = cache_seconds()
    key = cache_key(event) if seconds > 0 else None
    found = cache.get(key) if key else None
    if found is None:
        found = render_parts(event.id)
        if key:
            cache.set(key, found, timeout=seconds)
    return {name: Markup(html) for name, html in found.items()}
