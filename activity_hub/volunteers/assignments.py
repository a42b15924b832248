"""Putting volunteers on shifts, their answers, and confirming who served.

One volunteer must never be on two overlapping shifts. That cannot be a plain
database constraint, so ``assign_volunteer`` takes a row lock on the volunteer's
user row (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers with
BEGIN IMMEDIATE) before it looks for overlapping live shifts and writes. Every
path that makes a shift live goes through it.

Each change is one transaction the service commits, or rolls back when a rule refuses it
(``transactions.one_transaction``).
"""
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import format_datetime, gettext as _, lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..accessibility import VOLUNTEER_SKILL_CODES
from ..auth.models import User
from ..db_types import utcnow
from ..events.models import CANCELLED as EVENT_CANCELLED, Event
from ..messages.outbox import queue_message
from .access import is_volunteer
from .errors import VolunteerError
from .models import ACCEPTED, CANCELLED, DECLINED, LIVE_STATUSES, PROPOSED, Assignment, TeamMembership, VolunteerTeam
from .transactions import one_transaction

MAX_SHIFT = timedelta(hours=16)
# A shift may start before the event (setting up) or end after it (clearing up), by this much at most.
SHIFT_MARGIN = timedelta(hours=12)
# Declined and cancelled shifts stay in calendar feeds this long, so calendars can remove them.
FEED_WITHDRAWN_DAYS = 30
FEED_PAST_DAYS = 180
ROLE_MAX = 120
REASON_MAX = 500


def _event_load_options():
    return (joinedload(Assignment.event).joinedload(Event.venue), joinedload(Assignment.event).joinedload(Event.district))


def assignments_for_feed(user_id, now=None):
    """A user's shifts for their calendar feed, with ``.event`` (venue, district) loaded; one query.

    Live shifts (proposed, accepted) from the last ``FEED_PAST_DAYS`` days on, plus
    shifts declined or cancelled within the last ``FEED_WITHDRAWN_DAYS`` days so a
    calendar can mark them cancelled. Ordered by shift start.
    """
    from ..extensions import db

    now = now or utcnow()
    live = sa.and_(Assignment.status.in_(LIVE_STATUSES), Assignment.shift_end >= now - timedelta(days=FEED_PAST_DAYS))
    withdrawn = sa.and_(Assignment.status.in_((DECLINED, CANCELLED)),
                        Assignment.updated_at >= now - timedelta(days=FEED_WITHDRAWN_DAYS))
    return list(db.session.scalars(
        sa.select(Assignment).options(*_event_load_options())
        .where(Assignment.volunteer_id == user_id, sa.or_(live, withdrawn))
        .order_by(Assignment.shift_start, Assignment.id)
    ).unique())


def assignments_of_volunteer(session, user_id):
    """All of a volunteer's assignments, newest shift first, events loaded; one query."""
    return list(session.scalars(
        sa.select(Assignment).options(*_event_load_options())
        .where(Assignment.volunteer_id == user_id)
        .order_by(Assignment.shift_start.desc(), Assignment.id)
    ).unique())


def event_assignments(session, event_id):
    """Every assignment of an event with its volunteer, live ones first; one query."""
    return list(session.scalars(
        sa.select(Assignment).options(joinedload(Assignment.volunteer), joinedload(Assignment.team))
        .where(Assignment.event_id == event_id)
        .order_by(sa.case((Assignment.status.in_(LIVE_STATUSES), 0), else_=1), Assignment.shift_start, Assignment.id)
    ).unique())


def overlapping_assignment(session, user_id, shift_start, shift_end, exclude_id=None):
    """A live assignment of ``user_id`` whose shift overlaps [shift_start, shift_end), or None."""
    query = (
        sa.select(Assignment).options(joinedload(Assignment.event))
        .where(Assignment.volunteer_id == user_id, Assignment.status.in_(LIVE_STATUSES),
               Assignment.shift_start < shift_end, Assignment.shift_end > shift_start)
        .order_by(Assignment.shift_start)
        .limit(1)
    )
    if exclude_id is not None:
        query = query.where(Assignment.id != exclude_id)
    return session.scalar(query)


def team_for_volunteer(session, user_id, district_id):
    """The team a volunteer serves with at an event: one in the event's district if any, else their first."""
    return session.scalar(
        sa.select(VolunteerTeam.id).join(TeamMembership, TeamMembership.team_id == VolunteerTeam.id)
        .where(TeamMembership.user_id == user_id)
        .order_by(sa.case((VolunteerTeam.district_id == district_id, 0), else_=1), TeamMembership.id)
        .limit(1)
    )


def check_shift(event, shift_start, shift_end):
    """Raise VolunteerError unless the shift is a sensible one for this event."""
    if shift_start is None:
        raise VolunteerError(_l("Enter when the shift starts"), "shift_start")
    if shift_end is None:
        raise VolunteerError(_l("Enter when the shift ends"), "shift_end")
    if shift_end <= shift_start:
        raise VolunteerError(_l("The shift must end after it starts"), "shift_end")
    if shift_end - shift_start > MAX_SHIFT:
        raise VolunteerError(_l("A shift can be 16 hours at most"), "shift_end")
    if shift_start < event.starts_at - SHIFT_MARGIN or shift_start > event.ends_at:
        raise VolunteerError(_l("The shift must start between 12 hours before the event and its end"), "shift_start")
    if shift_end < event.starts_at or shift_end > event.ends_at + SHIFT_MARGIN:
        raise VolunteerError(_l("The shift must end between the start of the event and 12 hours after it ends"),
                             "shift_end")


def default_shift(event):
    """Half an hour before the event to its end: time to meet people at the entrance."""
    return event.starts_at - timedelta(minutes=30), event.ends_at


def lock_volunteer(session, user_id):
    """Take the row lock that serialises all shift changes of one volunteer."""
    session.execute(sa.select(User.id).where(User.id == user_id).with_for_update())


@one_transaction
def assign_volunteer(session, event, volunteer, role, shift_start, shift_end, skill=None, by=None):
    """Propose a shift to a volunteer. Raises VolunteerError with the field to show it beside."""
    role = (role or "").strip()
    if event.status == EVENT_CANCELLED:
        raise VolunteerError(_l("This event has been cancelled"), code="event_cancelled")
    if volunteer is None:
        raise VolunteerError(_l("There is no account with this mobile number or e-mail address"), "volunteer")
    if not is_volunteer(volunteer):
        raise VolunteerError(_l("This person is not registered as a volunteer"), "volunteer")
    if not role:
        raise VolunteerError(_l("Enter the volunteer's role, for example “sign-language interpreter”"), "role")
    if len(role) > ROLE_MAX:
        raise VolunteerError(_l("The role must be 120 characters or fewer"), "role")
    if skill is not None and skill not in VOLUNTEER_SKILL_CODES:
        raise VolunteerError(_l("Choose from the skills given"), "skill")
    check_shift(event, shift_start, shift_end)

    lock_volunteer(session, volunteer.id)
    existing = session.scalar(
        sa.select(Assignment).where(Assignment.event_id == event.id, Assignment.volunteer_id == volunteer.id)
    )
    if existing is not None and existing.is_live:
        raise VolunteerError(_l("%(name)s is already on this event's team", name=volunteer.display_name), "volunteer")
    clash = overlapping_assignment(session, volunteer.id, shift_start, shift_end)
    if clash is not None:
        raise VolunteerError(_l(
            "%(name)s already has a shift from %(start)s to %(end)s at “%(event)s”. Choose another time or another volunteer.",
            name=volunteer.display_name, start=format_datetime(clash.shift_start, "short"),
            end=format_datetime(clash.shift_end, "short"), event=clash.event.title,
        ), "shift_start")

    now = utcnow()
    assignment = existing or Assignment(event_id=event.id, volunteer_id=volunteer.id, created_at=now)
    assignment.event = event
    assignment.volunteer = volunteer
    assignment.team_id = team_for_volunteer(session, volunteer.id, event.district_id)
    assignment.role = role
    assignment.skill = skill
    assignment.shift_start = shift_start
    assignment.shift_end = shift_end
    assignment.status = PROPOSED
    assignment.decline_reason = ""
    assignment.served_confirmed = False
    assignment.served_minutes = None
    assignment.served_confirmed_at = None
    assignment.served_confirmed_by_id = None
    assignment.created_by_id = getattr(by, "id", None)
    assignment.updated_at = now
    session.add(assignment)
    session.flush()
    _tell_volunteer(assignment, "assignment_proposed")
    return assignment


@one_transaction
def accept_assignment(session, assignment, now=None):
    now = now or utcnow()
    if assignment.status == ACCEPTED:
        return assignment
    if assignment.status != PROPOSED:
        raise VolunteerError(_l("This assignment can no longer be accepted"), code="not_proposed")
    if assignment.shift_end <= now:
        raise VolunteerError(_l("This shift is over"), code="shift_over")
    assignment.status = ACCEPTED
    assignment.updated_at = now
    session.flush()
    return assignment


@one_transaction
def decline_assignment(session, assignment, reason, now=None):
    """The volunteer says no: the place is open again and the organizer is told (outbox)."""
    now = now or utcnow()
    reason = (reason or "").strip()
    if assignment.status not in LIVE_STATUSES:
        raise VolunteerError(_l("This assignment can no longer be declined"), code="not_active")
    if assignment.shift_start <= now:
        raise VolunteerError(_l("This shift has already started. Please call the organizer instead."),
                             code="shift_started")
    if not reason:
        raise VolunteerError(_l("Tell the organizer why you cannot come"), "reason")
    if len(reason) > REASON_MAX:
        raise VolunteerError(_l("The reason must be 500 characters or fewer"), "reason")
    assignment.status = DECLINED
    assignment.decline_reason = reason
    assignment.updated_at = now
    session.flush()
    organizer = assignment.created_by or _event_creator(session, assignment.event)
    if organizer is not None:
        volunteer, event = assignment.volunteer, assignment.event

        def render():
            subject = _("%(name)s cannot come to “%(event)s”", name=volunteer.display_name, event=event.title)
            body = _(
                "%(name)s has declined the shift from %(start)s to %(end)s (%(role)s) at “%(event)s”. "
                "Reason: %(reason)s. The place is open again: choose another volunteer on the event's volunteer page.",
                name=volunteer.display_name, start=format_datetime(assignment.shift_start, "short"),
                end=format_datetime(assignment.shift_end, "short"), role=assignment.role, event=event.title,
                reason=reason,
            )
            return subject, body

        queue_message(organizer, "assignment_declined", render, event=event)
    return assignment


@one_transaction
def cancel_assignment(session, assignment, now=None):
    """The organizer takes a volunteer off an event; the volunteer is told."""
    now = now or utcnow()
    if assignment.status not in LIVE_STATUSES:
        raise VolunteerError(_l("This assignment is not active"), code="not_active")
    if assignment.served_confirmed:
        raise VolunteerError(_l("This volunteer has already been confirmed as served"), code="already_served")
    assignment.status = CANCELLED
    assignment.updated_at = now
    session.flush()
    _tell_volunteer(assignment, "assignment_cancelled")
    return assignment


@one_transaction
def change_shift(session, assignment, shift_start, shift_end, now=None):
    """The organizer moves a volunteer's shift; the volunteer is told the old time and the new.

    The same rules as a new shift (within the event's margins, no overlap with the volunteer's
    other live shifts, under the volunteer's row lock). An accepted shift stays accepted: the
    message asks the volunteer to decline if the new time does not suit them."""
    now = now or utcnow()
    if assignment.status not in LIVE_STATUSES:
        raise VolunteerError(_l("This assignment is not active"), code="not_active")
    if assignment.served_confirmed:
        raise VolunteerError(_l("This volunteer has already been confirmed as served"), code="already_served")
    if assignment.event.status == EVENT_CANCELLED:
        raise VolunteerError(_l("This event has been cancelled"), code="event_cancelled")
    check_shift(assignment.event, shift_start, shift_end)
    if (shift_start, shift_end) == (assignment.shift_start, assignment.shift_end):
        raise VolunteerError(_l("This is the shift's current time: change the start or the end"), "shift_start")
    lock_volunteer(session, assignment.volunteer_id)
    clash = overlapping_assignment(session, assignment.volunteer_id, shift_start, shift_end, exclude_id=assignment.id)
    if clash is not None:
        raise VolunteerError(_l(
            "%(name)s already has a shift from %(start)s to %(end)s at “%(event)s”. Choose another time or another volunteer.",
            name=assignment.volunteer.display_name, start=format_datetime(clash.shift_start, "short"),
            end=format_datetime(clash.shift_end, "short"), event=clash.event.title,
        ), "shift_start")
    old_start, old_end = assignment.shift_start, assignment.shift_end
    assignment.shift_start, assignment.shift_end = shift_start, shift_end
    assignment.updated_at = now
    session.flush()
    volunteer, event = assignment.volunteer, assignment.event

    def render():
        subject = _("The time of your shift at “%(event)s” has changed", event=event.title)
        body = _("Your shift as %(role)s at “%(event)s” was %(old_start)s – %(old_end)s. "
                 "It is now %(new_start)s – %(new_end)s. If you cannot come at the new time, "
                 "please decline under “My assignments”.",
                 role=assignment.role, event=event.title,
                 old_start=format_datetime(old_start, "short"), old_end=format_datetime(old_end, "short"),
                 new_start=format_datetime(shift_start, "short"), new_end=format_datetime(shift_end, "short"))
        return subject, body

    queue_message(volunteer, "assignment_changed", render, event=event)
    return assignment


@one_transaction
def confirm_served(session, event, served_ids, by=None, now=None):
    """After the shifts: mark exactly ``served_ids`` as served (their shifts become hours), unmark the rest.

    Returns (confirmed, unconfirmed) counts. Only shifts that have started can be confirmed.
    """
    now = now or utcnow()
    served_ids = set(served_ids)
    confirmed = unconfirmed = 0
    for assignment in event_assignments(session, event.id):
        if assignment.id in served_ids:
            if assignment.status not in LIVE_STATUSES:
                raise VolunteerError(_l("Only volunteers who were on the team can be confirmed"), "served")
            if assignment.shift_start > now:
                raise VolunteerError(_l("A shift can be confirmed once it has started"), "served")
            if not assignment.served_confirmed:
                assignment.status = ACCEPTED
                assignment.served_confirmed = True
                assignment.served_minutes = assignment.shift_minutes
                assignment.served_confirmed_at = now
                assignment.served_confirmed_by_id = getattr(by, "id", None)
                assignment.updated_at = now
                confirmed += 1
        elif assignment.served_confirmed:
            assignment.served_confirmed = False
            assignment.served_minutes = None
            assignment.served_confirmed_at = None
            assignment.served_confirmed_by_id = None
            assignment.updated_at = now
            unconfirmed += 1
    session.flush()
    return confirmed, unconfirmed


def _event_creator(session, event):
    return session.get(User, event.created_by_id) if event.created_by_id else None


def _tell_volunteer(assignment, kind):
    volunteer, event = assignment.volunteer, assignment.event

    def render():
        when = format_datetime(assignment.shift_start, "short")
        if kind == "assignment_cancelled":
            subject = _("Your shift at “%(event)s” is cancelled", event=event.title)
            body = _("The organizer no longer needs you for the shift at %(when)s at “%(event)s”. Thank you.",
                     when=when, event=event.title)
        else:
            subject = _("Can you help at “%(event)s”?", event=event.title)
            body = _("You are asked to help as %(role)s at “%(event)s”, shift starting %(when)s. "
                     "Please accept or decline under “My assignments”.",
                     role=assignment.role, event=event.title, when=when)
        return subject, body

    queue_message(volunteer, kind, render, event=event)
