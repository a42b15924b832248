"""Which status a registration may move to, and the one function that moves it.

A registration's life: a newcomer is ``confirmed``, ``pending`` (the event needs approval) or
``waitlisted``; a waiting entry is promoted (to ``confirmed`` or ``pending``) when places free up
or an organizer moves it up; a pending one is approved or turned down; any active one may be
cancelled. ``cancelled`` and ``rejected`` are final. No SQL here: the operations flush the change.
"""
from ...db_types import utcnow
from ..models import CONFIRMED, PENDING, REG_CANCELLED, REJECTED, WAITLISTED

# (what happens, from which status) -> the new status. Every status change of a registration is here.
TRANSITIONS = {
    ("promote", WAITLISTED): CONFIRMED,
    ("promote_for_approval", WAITLISTED): PENDING,   # places freed at an event that needs approval
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


def promotion(event):
    """The action that gives a waiting entry the places freed at ``event``."""
    return "promote_for_approval" if event.requires_approval else "promote"


def change_status(registration, action, now=None):
    """Move ``registration`` by ``action`` (as ``TRANSITIONS`` allows), stamping when it changed."""
    try:
        status = TRANSITIONS[(action, registration.status)]
    except KeyError:
        raise NotAllowed(f"{action} from {registration.status}") from None
    now = now or utcnow()
    registration.status = status
    registration.updated_at = now
    if status == REG_CANCELLED:
        registration.cancelled_at = now
    return registration
