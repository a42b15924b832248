"""Who came to the year's events and whose needs were met: the dashboard's costly counts.

These figures read every checked-in registration of the year (about 100,000 at city scale),
so however well the queries use the indexes, counting them takes time that grows with the
data. They are the same for every viewer (totals only: the public page chooses what to hide
afterwards, from the same totals), so they are kept in the shared cache (caching.py, "dashboard_attendance":
Redis when configured, else each worker's memory) and reused until they are
``DASHBOARD_FIGURES_TTL`` seconds old (60 by default; 0 counts afresh on every
request). A check-in therefore shows on the dashboard, the public results and the API's targets
within that many seconds; the page says when its figures were counted. The other figures
(teams, projects, volunteer hours, targets) are cheap and always counted live.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from .. import caching
from ..accessibility import NEEDS
from ..db_types import utcnow
from ..events.models import COMPLETED, CONFIRMED, Event, EventProvision, Registration, RegistrationNeed
from ..local_time import SHANGHAI, year_bounds
from ..volunteers.models import ACCEPTED, Assignment

CACHE_NAME = "dashboard_attendance"


def month_of(column, year):
    """The Beijing-time month (1-12) of a time within ``year``, as SQL that runs on any database."""
    bounds = [datetime(year, month, 1, tzinfo=SHANGHAI) for month in range(2, 13)]
    return sa.case(*[(column < bound, month) for month, bound in enumerate(bounds, start=1)], else_=12)


def in_year(column, year):
    start, end = year_bounds(year)
    return sa.and_(column >= start, column < end)


def attended():
    """A registration whose resident came: confirmed and checked in."""
    return sa.and_(Registration.status == CONFIRMED, Registration.checked_in_at.is_not(None))


def completed_in_year(year):
    """Events marked completed that started in ``year``; held once someone attended."""
    return sa.and_(Event.status == COMPLETED, in_year(Event.starts_at, year))


def met_needs(year):
    """(event_id, code) of every need met at the completed events of ``year``, each pair once:
    the event lists the need among its provisions, or an accepted volunteer assignment at the
    event is for the skill the need calls for. Joined to the needs asked for (rather than tested
    row by row), so the database reads each event's provisions and assignments once."""
    completed = sa.select(Event.id).where(completed_in_year(year))
    provided = sa.select(EventProvision.event_id, EventProvision.code).where(EventProvision.event_id.in_(completed))
    covered = [
        sa.select(Assignment.event_id, sa.literal(need.code, sa.String).label("code")).where(
            Assignment.event_id.in_(completed), Assignment.status == ACCEPTED, Assignment.skill == need.volunteer_skill,
        )
        for need in NEEDS if need.volunteer_skill
    ]
    return sa.union(provided, *covered).subquery("met_needs")


@dataclass
class HeldGroup:
    """Events held of one category, district and month, and who came to them."""

    category: str
    district_id: int
    month: int
    events: int
    attendees: int
    companions: int

    @property
    def person_times(self):
        return self.attendees + self.companions


@dataclass
class Attendance:
    held: list  # [HeldGroup]
    needs: dict  # need code -> (asked, met)
    registrations_with_needs: int
    registrations_all_met: int
    counted_at: datetime


def count_attendance(session, year):
    """The year's attendance, counted now, in two aggregate queries."""
    per_event = (
        sa.select(
            Event.id, Event.category, Event.district_id, Event.starts_at,
            sa.func.count(Registration.id).label("attendees"),
            sa.func.coalesce(sa.func.sum(Registration.companions), 0).label("companions"),
        )
        .join(Registration, sa.and_(Registration.event_id == Event.id, attended()))
        .where(completed_in_year(year))
        .group_by(Event.id, Event.category, Event.district_id, Event.starts_at)
        .subquery()
    )
    dated = sa.select(
        per_event.c.category, per_event.c.district_id, month_of(per_event.c.starts_at, year).label("month"),
        per_event.c.attendees, per_event.c.companions,
    ).subquery()
    rows = session.execute(
        sa.select(
            dated.c.category, dated.c.district_id, dated.c.month, sa.func.count(),
            sa.func.sum(dated.c.attendees), sa.func.sum(dated.c.companions),
        ).group_by(dated.c.category, dated.c.district_id, dated.c.month)
    )
    held = [HeldGroup(c, d, int(m), int(n), int(a or 0), int(p or 0)) for c, d, m, n, a, p in rows]

    met = met_needs(year)
    asked_needs = (
        sa.select(Registration.id.label("registration_id"), RegistrationNeed.code, met.c.code.label("met_code"))
        .join(Registration, Registration.id == RegistrationNeed.registration_id)
        .join(Event, Event.id == Registration.event_id)
        .outerjoin(met, sa.and_(met.c.event_id == Event.id, met.c.code == RegistrationNeed.code))
        .where(attended(), completed_in_year(year))
        .subquery()
    )
    # One pass over the needs asked gives both the counts per need and, through each
    # registration's first need (window over the registration), the registrations that asked
    # for any need and those whose every need was met.
    registration = dict(partition_by=asked_needs.c.registration_id)
    ranked = sa.select(
        asked_needs.c.code, asked_needs.c.met_code,
        sa.func.count().over(**registration).label("asked"),
        sa.func.count(asked_needs.c.met_code).over(**registration).label("met"),
        sa.func.row_number().over(**registration).label("nth"),
    ).subquery()
    first = ranked.c.nth == 1
    rows = session.execute(
        sa.select(
            ranked.c.code, sa.func.count(), sa.func.count(ranked.c.met_code),
            sa.func.sum(sa.case((first, 1), else_=0)),
            sa.func.sum(sa.case((sa.and_(first, ranked.c.met == ranked.c.asked), 1), else_=0)),
        ).group_by(ranked.c.code)
    ).all()
    needs = {code: (int(asked), int(met_count)) for code, asked, met_count, _first, _all_met in rows}
    with_needs = sum(int(n) for _code, _asked, _met, n, _all_met in rows)
    all_met = sum(int(n) for _code, _asked, _met, _first, n in rows)
    return Attendance(held, needs, with_needs, all_met, utcnow())


def figures_ttl():
    """Seconds a count may be reused (the ``DASHBOARD_FIGURES_TTL`` setting)."""
    return caching.ttl(CACHE_NAME)


def recent_attendance(session, year):
    """The year's attendance, counted at most ``figures_ttl()`` seconds ago."""
    ttl = figures_ttl()
    return caching.get_or_make(
        CACHE_NAME, (year,), lambda: count_attendance(session, year),
        fresh=lambda stored: utcnow() - stored.counted_at < timedelta(seconds=ttl))
