"""How many places are taken and left, and where a registration stands on the waitlist.

Both are read in one grouped query for any number of events or registrations, so
the catalogue, the event page and the API run a fixed number of queries.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from ...extensions import db
from ..models import ACTIVE_STATUSES, HOLDING_STATUSES, WAITLISTED, Event, Registration


@dataclass(frozen=True)
class Availability:
    capacity: int
    wheelchair_spaces: int
    places_taken: int
    wheelchair_taken: int
    waitlist_length: int

    @property
    def places_left(self):
        return max(0, self.capacity - self.places_taken)

    @property
    def wheelchair_left(self):
        return max(0, self.wheelchair_spaces - self.wheelchair_taken)

    @property
    def is_full(self):
        return self.places_left == 0

    def fits(self, places, wheelchair_space):
        """Whether an entry of ``places`` (and one wheelchair space if asked) fits whole."""
        return places <= self.places_left and (not wheelchair_space or self.wheelchair_left >= 1)


def constant(value):
    """A constant of the code (a status, 0, 1) written into the SQL instead of sent as a parameter:
    statements built once (the registration's, the event page's) then bind only what varies, and an
    IN list is not written anew at every execution, as an "expanding" parameter is."""
    if isinstance(value, str):
        assert "'" not in value
        return sa.literal_column(f"'{value}'", sa.String)
    return sa.literal_column(str(int(value)), sa.Integer)


def status_in(statuses):
    """``registrations.status IN ('confirmed', ...)`` (see ``constant``)."""
    return Registration.status.in_([constant(status) for status in statuses])


def _holding():
    return status_in(HOLDING_STATUSES)


def usage_columns():
    """(places taken, wheelchair spaces taken, waitlist length) as aggregate columns."""
    zero, one = constant(0), constant(1)
    places = sa.func.coalesce(sa.func.sum(sa.case((_holding(), one + Registration.companions), else_=zero)), zero)
    wheelchair = sa.func.coalesce(
        sa.func.sum(sa.case((sa.and_(_holding(), Registration.wheelchair_space), one), else_=zero)), zero
    )
    waiting = sa.func.coalesce(
        sa.func.sum(sa.case((Registration.status == constant(WAITLISTED), one), else_=zero)), zero
    )
    return places, wheelchair, waiting


def availability(event_ids):
    """{event id: Availability} for the given events, in one query."""
    ids = sorted({int(i) for i in event_ids})
    if not ids:
        return {}
    places, wheelchair, waiting = usage_columns()
    rows = db.session.execute(
        sa.select(Event.id, Event.capacity, Event.wheelchair_spaces, places, wheelchair, waiting)
        .select_from(Event)
        .outerjoin(
            Registration,
            sa.and_(Registration.event_id == Event.id, Registration.status.in_(ACTIVE_STATUSES)),
        )
        .where(Event.id.in_(ids))
        .group_by(Event.id, Event.capacity, Event.wheelchair_spaces)
    )
    return {
        row[0]: Availability(row[1], row[2], int(row[3]), int(row[4]), int(row[5]))
        for row in rows
    }


def availability_of(event):
    return availability([event.id]).get(event.id)


def waitlist_positions(registrations):
    """{registration id: 1-based waitlist position} for the waitlisted ones, in one query."""
    waiting = [r for r in registrations if r.status == WAITLISTED]
    if not waiting:
        return {}
    wanted = {r.id for r in waiting}
    position = sa.func.row_number().over(
        partition_by=Registration.event_id, order_by=(Registration.created_at, Registration.id)
    ).label("position")
    ranked = (
        sa.select(Registration.id.label("id"), position)
        .where(Registration.event_id.in_({r.event_id for r in waiting}), Registration.status == WAITLISTED)
        .subquery()
    )
    rows = db.session.execute(sa.select(ranked.c.id, ranked.c.position).where(ranked.c.id.in_(wanted)))
    return {row.id: int(row.position) for row in rows}


def waitlist_position(registration):
    """1-based position on the waitlist, or None when the registration is not waiting."""
    return waitlist_positions([registration]).get(registration.id)
