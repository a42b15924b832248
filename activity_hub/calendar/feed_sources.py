"""What each calendar feed contains, and the one cheap query that tells whether it changed.

A feed is described by a ``FeedScope``. ``feed_version`` answers "has it changed?" with a
single aggregate query (so conditional requests are answered without building anything, and each
worker remembers the answer for a few seconds: see ``version_cache``);
``feed_entries`` yields the entries of a public feed as they are read, ``ENTRY_WINDOW`` events
at a time (a fixed number of queries per window, none per event), so a feed of every event in
the city is never held in memory at once. Both apply the same filter and the same time window,
so the version changes exactly when the entries can.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, selectinload

from ..db_types import UTCDateTime
from ..events.models import (
    ACTIVE_STATUSES, CANCELLED, COMPLETED, CONFIRMED, PUBLISHED, REG_CANCELLED, Event, Registration, Venue,
)
from ..extensions import db

EVENT, PUBLIC, REGISTRATIONS, ASSIGNMENTS = "event", "public", "registrations", "assignments"
# Events the public may see in a feed (a cancelled event stays, marked CANCELLED).
LISTED_STATUSES = (PUBLISHED, COMPLETED, CANCELLED)
# How long an event stays in a feed after it ends. Calendar apps drop what leaves a feed, so a
# cancelled event must stay long enough for every subscriber to see the cancellation.
PUBLIC_HISTORY = timedelta(days=30)
# A person's own calendar keeps a year of what they went to.
PERSONAL_HISTORY = timedelta(days=365)
# Events read (and their places, districts, series and provisions loaded) per round trip while a
# public feed is written: enough to keep the queries few, few enough to keep a worker small.
ENTRY_WINDOW = 500

ASSIGNMENT_CANCELLED_STATUSES = ("declined", "cancelled")
ASSIGNMENT_TENTATIVE_STATUSES = ("proposed",)


@dataclass(frozen=True)
class FeedScope:
    kind: str
    event_id: int | None = None
    category: str | None = None
    district_code: str | None = None
    user_id: int | None = None

    @property
    def personal(self):
        return self.kind in (REGISTRATIONS, ASSIGNMENTS)

    @property
    def history(self):
        return PERSONAL_HISTORY if self.personal else PUBLIC_HISTORY


@dataclass(frozen=True)
class FeedEntry:
    """One VEVENT: an event as the public sees it, or a person's registration or shift."""

    uid_prefix: str
    uid_id: int
    event: Event
    starts_at: datetime
    ends_at: datetime
    summary: str
    # "CONFIRMED", "TENTATIVE" or "CANCELLED".
    status: str
    sequence: int
    last_modified: datetime
    # A line about the person's own place or shift (personal feeds only).
    personal_note: str = ""
    alarm: bool = False
    # The online link is for confirmed participants only, as on the event page.
    online_link: bool = False


@dataclass(frozen=True)
class FeedStats:
    """The aggregate one query returns; its values are what the ETag is made of."""

    count: int
    max_id: int | None
    max_updated: datetime | None
    # When the last entry left the feed's window (it left when it got older than the history).
    last_dropped: datetime | None

    @property
    def last_modified(self):
        times = [t for t in (self.max_updated, self.last_dropped) if t is not None]
        return max(times) if times else None


def _utc(expression):
    return sa.type_coerce(expression, UTCDateTime)


def _public_filters(scope, cutoff):
    """(where clauses, window clause) of a public or single-event feed."""
    if scope.kind == EVENT:
        return [Event.id == scope.event_id, Event.status.in_(LISTED_STATUSES)], sa.true()
    filters = [Event.status.in_(LISTED_STATUSES)]
    if scope.category:
        filters.append(Event.category == scope.category)
    if scope.district_code:
        from ..districts import District

        filters.append(Event.district_id == sa.select(District.id).where(
            District.code == scope.district_code).scalar_subquery())
    return filters, Event.ends_at >= cutoff


def _registration_filters(scope, cutoff):
    # A registration shows while it is active; one the event's cancellation ended shows as cancelled.
    ended_by_cancellation = sa.and_(
        Event.status == CANCELLED,
        Registration.status == REG_CANCELLED,
        Event.cancelled_at.is_not(None),
        Registration.cancelled_at >= Event.cancelled_at,
    )
    filters = [
        Registration.user_id == scope.user_id,
        Event.status.in_(LISTED_STATUSES),
        sa.or_(Registration.status.in_(ACTIVE_STATUSES), ended_by_cancellation),
    ]
    return filters, Event.ends_at >= cutoff


def feed_stats(scope, now):
    """The feed's aggregate in ONE query: count, max id, last change, last drop-out."""
    cutoff = now - scope.history

    def windowed(window, value):
        return sa.case((window, value), else_=None)

    if scope.kind == ASSIGNMENTS:
        return _assignment_stats(scope, now)
    if scope.kind == REGISTRATIONS:
        filters, window = _registration_filters(scope, cutoff)
        row_id, row_updated, row_end = Registration.id, Registration.updated_at, Event.ends_at
        query = sa.select().select_from(Registration).join(Event, Event.id == Registration.event_id).where(*filters)
    else:
        filters, window = _public_filters(scope, cutoff)
        row_id, row_updated, row_end = Event.id, Event.updated_at, Event.ends_at
        query = sa.select().select_from(Event).where(*filters)

    query = query.outerjoin(Venue, Venue.id == Event.venue_id).add_columns(
        sa.func.count(windowed(window, row_id)),
        sa.func.max(windowed(window, row_id)),
        _utc(sa.func.max(windowed(window, row_updated))),
        _utc(sa.func.max(windowed(window, Event.updated_at))),
        _utc(sa.func.max(windowed(window, Venue.updated_at))),
        _utc(sa.func.max(windowed(sa.not_(window), row_end))),
    )
    count, max_id, rows_updated, events_updated, venues_updated, last_end = db.session.execute(query).one()
    updated = [t for t in (rows_updated, events_updated, venues_updated) if t is not None]
    return FeedStats(
        count=count or 0,
        max_id=max_id,
        max_updated=max(updated) if updated else None,
        last_dropped=last_end + scope.history if last_end is not None else None,
    )


def _assignment_stats(scope, now):
    """The aggregate of an assignments feed, over exactly the shifts ``assignments_for_feed`` returns:
    live shifts until FEED_PAST_DAYS after their end, withdrawn ones FEED_WITHDRAWN_DAYS after the change."""
    from ..volunteers import assignments as volunteer_assignments
    from ..volunteers.models import CANCELLED as SHIFT_CANCELLED, DECLINED, LIVE_STATUSES, Assignment

    live_for = timedelta(days=volunteer_assignments.FEED_PAST_DAYS)
    withdrawn_for = timedelta(days=volunteer_assignments.FEED_WITHDRAWN_DAYS)
    live = Assignment.status.in_(LIVE_STATUSES)
    withdrawn = Assignment.status.in_((DECLINED, SHIFT_CANCELLED))
    window = sa.or_(sa.and_(live, Assignment.shift_end >= now - live_for),
                    sa.and_(withdrawn, Assignment.updated_at >= now - withdrawn_for))

    def windowed(condition, value):
        return sa.case((condition, value), else_=None)

    query = (
        sa.select(
            sa.func.count(windowed(window, Assignment.id)),
            sa.func.max(windowed(window, Assignment.id)),
            _utc(sa.func.max(windowed(window, Assignment.updated_at))),
            _utc(sa.func.max(windowed(window, Event.updated_at))),
            _utc(sa.func.max(windowed(window, Venue.updated_at))),
            _utc(sa.func.max(windowed(sa.and_(live, sa.not_(window)), Assignment.shift_end))),
            _utc(sa.func.max(windowed(sa.and_(withdrawn, sa.not_(window)), Assignment.updated_at))),
        )
        .select_from(Assignment)
        .join(Event, Event.id == Assignment.event_id)
        .outerjoin(Venue, Venue.id == Event.venue_id)
        .where(Assignment.volunteer_id == scope.user_id, Event.status.in_(LISTED_STATUSES))
    )
    count, max_id, shifts_updated, events_updated, venues_updated, live_end, withdrawn_at = (
        db.session.execute(query).one()
    )
    updated = [t for t in (shifts_updated, events_updated, venues_updated) if t is not None]
    dropped = [t for t in (live_end and live_end + live_for, withdrawn_at and withdrawn_at + withdrawn_for) if t]
    return FeedStats(count=count or 0, max_id=max_id, max_updated=max(updated) if updated else None,
                     last_dropped=max(dropped) if dropped else None)


def _event_options():
    return (
        joinedload(Event.venue),
        joinedload(Event.district),
        joinedload(Event.series),
        selectinload(Event.provision_rows),
    )


def _event_status(event):
    return "CANCELLED" if event.status == CANCELLED else "CONFIRMED"


def _public_entries(scope, cutoff):
    """The entries, read ENTRY_WINDOW events at a time (a server-side cursor on PostgreSQL); each
    window's objects are let go once its entries are written."""
    filters, window = _public_filters(scope, cutoff)
    events = db.session.scalars(
        sa.select(Event).where(*filters, window).options(*_event_options()).order_by(Event.starts_at, Event.id)
        .execution_options(yield_per=ENTRY_WINDOW)
    )
    for event in events:
        yield FeedEntry(
            uid_prefix="event", uid_id=event.id, event=event, starts_at=event.starts_at, ends_at=event.ends_at,
            summary=event.title, status=_event_status(event), sequence=event.sequence,
            last_modified=event.updated_at,
        )


def _registration_entries(scope, cutoff, describe):
    filters, window = _registration_filters(scope, cutoff)
    registrations = db.session.scalars(
        sa.select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(*filters, window)
        .options(lazyload(Registration.need_rows), joinedload(Registration.event).options(*_event_options()))
        .order_by(Event.starts_at, Event.id, Registration.id)
    ).all()
    # One entry per event (its UID is the event's): the active registration wins.
    chosen = {}
    for registration in registrations:
        current = chosen.get(registration.event_id)
        if current is None or registration.is_active or not current.is_active:
            chosen[registration.event_id] = registration
    entries = []
    for registration in chosen.values():
        event = registration.event
        if event.status == CANCELLED or registration.status == REG_CANCELLED:
            status = "CANCELLED"
        elif registration.status == CONFIRMED:
            status = "CONFIRMED"
        else:
            status = "TENTATIVE"
        entries.append(FeedEntry(
            uid_prefix="event", uid_id=event.id, event=event, starts_at=event.starts_at, ends_at=event.ends_at,
            summary=event.title, status=status, sequence=event.sequence,
            last_modified=max(event.updated_at, registration.updated_at),
            personal_note=describe.registration_note(registration), alarm=status != "CANCELLED",
            online_link=status == "CONFIRMED",
        ))
    return entries


def _assignment_entries(scope, now, describe):
    from ..volunteers.assignments import assignments_for_feed

    assignments = [a for a in assignments_for_feed(scope.user_id, now=now)
                   if a.event is not None and a.event.status in LISTED_STATUSES]
    _load_series([a.event for a in assignments])
    entries = []
    for assignment in sorted(assignments, key=lambda a: (a.shift_start, a.id)):
        event = assignment.event
        if event.status == CANCELLED or assignment.status in ASSIGNMENT_CANCELLED_STATUSES:
            status = "CANCELLED"
        elif assignment.status in ASSIGNMENT_TENTATIVE_STATUSES:
            status = "TENTATIVE"
        else:
            status = "CONFIRMED"
        entries.append(FeedEntry(
            uid_prefix="assignment", uid_id=assignment.id, event=event,
            starts_at=assignment.shift_start, ends_at=assignment.shift_end,
            summary=describe.assignment_summary(assignment), status=status, sequence=event.sequence,
            last_modified=max(event.updated_at, assignment.updated_at),
            personal_note=describe.assignment_note(assignment), alarm=status != "CANCELLED",
            online_link=status == "CONFIRMED",
        ))
    return entries


def _load_series(events):
    """Put the events' series in the session in one query, so ``event.series`` needs none."""
    from ..events.models import Series

    ids = {event.series_id for event in events if event.series_id is not None}
    if ids:
        db.session.scalars(sa.select(Series).where(Series.id.in_(ids))).all()


def feed_entries(scope, now, describe):
    """The entries of a feed, oldest first (an iterator); ``describe`` words the personal lines."""
    cutoff = now - scope.history
    if scope.kind == REGISTRATIONS:
        return _registration_entries(scope, cutoff, describe)
    if scope.kind == ASSIGNMENTS:
        return _assignment_entries(scope, now, describe)
    return _public_entries(scope, cutoff)
