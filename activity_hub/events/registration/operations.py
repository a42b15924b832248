"""Registration rules: who gets a place, who waits, and in which order.

Every operation runs in one transaction that first locks the event row
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's BEGIN IMMEDIATE serialises
whole transactions; see ``store.py``, the only module here that writes SQL). Places are never counted in a stored counter: they are
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
``check_in`` / ``mark_no_shows`` from ``checkin.py``); status changes go through
``transitions.change_status``.
"""
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ...db_types import utcnow
from ...extensions import db
from ...messages.outbox import message_values
from ...privacy import consents
from ...privacy.models import REGISTRATION_NEEDS
from ..models import HOLDING_STATUSES, PUBLISHED, WAITLISTED, Event, Registration
from . import messages, store
from .checks import RegistrationRefused, already_registered, can_cancel, check_input, closed_reason, require_manager
from .places import Availability
from .store import commit, refusal_rolls_back
from .transitions import allowed, change_status, new_status, promotion


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
    promoted = []
    now = utcnow()
    for registration in store.waiting_entries(event.id):
        if usage.places_left == 0:
            break
        if not usage.fits(registration.places, registration.wheelchair_space):
            continue
        change_status(registration, promotion(event), now)
        usage = _take(usage, registration)
        promoted.append(registration)
    db.session.flush()
    for registration in promoted:
        messages.queue_promoted(registration)
    return promoted


def promote_from_waitlist(event, commit=True):
    """Serve the waitlist of ``event`` (after places were freed); returns the promoted entries in order."""
    try:
        locked = store.lock_event(event.id if isinstance(event, Event) else event)
        promoted = _serve_waitlist(locked, store.usage_of(locked)) if locked is not None else []
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
                           registered_by=None, fast=True):
    """``register``, returning (registration, waitlist position or None).

    The position is the one the resident's message tells them, decided under the lock. The
    registration, its event and venue stay loaded after the commit, so an answer built from
    them reads nothing again. ``fast=False`` writes through the ORM's unit of work instead of the
    store's statements (the same rows; for the test that says so).
    """
    event = store.lock_existing_event(event_id, to_register=True)
    if registered_by is not None and registered_by.id != user.id:
        require_manager(registered_by, event)
    # Taken under the lock: arrival times follow the order in which registrations get the lock,
    # and so do their ids (each is taken by the places query below, while the lock is held).
    now = utcnow()
    reason = closed_reason(event, now)
    if reason is not None:
        raise reason
    seen = store.newcomer_view(event, user.id, now, next_id=True)
    if seen.already_registered:
        raise already_registered()
    needs, companions = check_input(event, needs, companions, note, needs_note, consent)

    if _serve_waitlist(event, seen.usage):
        seen = store.newcomer_view(event, user.id, now, next_id=True)
    registration = Registration(
        id=seen.next_id, event_id=event.id, user_id=user.id, companions=companions,
        note=(note or "").strip(), needs_note=(needs_note or "").strip(), consent_at=now,
        created_at=now, updated_at=now,
        registered_by_id=registered_by.id if registered_by is not None else None,
        checked_in_at=None, cancelled_at=None, no_show=False,
    )
    registration.event, registration.user = event, user
    registration.set_needs(needs)
    registration.status = new_status(event, seen.usage.fits(registration.places, registration.wheelchair_space))
    # Waitlist order is (created_at, id): everyone waiting arrived at or before ``now``, with a
    # smaller id, comes first; anyone after ``now`` (a clock ahead of this one) comes after.
    position = seen.waiting_ahead + 1 if registration.status == WAITLISTED else None
    # The message is rendered before anything is written (the id, for a check-in code, is known).
    message = messages.queue_for_new_status(registration, position, queue=message_values)
    try:
        store.write_new_registration(registration, message, fast=fast)
    except IntegrityError:
        db.session.rollback()
        raise already_registered() from None
    if needs or registration.needs_note:  # a consent to needs, recorded with the registration
        consents.give(user.id, REGISTRATION_NEEDS, staff=registered_by, now=now)
    try:
        commit(keep_loaded=True)
    except IntegrityError:
        raise already_registered() from None
    return registration, position


@refusal_rolls_back
def cancel_registration(registration_id, by_user):
    """Cancel a registration (by the resident or an organizer); returns the entries promoted into the places."""
    registration, event = store.locked_registration(registration_id)
    by_organizer = by_user is not None and by_user.id != registration.user_id
    if by_organizer:
        require_manager(by_user, event)
    elif by_user is None:
        raise RegistrationRefused("not_allowed", _("Only the organizers of this event can do this."))
    if not allowed("cancel", registration):
        raise RegistrationRefused("not_active", _("This registration is already cancelled or was not accepted."))
    if not can_cancel(registration):
        raise RegistrationRefused("event_past", _("This event has already started or taken place."))
    held_places = registration.status in HOLDING_STATUSES
    change_status(registration, "cancel")
    db.session.flush()
    messages.queue_cancelled(registration, by_organizer=by_organizer)
    promoted = _serve_waitlist(event, store.usage_of(event)) if held_places else []
    commit()
    return promoted


@refusal_rolls_back
def approve(registration_id, by_user):
    """Confirm a registration that was waiting for approval; returns it."""
    registration, event = store.locked_registration(registration_id)
    require_manager(by_user, event)
    if not allowed("approve", registration):
        raise RegistrationRefused("not_pending", _("Only registrations waiting for approval can be approved."))
    change_status(registration, "approve")
    db.session.flush()
    messages.queue_approved(registration)
    commit()
    return registration


@refusal_rolls_back
def reject(registration_id, by_user):
    """Turn down a pending or waitlisted registration; returns the entries promoted into its places."""
    registration, event = store.locked_registration(registration_id)
    require_manager(by_user, event)
    if not allowed("reject", registration):
        raise RegistrationRefused(
            "not_pending", _("Only registrations waiting for approval or on the waiting list can be turned down.")
        )
    held_places = registration.status in HOLDING_STATUSES
    change_status(registration, "reject")
    db.session.flush()
    messages.queue_rejected(registration)
    promoted = _serve_waitlist(event, store.usage_of(event)) if held_places else []
    commit()
    return promoted


@refusal_rolls_back
def move_up(registration_id, by_user):
    """An organizer confirms one waitlisted entry out of turn, if it fits whole; returns it."""
    registration, event = store.locked_registration(registration_id)
    require_manager(by_user, event)
    if not allowed("move_up", registration):
        raise RegistrationRefused("not_waitlisted", _("This registration is not on the waiting list."))
    reason = closed_reason(event)
    if reason is not None and reason.code in ("event_cancelled", "event_past", "not_published"):
        raise reason
    if not store.usage_of(event).fits(registration.places, registration.wheelchair_space):
        raise RegistrationRefused(
            "does_not_fit",
            _("There are not enough free places (or wheelchair spaces) for this registration and its companions."),
        )
    change_status(registration, "move_up")
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
    event = store.lock_existing_event(event_id)
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
    usage = store.usage_of(event)
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
    promoted = _serve_waitlist(event, store.usage_of(event))
    commit()
    return promoted

