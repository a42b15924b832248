"""The one read model of an event for showing it: ``EventView``, from one column list.

The catalogue page, the API's listing and event, and the event page show an event with its venue,
district, series and provisions. They all read it with ``event_select`` (the event's columns in
``EVENT_COLUMNS``, its venue's, district's and series' beside them, its provision codes joined in
one string), in one statement however many events, and build ``EventView``s from the rows: plain
frozen values, nothing for the session to track. The attribute names are the ORM objects'
(``event.venue.name``, ``event.district.name``, ``event.provisions``), so templates and the API's
serializer read a view as they would read an ``Event``.

The ORM ``Event`` stays the model for writing (event_admin.py); the registration's lock reads its
own few columns (registration/store.py): neither is a shape for display.

``event_with_places`` reads one event's view with its live places (taken, wheelchair, waiting) in
the same statement: the event page and ``GET /api/v1/events/{id}``.
"""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..accessibility import clean_need_codes
from ..districts import District
from ..extensions import db
from ..locale_text import pick
from .models import ACTIVE_STATUSES, Event, EventProvision, Registration, Series, Venue
from .registration.places import Availability, status_in, usage_columns


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


@dataclass(frozen=True, slots=True)
class SeriesView:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class DistrictView:
    id: int
    code: str
    name_zh: str
    name_en: str

    @property
    def name(self):
        """The name in the page's language."""
        return pick(self.name_zh, self.name_en)


@dataclass(frozen=True, slots=True)
class VenueView:
    id: int
    name: str
    address: str
    features: list
    wheelchair_spaces: int
    accessible_entrance: str | None
    directions: str | None
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class EventView:
    id: int
    title: str
    summary: str
    description: str
    easy_read_summary: str
    category: str
    status: str
    district_id: int
    venue_id: int | None
    series_id: int | None
    online_url: str | None
    starts_at: datetime
    ends_at: datetime
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    capacity: int
    wheelchair_spaces: int
    max_companions: int
    requires_approval: bool
    contact_name: str
    contact_phone: str
    contact_email: str
    updated_at: datetime
    sequence: int
    district: DistrictView
    venue: VenueView | None
    series: SeriesView | None
    provisions: list


# The event's own columns, in EventView's order: the one list every display of an event reads.
EVENT_COLUMNS = (
    Event.id, Event.title, Event.summary, Event.description, Event.easy_read_summary, Event.category,
    Event.status, Event.district_id, Event.venue_id, Event.series_id, Event.online_url,
    Event.starts_at, Event.ends_at, Event.registration_opens_at, Event.registration_closes_at,
    Event.capacity, Event.wheelchair_spaces, Event.max_companions, Event.requires_approval,
    Event.contact_name, Event.contact_phone, Event.contact_email, Event.updated_at, Event.sequence,
)
DISTRICT_COLUMNS = (District.code, District.name_zh, District.name_en)
VENUE_COLUMNS = (Venue.name, Venue.address, Venue.features, Venue.wheelchair_spaces, Venue.accessible_entrance,
                 Venue.directions, Venue.updated_at)
SERIES_COLUMNS = (Series.name,)
_DISTRICT_AT = len(EVENT_COLUMNS)
_VENUE_AT = _DISTRICT_AT + len(DISTRICT_COLUMNS)
_SERIES_AT = _VENUE_AT + len(VENUE_COLUMNS)
_PROVISIONS_AT = _SERIES_AT + len(SERIES_COLUMNS)
WIDTH = _PROVISIONS_AT + 1  # columns of a view; ``event_select``'s extra columns follow


def provision_codes():
    """The event's provision codes joined in one string (a correlated subquery)."""
    return (sa.select(joined_codes(EventProvision.code))
            .where(EventProvision.event_id == Event.id).scalar_subquery())


def event_select(*extra_columns):
    """SELECT of the view's columns (then ``extra_columns``) from events with their district,
    venue and series; the caller adds WHERE, ORDER BY, LIMIT (and GROUP BY for aggregates)."""
    return (
        sa.select(*EVENT_COLUMNS, *DISTRICT_COLUMNS, *VENUE_COLUMNS, *SERIES_COLUMNS,
                  provision_codes().label("provision_codes"), *extra_columns)
        .select_from(Event).join(District, District.id == Event.district_id)
        .outerjoin(Venue, Venue.id == Event.venue_id).outerjoin(Series, Series.id == Event.series_id)
    )


def event_view(row):
    """The ``EventView`` of a row of ``event_select`` (its extra columns are left to the caller)."""
    event = row[:_DISTRICT_AT]
    district_id, venue_id, series_id = event[7], event[8], event[9]
    venue = row[_VENUE_AT:_SERIES_AT]
    codes = row[_PROVISIONS_AT]
    return EventView(
        *event,
        district=DistrictView(district_id, *row[_DISTRICT_AT:_VENUE_AT]),
        venue=(VenueView(venue_id, venue[0], venue[1], venue[2] or [], *venue[3:])
               if venue_id is not None else None),
        series=SeriesView(series_id, row[_SERIES_AT]) if series_id is not None else None,
        provisions=clean_need_codes(codes.split(",")) if codes else [],
    )


def _with_places_statement():
    """One event's view and its places taken and waiting (registration.places.usage_columns: the
    same sums as every other place count), in one statement built once, binding the id alone."""
    places, wheelchair, waiting = usage_columns()
    return (
        event_select(places.label("places_taken"), wheelchair.label("wheelchair_taken"),
                     waiting.label("waitlist_length"))
        .outerjoin(Registration, sa.and_(Registration.event_id == Event.id, status_in(ACTIVE_STATUSES)))
        .where(Event.id == sa.bindparam("event_id"))
        .group_by(Event.id, Venue.id, District.id, Series.id)
    )


WITH_PLACES_STATEMENT = _with_places_statement()


def event_with_places(event_id):
    """(``EventView``, ``Availability``) of the event, read afresh in one query; (None, None)
    when there is no such event. Who may see it is the caller's question (lookups.ensure_visible)."""
    row = db.session.connection().execute(WITH_PLACES_STATEMENT, {"event_id": event_id}).first()
    if row is None:
        return None, None
    event = event_view(row)
    taken, wheelchair_taken, waiting = row[WIDTH:]
    return event, Availability(event.capacity, event.wheelchair_spaces, int(taken), int(wheelchair_taken),
                               int(waiting))
