"""Registration: who gets a place, who waits and in which order, and who came.

The public operations and questions, for the resident pages, the organizer pages and the JSON API.
Inside: ``operations`` (register, cancel, approve, reject, move up, serve the waitlist, change
places), ``transitions`` (the statuses a registration may move between), ``checks`` (the rules
that refuse), ``places`` (places taken and left, waitlist positions), ``messages`` (what the
resident is told), ``checkin`` (codes, check-in, no-shows) and ``store`` (the only module that
writes registration SQL: the event lock and the fast path of registering).
"""
from .checkin import check_in, checkin_qr_svg, checkin_token, mark_no_shows, registration_from_token
from .checks import (
    NOTE_MAX,
    RegistrationRefused,
    active_registration,
    can_cancel,
    can_see_registration,
    check_input,
    closed_reason,
)
from .operations import (
    approve,
    cancel_registration,
    move_up,
    promote_from_waitlist,
    register,
    register_with_position,
    reject,
    set_capacity,
)
from .places import Availability, availability, availability_of, waitlist_position, waitlist_positions

__all__ = [
    "NOTE_MAX", "Availability", "RegistrationRefused", "active_registration", "approve", "availability",
    "availability_of", "can_cancel", "can_see_registration", "cancel_registration", "check_in", "check_input",
    "checkin_qr_svg", "checkin_token", "closed_reason", "mark_no_shows", "move_up", "promote_from_waitlist",
    "register", "register_with_position", "registration_from_token", "reject", "set_capacity",
    "waitlist_position", "waitlist_positions",
]
