"""Which status a registration may move to, and the one function that moves it.

A registration's life: a newcomer is ``confirmed``, ``pending`` (the event needs approval) or
``waitlisted``; a waiting entry is promoted (to ``confirmed`` or ``pending``) when places free up
or an organizer moves it up; a pending one is approved or turned down; any active one may be
cancelled. ``cancelled`` and ``rejected`` are final. No SQL here: the operations flush the change.
"""
from ...db_types import utcnow
from ..models import CONFIRMED, PENDING, REG_CANCELLED, REJECTED, WAITLISTED

# (what happens, from which status) -> the new status. ``promote`` goes to PENDING instead of
# CONFIRMED when the event needs approval (``promoted_status``).
TRANSITIONS = {
    ("promote", WAITLISTED): CONFIRMED,
    ("move_up", WAITLISTED): CONFIRMED,
    ("approve", PENDING): CONFIRMED,
    ("reject", PENDING): REJECTED,
    ("reject", WAITLISTED): REJECTED,
    ("cancel", PENDING): REG_CANCELLED,
    ("cancel", CONFIRMED): REG_CANCELLED,
    ("cancel", WAITLISTED): REG_CANCELLED,
}


class NotAllowed(ValueError):
    """A status change the table does not allow (a bug in the caller: the rules check first)."""


def allowed(action, registration):
    return (action, registration.status) in TRANSITIONS


def new_status(event, fits):
    """The status of a newcomer: waiting when its places do not fit, else held for approval or confirmed."""
    if not fits:
        return WAITLISTED
    return PENDING if event.requires_approval else CONFIRMED


def change_status(registration, action, now=None, requires_approval=False):
    """Move ``registration`` by ``action`` (a key of ``TRANSITIONS``), stamping when it changed."""
    try:
        status = TRANSITIONS[(action, registration.status)]
    except KeyError:
        raise NotAllowed(f"{action} from {registration.status}") from None
    if action == "promote" and requires_approval:
        status = PENDING
    now = now or utcnow()
    registration.status = status
    registration.updated_at = now
    if status == REG_CANCELLED:
        registration.cancelled_at = now
    return registration
