"""Registration rules: who gets a place, who waits, and in which order.

Every operation runs in one transaction that first locks the event row
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's BEGIN IMMEDIATE serialises
whole transactions; see ``locking.py``). Places are never counted in a stored counter: they are
summed from the active registrations while the lock is held, so two requests for
the same event can never both see the last place free. The partial unique index
on active registrations is the backstop against registering twice.

The waitlist policy (shown to residents on the event page):
- a registration takes 1 + companions places, and one wheelchair space when it
  needs ``wheelchair_space``; registrations waiting for approval hold places;
- entries are served whole (a resident is never separated from their
  companions) and in arrival order;
- an entry that does not fit yet keeps its position while smaller entries behind
  it may take the places that are free;
- a newcomer is treated exactly as if it joined the end of the waitlist and the
  waitlist were then served: because every operation serves the waitlist before
  it commits, nobody still waiting could use the free places, so a newcomer who
  fits gets them and a newcomer who does not fit waits.

HTML views, the organizer pages and the JSON API all call these functions (and
``check_in`` / ``mark_no_shows`` from ``attendance.py``, re-exported here).
"""
import functools
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..db_types import utcnow
from ..extensions import db
from ..messages.outbox import message_values
from . import registration_messages as messages
from .availability import (  # noqa: F401  (re-exported: callers use registration.availability etc.)
    Availability,
    availability,
    availability_of,
    constant,
    status_in,
    usage_columns,
    waitlist_position,
    waitlist_positions,
)
from .attendance import check_in, mark_no_shows  # noqa: F401  (re-exported)
from .checkin_tokens import checkin_token, registration_from_token  # noqa: F401  (re-exported)
from .locking import commit, lock_event, lock_existing_event, refusal_rolls_back
from .models import (
    ACTIVE_STATUSES,
    CONFIRMED,
    HOLDING_STATUSES,
    PENDING,
    PUBLISHED,
    REG_CANCELLED,
    REJECTED,
    WAITLISTED,
    Event,
    Registration,
)
from .registration_checks import (  # noqa: F401  (re-exported for the pages and the API)
    NOTE_MAX,
    RegistrationRefused,
    active_registration,
    already_registered,
    can_cancel,
    can_see_registration,
    check_input,
    closed_reason,
    require_manager,
)
from .registration_writes import insert_registration, next_registration_id

# --- reading under the lock -------------------------------------------------


def _locked_registration(registration_id):
    """The registration and its event, the event row locked, the registration re-read after the lock."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise RegistrationRefused("not_found", _("This registration does not exist."))
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    return registration, event


def _usage(event):
    return _newcomer_view(event, None, None).usage


class NewcomerView(NamedTuple):
    usage: Availability
    already_registered: bool
    # Waiting entries that arrived before ``arrived``: the newcomer's place in the queue if they wait.
    waiting_ahead: int
    # The id the newcomer's registration will have (when asked for): taken under the lock, so ids
    # follow the order in which registrations get the lock.
    next_id: int | None = None


@functools.cache
def _newcomer_statement(next_id_in=None):
    # Built once (bound per call): constructing the aggregate costs more CPU than running it.
    places, wheelchair, waiting = usage_columns()

    def count(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, constant(1)), else_=constant(0))), constant(0))

    registered = count(Registration.user_id == sa.bindparam("user_id"))
    ahead = count(sa.and_(
        Registration.status == constant(WAITLISTED), Registration.created_at <= sa.bindparam("arrived")
    ))
    columns = [places, wheelchair, waiting, registered, ahead]
    if next_id_in is not None:
        columns.append(next_registration_id(next_id_in))
    return sa.select(*columns).where(
        Registration.event_id == sa.bindparam("event_id"), status_in(ACTIVE_STATUSES)
    )


def _newcomer_view(event, user_id, arrived, next_id=False):
    """The event's places, whether ``user_id`` already holds an active registration, how many
    waiting entries arrived at or before ``arrived`` and (``next_id``) the id a new registration
    will have: one query, under the lock."""
    # On the session's connection (Core): the ORM's execute only adds its own steps for a plain row.
    connection = db.session.connection()
    statement = _newcomer_statement(connection.dialect.name if next_id else None)
    row = connection.execute(statement, {"event_id": event.id, "user_id": user_id, "arrived": arrived}).one()
    usage = Availability(event.capacity, event.wheelchair_spaces, int(row[0]), int(row[1]), int(row[2]))
    return NewcomerView(usage, int(row[3]) > 0, int(row[4]), int(row[5]) if next_id else None)


def _take(usage, registration):
    return Availability(
        usage.capacity, usage.wheelchair_spaces, usage.places_taken + registration.places,
        usage.wheelchair_taken + (1 if registration.wheelchair_space else 0), usage.waitlist_length,
    )


# --- the waitlist -------------------------------------------------------------


def _serve_waitlist(event, usage):
    """Promote, in arrival order, every waiting entry that fits whole. Returns the promoted entries.

    An entry that does not fit is skipped and keeps its position; smaller entries
    behind it may be promoted. Nothing is promoted for an event that is not
    published or has started.
    """
    if event.status != PUBLISHED or event.starts_at <= utcnow():
        return []
    if usage.waitlist_length == 0 or usage.places_left == 0:
        return []
    waiting = list(db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.status == WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
    ))
    promoted = []
    for registration in waiting:
        if usage.places_left == 0:
            break
        if not usage.fits(registration.places, registration.wheelchair_space):
            continue
        registration.status = PENDING if event.requires_approval else CONFIRMED
        registration.updated_at = utcnow()
        usage = _take(usage, registration)
        promoted.append(registration)
    db.session.flush()
    for registration in promoted:
        messages.queue_promoted(registration)
    return promoted


def promote_from_waitlist(event, commit=True):
    """Serve the waitlist of ``event`` (after places were freed); returns the promoted entries in order."""
    try:
        locked = lock_event(event.id if isinstance(event, Event) else event)
        promoted = _serve_waitlist(locked, _usage(locked)) if locked is not None else []
        if commit:
            db.session.commit()
        return promoted
    except Exception:
        db.session.rollback()
        raise


# --- operations -----------------------------------------------------------------


def register(event_id, user, needs=(), companions=0, note="", needs_note="", consent=False, registered_by=None):
    """Register ``user`` (and companions) for an event: confirmed, pending approval or waitlisted.

    ``registered_by`` is the organizer registering on the resident's behalf
    (by phone); they must manage the event's district. Raises RegistrationRefused.
    """
    return register_with_position(
        event_id, user, needs=needs, companions=companions, note=note, needs_note=needs_note, consent=consent,
        registered_by=registered_by,
    )[0]


@refusal_rolls_back
def register_with_position(event_id, user, needs=(), companions=0, note="", needs_note="", consent=False,
                           registered_by=None):
    """``register``, returning (registration, waitlist position or None).

    The position is the one the resident's message tells them, decided under the lock. The
    registration, its event and venue stay loaded after the commit, so an answer built from
    them reads nothing again.
    """
    event = lock_existing_event(event_id, to_register=True)
    if registered_by is not None and registered_by.id != user.id:
        require_manager(registered_by, event)
    # Taken under the lock: arrival times follow the order in which registrations get the lock,
    # and so do their ids (each is taken by the places query below, while the lock is held).
    now = utcnow()
    reason = closed_reason(event, now)
    if reason is not None:
        raise reason
    seen = _newcomer_view(event, user.id, now, next_id=True)
    if seen.already_registered:
        raise already_registered()
    needs, companions = check_input(event, needs, companions, note, needs_note, consent)

    if _serve_waitlist(event, seen.usage):
        seen = _newcomer_view(event, user.id, now, next_id=True)
    registration = Registration(
        id=seen.next_id, event_id=event.id, user_id=user.id, companions=companions,
        note=(note or "").strip(), needs_note=(needs_note or "").strip(), consent_at=now,
        created_at=now, updated_at=now,
        registered_by_id=registered_by.id if registered_by is not None else None,
        checked_in_at=None, cancelled_at=None, no_show=False,
    )
    set_committed_value(registration, "event", event)
    set_committed_value(registration, "user", user)
    registration.set_needs(needs)
    position = None
    if seen.usage.fits(registration.places, registration.wheelchair_space):
        registration.status = PENDING if event.requires_approval else CONFIRMED
    else:
        registration.status = WAITLISTED
        # Waitlist order is (created_at, id): everyone waiting arrived at or before ``now``, with a
        # smaller id, comes first; anyone after ``now`` (a clock ahead of this one) comes after.
        position = seen.waiting_ahead + 1
    # The message is rendered before anything is written (the id, for a check-in code, is known).
    message = messages.queue_for_new_status(registration, position, queue=message_values)
    try:
        insert_registration(registration, message)
    except IntegrityError:
        db.session.rollback()
        raise already_registered() from None
    try:
        commit(keep_loaded=True)
    except IntegrityError:
        raise already_registered() from None
    return registration, position


@refusal_rolls_back
def cancel_registration(registration_id, by_user):
    """Cancel a registration (by the resident or an organizer); returns the entries promoted into the places."""
    registration, event = _locked_registration(registration_id)
    by_organizer = by_user is not None and by_user.id != registration.user_id
    if by_organizer:
        require_manager(by_user, event)
    elif by_user is None:
        raise RegistrationRefused("not_allowed", _("Only the organizers of this event can do this."))
    if registration.status not in ACTIVE_STATUSES:
        raise RegistrationRefused("not_active", _("This registration is already cancelled or was not accepted."))
    if not can_cancel(registration):
        raise RegistrationRefused("event_past", _("This event has already started or taken place."))
    held_places = registration.status in HOLDING_STATUSES
    now = utcnow()
    registration.status = REG_CANCELLED
    registration.cancelled_at = now
    registration.updated_at = now
    db.session.flush()
    messages.queue_cancelled(registration, by_organizer=by_organizer)
    promoted = _serve_waitlist(event, _usage(event)) if held_places else []
    commit()
    return promoted


@refusal_rolls_back
def approve(registration_id, by_user):
    """Confirm a registration that was waiting for approval; returns it."""
    registration, event = _locked_registration(registration_id)
    require_manager(by_user, event)
    if registration.status != PENDING:
        raise RegistrationRefused("not_pending", _("Only registrations waiting for approval can be approved."))
    registration.status = CONFIRMED
    registration.updated_at = utcnow()
    db.session.flush()
    messages.queue_approved(registration)
    commit()
    return registration


@refusal_rolls_back
def reject(registration_id, by_user):
    """Turn down a pending or waitlisted registration; returns the entries promoted into its places."""
    registration, event = _locked_registration(registration_id)
    require_manager(by_user, event)
    if registration.status not in (PENDING, WAITLISTED):
        raise RegistrationRefused(
            "not_pending", _("Only registrations waiting for approval or on the waiting list can be turned down.")
        )
    held_places = registration.status in HOLDING_STATUSES
    registration.status = REJECTED
    registration.updated_at = utcnow()
    db.session.flush()
    messages.queue_rejected(registration)
    promoted = _serve_waitlist(event, _usage(event)) if held_places else []
    commit()
    return promoted


@refusal_rolls_back
def move_up(registration_id, by_user):
    """An organizer confirms one waitlisted entry out of turn, if it fits whole; returns it."""
    registration, event = _locked_registration(registration_id)
    require_manager(by_user, event)
    if registration.status != WAITLISTED:
        raise RegistrationRefused("not_waitlisted", _("This registration is not on the waiting list."))
    reason = closed_reason(event)
    if reason is not None and reason.code in ("event_cancelled", "event_past", "not_published"):
        raise reason
    if not _usage(event).fits(registration.places, registration.wheelchair_space):
        raise RegistrationRefused(
            "does_not_fit",
            _("There are not enough free places (or wheelchair spaces) for this registration and its companions."),
        )
    registration.status = CONFIRMED
    registration.updated_at = utcnow()
    db.session.flush()
    messages.queue_promoted(registration)
    commit()
    return registration


def _whole_number(value, current):
    if value is None:
        return current
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or (isinstance(value, float) and value != number) or isinstance(value, bool):
        raise RegistrationRefused("invalid_capacity", _("Enter a whole number, 0 or more."), "capacity")
    return number


@refusal_rolls_back
def set_capacity(event_id, capacity=None, wheelchair_spaces=None, by_user=None):
    """Change places and wheelchair spaces; raising them promotes from the waitlist (returned).

    Lowering below what registrations already hold is refused (``capacity_below_taken``):
    nobody loses a confirmed place because a number was changed.
    """
    event = lock_existing_event(event_id)
    if by_user is not None:
        require_manager(by_user, event)
    new_capacity = _whole_number(capacity, event.capacity)
    try:
        new_wheelchair = _whole_number(wheelchair_spaces, event.wheelchair_spaces)
    except RegistrationRefused as refused:
        refused.field = "wheelchair_spaces"
        refused.errors = [(refused.code, refused.field, refused.message)]
        raise
    if new_wheelchair > new_capacity:
        raise RegistrationRefused(
            "invalid_capacity", _("Wheelchair spaces cannot be more than the number of places."),
            "wheelchair_spaces",
        )
    usage = _usage(event)
    if new_capacity < usage.places_taken:
        raise RegistrationRefused(
            "capacity_below_taken",
            _("%(taken)d places are already taken, so the event needs at least %(taken)d places.",
              taken=usage.places_taken),
            "capacity",
        )
    if new_wheelchair < usage.wheelchair_taken:
        raise RegistrationRefused(
            "capacity_below_taken",
            _("%(taken)d wheelchair spaces are already taken, so the event needs at least %(taken)d.",
              taken=usage.wheelchair_taken),
            "wheelchair_spaces",
        )
    event.capacity = new_capacity
    event.wheelchair_spaces = new_wheelchair
    event.updated_at = utcnow()
    db.session.flush()
    promoted = _serve_waitlist(event, _usage(event))
    commit()
    return promoted

