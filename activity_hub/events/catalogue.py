"""The public catalogue: which events a resident can find, filtered, searched and paged.

The HTML catalogue and ``GET /api/v1/events`` both call ``search_events``. It runs a
fixed number of queries whatever the number of events and registrations: the count,
the page of events (the read model: venue, district, series and provision codes in the
same statement) and their places (one grouped query).

The count stops at ``COUNT_AHEAD`` matches past the page shown, so its cost does not grow
with the city's events: "more than 200 events found" is exact enough to page on, and a
search that matches half the city does not read half the city to say so.
"""
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from ..db_types import utcnow
from ..districts import District
from ..extensions import db
from ..local_time import SHANGHAI
from .registration.places import availability
from .models import CANCELLED, COMPLETED, PUBLISHED, Event, EventProvision
from .read_model import event_select, event_view

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


# The last page number asked for (as the API's ``page`` allows): past it, the offset would overflow the
# database's integers (PostgreSQL's BIGINT), and no one pages that far.
MAX_PAGE = 100000


def clamp_paging(page, per_page):
    try:
        page = min(MAX_PAGE, max(1, int(page)))
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
    """One page of public events (``read_model.EventView``: with venue, district, series and
    provisions), sorted by start, with the number of matches (exact up to ``COUNT_AHEAD`` past
    this page, else a lower bound) and each event's places. The HTML catalogue and the API's
    listing both show it."""
    filters = filters or CatalogueFilters()
    page, per_page = clamp_paging(page, per_page)
    conditions = catalogue_conditions(filters, now)
    limit = (page - 1) * per_page + COUNT_AHEAD
    total = count_matches(conditions, limit)
    total_exact = total <= limit
    total = min(total, limit)
    items = []
    if total and (page - 1) * per_page < total:
        items = _event_views(conditions, per_page, (page - 1) * per_page)
    places = availability(event.id for event in items)
    return CataloguePage(items=items, total=total or 0, page=page, per_page=per_page, availability=places,
                         total_exact=total_exact)


def _event_views(conditions, limit, offset):
    """One page of events in one statement (provisions included), as read-model views."""
    rows = db.session.execute(
        event_select().where(*conditions).order_by(Event.starts_at, Event.id).limit(limit).offset(offset)
    ).all()
    return [event_view(row) for row in rows]
