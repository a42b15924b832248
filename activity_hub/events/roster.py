"""Who is coming to an event and what they need: the roster, the needs summary, check-in search.

Every function runs a fixed number of queries whatever the number of registrations. Rosters carry
contact data and needs (sensitive under PIPL): only the event's organizers and admins may see them,
which the views check with ``event_admin.can_manage_event``. The needs summary has no names or
contacts, so volunteers assigned to the event may see it too.
"""
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from ..accessibility import NEEDS, NEEDS_BY_CODE, feature_label, missing_venue_features
from ..auth.models import User
from ..db_types import utcnow
from ..extensions import db
from .registration import waitlist_positions
from .models import (
    ACTIVE_STATUSES, CONFIRMED, HOLDING_STATUSES, PENDING, REG_CANCELLED, REGISTRATION_STATUSES, REJECTED,
    WAITLISTED, Registration, RegistrationNeed,
)

ACTIVE, ALL = "active", "all"
STATUS_FILTERS = (ACTIVE, ALL) + REGISTRATION_STATUSES
# Confirmed and pending first, then the waitlist in its order, then those who are no longer coming.
STATUS_ORDER = {CONFIRMED: 0, PENDING: 1, WAITLISTED: 2, REG_CANCELLED: 3, REJECTED: 4}
SEARCH_LIMIT = 30


@dataclass
class RosterEntry:
    registration: Registration
    waitlist_position: int | None

    @property
    def user(self):
        return self.registration.user


def _statuses(status):
    if status in (None, "", ACTIVE):
        return ACTIVE_STATUSES
    if status == ALL:
        return REGISTRATION_STATUSES
    return (status,) if status in REGISTRATION_STATUSES else ACTIVE_STATUSES


def _roster_query(event_id):
    order = sa.case(STATUS_ORDER, value=Registration.status, else_=9)
    return (
        sa.select(Registration)
        .where(Registration.event_id == event_id)
        .options(
            joinedload(Registration.user).selectinload(User.role_grants),
            joinedload(Registration.registered_by),
            selectinload(Registration.need_rows),
        )
        .order_by(order, Registration.created_at, Registration.id)
    )


def roster(event, status=ACTIVE, need=None):
    """The event's registrations with their people, needs and waitlist positions."""
    query = _roster_query(event.id).where(Registration.status.in_(_statuses(status)))
    if need:
        query = query.where(
            sa.exists().where(RegistrationNeed.registration_id == Registration.id, RegistrationNeed.code == need)
        )
    return roster_entries(list(db.session.scalars(query).unique()))


@dataclass
class NeedLine:
    need: object
    registrations: int = 0
    people: int = 0
    waitlisted: int = 0
    provided: bool = False

    @property
    def to_arrange(self):
        """How many to arrange for: people (with companions) where companions need it too."""
        return self.people if self.need.includes_companions else self.registrations


@dataclass
class NeedsSummary:
    lines: list
    registrations: int
    people: int
    waitlisted: int
    venue_warnings: list = field(default_factory=list)
    wheelchair_warning: tuple | None = None
    not_provided: list = field(default_factory=list)


def needs_summary(event):
    """Per need code: how many are coming (pending and confirmed) and waiting, what to arrange, and
    what the venue lacks. Counts of registrations and people (1 + companions)."""
    people_expr = sa.func.sum(1 + Registration.companions)
    by_code = db.session.execute(
        sa.select(RegistrationNeed.code, Registration.status, sa.func.count(), people_expr)
        .join(Registration, Registration.id == RegistrationNeed.registration_id)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
        .group_by(RegistrationNeed.code, Registration.status)
    ).all()
    totals = db.session.execute(
        sa.select(Registration.status, sa.func.count(), people_expr)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.status)
    ).all()
    provided = set(event.provisions)
    lines = {need.code: NeedLine(need, provided=need.code in provided) for need in NEEDS}
    for code, status, count, people in by_code:
        line = lines.get(code)
        if line is None:
            continue
        if status in HOLDING_STATUSES:
            line.registrations += count
            line.people += int(people or 0)
        else:
            line.waitlisted += count
    summary = NeedsSummary(
        lines=[line for line in lines.values() if line.registrations or line.waitlisted],
        registrations=sum(c for s, c, _ in totals if s in HOLDING_STATUSES),
        people=sum(int(p or 0) for s, _, p in totals if s in HOLDING_STATUSES),
        waitlisted=sum(c for s, c, _ in totals if s == WAITLISTED),
    )
    needed = [line.need.code for line in summary.lines]
    if event.venue is not None:
        summary.venue_warnings = [
            (need, feature, feature_label(feature), lines[need.code].registrations + lines[need.code].waitlisted)
            for need, feature in missing_venue_features(needed, event.venue.features)
        ]
        if event.wheelchair_spaces > event.venue.wheelchair_spaces:
            summary.wheelchair_warning = (event.wheelchair_spaces, event.venue.wheelchair_spaces)
    summary.not_provided = [line for line in summary.lines if not line.provided and not line.need.free_text
                            and not line.need.venue_feature]
    return summary


def roster_entries(registrations):
    positions = waitlist_positions(registrations)
    return [RosterEntry(r, positions.get(r.id)) for r in registrations]


def checked_in_count(event):
    """(registrations, people) checked in so far."""
    count, people = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(1 + Registration.companions), 0))
        .where(Registration.event_id == event.id, Registration.checked_in_at.is_not(None))
    ).one()
    return count, int(people)


def has_started(event):
    return event.starts_at <= utcnow()


def _digits(text):
    return re.sub(r"\D", "", text)


def search_for_checkin(event, text):
    """Active registrations of ``event`` whose name or mobile number contains ``text``."""
    text = (text or "").strip()
    if not text:
        return []
    condition = User.display_name.contains(text, autoescape=True)
    digits = _digits(text)
    if len(digits) >= 3 and len(digits) == len(re.sub(r"[\s\-+]", "", text)):
        condition = sa.or_(condition, User.phone.contains(digits, autoescape=True))
    query = (
        _roster_query(event.id)
        .join(User, User.id == Registration.user_id)
        .where(Registration.status.in_(ACTIVE_STATUSES), condition)
        .limit(SEARCH_LIMIT)
    )
    return roster_entries(list(db.session.scalars(query).unique()))


def masked_phone(phone):
    """138****8000: enough to tell people apart on a printed sheet, not enough to call them."""
    if not phone or len(phone) < 7:
        return phone or ""
    return phone[:3] + "****" + phone[-4:]


def need_labels(registration):
    return [NEEDS_BY_CODE[code].label for code in registration.needs if code in NEEDS_BY_CODE]
