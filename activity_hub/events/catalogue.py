"""The public catalogue: which events a resident can find, filtered, searched and paged.

The HTML catalogue and ``GET /api/v1/events`` both call ``search_events``. It runs a
fixed number of queries whatever the number of events and registrations: the count,
the page of events (venue, district and series joined), their provisions (one
select-in query) and their places (one grouped query).

The count stops at ``COUNT_AHEAD`` matches past the page shown, so its cost does not grow
with the city's events: "more than 200 events found" is exact enough to page on, and a
search that matches half the city does not read half the city to say so.
"""
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from ..accessibility import clean_need_codes
from ..db_types import utcnow
from ..districts import District
from ..extensions import db
from ..locale_text import pick
from ..local_time import SHANGHAI
from .registration.places import availability
from .models import CANCELLED, COMPLETED, PUBLISHED, Event, EventProvision, Series, Venue

# Cancelled events stay visible, marked, so residents who planned to go find out.
PUBLIC_STATUSES = (PUBLISHED, CANCELLED, COMPLETED)
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_SEARCH_LENGTH = 100
MAX_SEARCH_TERMS = 5
COUNT_AHEAD = 200  # matches counted beyond the start of the page shown (10 pages of 20)

@dataclass
class CatalogueFilters:
    """What the resident asked for; empty values mean "any". Dates are local (Asia/Shanghai)."""

    q: str = ""
    category: str | None = None
    district: str | None = None          # a district code, e.g. "wuchang"
    district_id: int | None = None
    provision: str | None = None         # a need code the event provides for
    date_from: date | None = None
    date_to: date | None = None

    def is_empty(self):
        return not any((self.q, self.category, self.district, self.district_id, self.provision,
                        self.date_from, self.date_to))


@dataclass
class CataloguePage:
    items: list
    total: int
    page: int
    per_page: int
    availability: dict = field(default_factory=dict)
    total_exact: bool = True  # False: there are more than ``total`` matches (the count stopped there)

    @property
    def pages(self):
        """Pages known to exist (more may follow when ``total_exact`` is False)."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


def escape_like(text):
    """Make user text literal inside a LIKE pattern (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_terms(q):
    """Words of the search, split on any space (also the full-width space of Chinese input)."""
    return (q or "").strip()[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_TERMS]


def local_day_start(day):
    """Midnight at the start of a local (Asia/Shanghai) date, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def listed_status():
    """Public events, with the statuses written into the SQL (not bound), so PostgreSQL can
    match them to the partial index ix_events_listed_starts_at even in a prepared plan."""
    return Event.status.in_(sa.bindparam("listed_statuses", PUBLIC_STATUSES, expanding=True, literal_execute=True))


def text_contains(column, term):
    """``column`` contains ``term``. ILIKE folds Latin case; a term with no letter case (a
    Chinese word, digits) is matched with LIKE, which finds the same rows at half the cost
    (PostgreSQL lowercases every row for ILIKE), as a two-character word has no trigram to
    look up and is read from the table."""
    pattern = f"%{escape_like(term)}%"
    if term.lower() == term.upper():
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def catalogue_conditions(filters, now=None):
    """The WHERE clause of the catalogue for these filters."""
    now = now or utcnow()
    conditions = [listed_status()]
    if filters.category:
        conditions.append(Event.category == filters.category)
    if filters.district_id:
        conditions.append(Event.district_id == filters.district_id)
    if filters.district:
        conditions.append(
            Event.district_id == sa.select(District.id).where(District.code == filters.district).scalar_subquery()
        )
    if filters.provision:
        conditions.append(
            sa.exists().where(EventProvision.event_id == Event.id, EventProvision.code == filters.provision)
        )
    if filters.date_from:
        conditions.append(Event.starts_at >= local_day_start(filters.date_from))
    else:
        conditions.append(Event.ends_at >= now)  # upcoming and ongoing, unless asked otherwise
    if filters.date_to:
        conditions.append(Event.starts_at < local_day_start(filters.date_to + timedelta(days=1)))
    for term in search_terms(filters.q):
        # Substring match: works for Chinese (no word breaks needed).
        conditions.append(sa.or_(text_contains(Event.title, term), text_contains(Event.summary, term)))
    return conditions


def clamp_paging(page, per_page):
    try:
        page = max(1, int(page))
    except (TypeError, ValueError):
        page = 1
    try:
        per_page = min(MAX_PER_PAGE, max(1, int(per_page)))
    except (TypeError, ValueError):
        per_page = DEFAULT_PER_PAGE
    return page, per_page


def count_matches(conditions, limit):
    """How many events match, counting at most ``limit + 1`` of them (cost bounded by ``limit``)."""
    matches = sa.select(Event.id).where(*conditions).limit(limit + 1).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(matches))


def search_events(filters=None, page=1, per_page=DEFAULT_PER_PAGE, now=None):
    """One page of public events (``Event`` objects with venue, district and series), sorted by
    start, with the number of matches (exact up to ``COUNT_AHEAD`` past this page, else a lower
    bound) and each event's places."""
    return _search(filters, page, per_page, now, _event_objects)


def search_listing(filters=None, page=1, per_page=DEFAULT_PER_PAGE, now=None):
    """The same page as ``search_events``, as ``ListedEvent`` rows: what a listing shows of an
    event, read as plain columns (no ORM objects to build and track), for the API's listing."""
    return _search(filters, page, per_page, now, _listed_events)


def _search(filters, page, per_page, now, load_page):
    filters = filters or CatalogueFilters()
    page, per_page = clamp_paging(page, per_page)
    conditions = catalogue_conditions(filters, now)
    limit = (page - 1) * per_page + COUNT_AHEAD
    total = count_matches(conditions, limit)
    total_exact = total <= limit
    total = min(total, limit)
    items = []
    if total and (page - 1) * per_page < total:
        items = load_page(conditions, per_page, (page - 1) * per_page)
    places = availability(event.id for event in items)
    return CataloguePage(items=items, total=total or 0, page=page, per_page=per_page, availability=places,
                         total_exact=total_exact)


def _event_objects(conditions, limit, offset):
    return list(db.session.scalars(
        sa.select(Event)
        .where(*conditions)
        .options(joinedload(Event.venue), joinedload(Event.district), joinedload(Event.series))
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
        .offset(offset)
    ).unique())


# -- the listing as plain rows -----------------------------------------------------------------
# The attribute names are the ORM objects' (event.venue.name, event.district.code, event.provisions,
# ...), so the API's one event serializer reads either.

@dataclass(frozen=True)
class ListedSeries:
    id: int
    name: str


@dataclass(frozen=True)
class ListedDistrict:
    id: int
    code: str
    name_zh: str
    name_en: str

    @property
    def name(self):
        return pick(self.name_zh, self.name_en)


@dataclass(frozen=True)
class ListedVenue:
    id: int
    name: str
    address: str
    features: list
    wheelchair_spaces: int


@dataclass(frozen=True)
class ListedEvent:
    id: int
    title: str
    summary: str
    category: str
    online_url: str | None
    starts_at: datetime
    ends_at: datetime
    status: str
    capacity: int
    wheelchair_spaces: int
    max_companions: int
    requires_approval: bool
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    series: ListedSeries | None
    district: ListedDistrict
    venue: ListedVenue | None
    provisions: list


LISTED_EVENT_COLUMNS = (
    Event.id, Event.title, Event.summary, Event.category, Event.online_url, Event.starts_at, Event.ends_at,
    Event.status, Event.capacity, Event.wheelchair_spaces, Event.max_companions, Event.requires_approval,
    Event.registration_opens_at, Event.registration_closes_at,
)


def _listed_events(conditions, limit, offset):
    rows = db.session.execute(
        sa.select(*LISTED_EVENT_COLUMNS, Series.id, Series.name,
                  District.id, District.code, District.name_zh, District.name_en,
                  Venue.id, Venue.name, Venue.address, Venue.features, Venue.wheelchair_spaces)
        .select_from(Event)
        .join(District, District.id == Event.district_id)
        .outerjoin(Series, Series.id == Event.series_id)
        .outerjoin(Venue, Venue.id == Event.venue_id)
        .where(*conditions)
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
        .offset(offset)
    ).all()
    provisions = provisions_of([row[0] for row in rows])
    width = len(LISTED_EVENT_COLUMNS)
    events = []
    for row in rows:
        series_id, series_name, district_id, code, name_zh, name_en = row[width:width + 6]
        venue_id, venue_name, address, features, venue_spaces = row[width + 6:]
        events.append(ListedEvent(
            *row[:width],
            series=ListedSeries(series_id, series_name) if series_id is not None else None,
            district=ListedDistrict(district_id, code, name_zh, name_en),
            venue=(ListedVenue(venue_id, venue_name, address, features or [], venue_spaces)
                   if venue_id is not None else None),
            provisions=provisions.get(row[0], []),
        ))
    return events


def provisions_of(event_ids):
    """{event id: its provision codes, in the taxonomy's order} in one query."""
    codes = {}
    if event_ids:
        for event_id, code in db.session.execute(
            sa.select(EventProvision.event_id, EventProvision.code).where(EventProvision.event_id.in_(event_ids))
        ):
            codes.setdefault(event_id, []).append(code)
    return {event_id: clean_need_codes(found) for event_id, found in codes.items()}
