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

One statement (``page_event``) reads all of it, the live figures and the parts' columns, so a
page rendered afresh (a cache miss: 2,000 events over several workers' caches) asks the database
no more than a cached one.
"""
import sqlalchemy as sa
from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..accessibility import clean_need_codes
from ..districts import District
from .. import caching
from ..extensions import db
from ..locale_text import pick
from .lookups import ensure_visible
from .models import ACTIVE_STATUSES, Event, EventProvision, Registration, Series, Venue
from .registration.places import Availability, status_in, usage_columns

PARTS_TEMPLATE = "events/_event_parts.html"
PART_NAMES = ("head", "top", "easy_read", "lead", "where", "about_place", "rest", "contact")


class joined_codes(FunctionElement):
    """The codes of a column, joined by commas, as one string (NULL for none)."""
    type = sa.String()
    inherit_cache = True


@compiles(joined_codes)
def _joined_codes(element, compiler, **kw):
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


@compiles(joined_codes, "postgresql")
def _joined_codes_postgresql(element, compiler, **kw):
    return f"string_agg({compiler.process(element.clauses, **kw)}, ',')"


def _page_statement():
    """Everything the page shows, in one statement built once: the event's columns, its venue's
    (with the venue's version), district's and series' names, its provisions joined in a string,
    and its places taken and waiting (availability.usage_columns: the same sums as every other
    place count). A cached page uses the versions and the live columns; a page rendered afresh
    needs no other query."""
    places, wheelchair, waiting = usage_columns()
    provisions = (sa.select(joined_codes(EventProvision.code))
                  .where(EventProvision.event_id == Event.id).scalar_subquery())
    return (
        sa.select(Event.id, Event.title, Event.summary, Event.description, Event.easy_read_summary,
                  Event.category, Event.status, Event.district_id, Event.venue_id, Event.online_url,
                  Event.starts_at, Event.ends_at, Event.registration_opens_at, Event.registration_closes_at,
                  Event.capacity, Event.wheelchair_spaces, Event.max_companions, Event.requires_approval,
                  Event.contact_name, Event.contact_phone, Event.contact_email,
                  Event.updated_at, Event.sequence,
                  Venue.updated_at.label("venue_updated_at"), Venue.name.label("venue_name"),
                  Venue.address.label("venue_address"), Venue.features.label("venue_features"),
                  Venue.wheelchair_spaces.label("venue_wheelchair_spaces"),
                  Venue.accessible_entrance.label("venue_accessible_entrance"),
                  Venue.directions.label("venue_directions"),
                  District.name_zh.label("district_name_zh"),
                  District.name_en.label("district_name_en"), Series.name.label("series_name"),
                  provisions.label("provision_codes"),
                  places.label("places_taken"), wheelchair.label("wheelchair_taken"),
                  waiting.label("waitlist_length"))
        .select_from(Event).join(District, District.id == Event.district_id)
        .outerjoin(Venue, Venue.id == Event.venue_id).outerjoin(Series, Series.id == Event.series_id)
        .outerjoin(Registration, sa.and_(Registration.event_id == Event.id, status_in(ACTIVE_STATUSES)))
        .where(Event.id == sa.bindparam("event_id"))
        .group_by(Event.id, Venue.id, District.id, Series.id)
    )


PAGE_STATEMENT = _page_statement()


def page_event(event_id):
    """What the page needs, read afresh in one query: a row, not an ORM object (nothing to
    track). ``NotFound`` for an event the visitor may not see (``lookups.ensure_visible``)."""
    row = db.session.connection().execute(PAGE_STATEMENT, {"event_id": event_id}).first()
    return ensure_visible(current_user, row)


def places_of(event):
    """The ``Availability`` of a ``page_event`` row."""
    return Availability(event.capacity, event.wheelchair_spaces, int(event.places_taken),
                        int(event.wheelchair_taken), int(event.waitlist_length))


def cache_key_parts(event):
    """The versions the parts depend on (caching.DECLARATIONS["event_page"])."""
    venue_version = event.venue_updated_at.isoformat() if event.venue_updated_at else "-"
    return (event.id, event.updated_at.isoformat(), event.sequence, venue_version, get_locale(),
            request.root_url)


def provisions_of(event):
    """The need codes a ``page_event`` row provides for, in taxonomy order."""
    return clean_need_codes(event.provision_codes.split(",")) if event.provision_codes else []


def render_parts(event):
    """{part name: HTML} from a ``page_event`` row."""
    context = {"event": event, "provisions": provisions_of(event),
               "district_name": pick(event.district_name_zh, event.district_name_en)}
    current_app.update_template_context(context)  # the helpers templates use (labels, feed links)
    parts = current_app.jinja_env.get_template(PARTS_TEMPLATE).make_module(context)
    return {name: str(getattr(parts, name)) for name in PART_NAMES}


def event_parts(event):
    """The shared parts of ``event`` (a ``page_event`` row) as Markup, from the cache when there."""
    found = caching.get_or_make("event_page", cache_key_parts(event), lambda: render_parts(event))
    return {name: Markup(html) for name, html in found.items()}
