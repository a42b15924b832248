"""The checks behind registration: when an event is open, what a resident may type, who may act.

``operations.py`` runs them under the event lock; the pages also use them to
explain, before anyone presses a button, why registering is not possible.
"""
import sqlalchemy as sa
from flask_babel import gettext as _

from ...accessibility import NEED_CODES, clean_need_codes
from ...auth.accounts import can_manage_district, is_logged_in
from ...db_types import utcnow
from ...extensions import db
from ..models import ACTIVE_STATUSES, CANCELLED, COMPLETED, PUBLISHED, Registration
from ...local_time import moment

NOTE_MAX = 1000


class RegistrationRefused(Exception):
    """A rule refused the operation.

    ``code`` is machine-readable (the API returns it), ``message`` is a translated
    sentence, ``field`` names the form field the problem belongs to (or None), and
    ``errors`` lists every (code, field, message) found when the input had several
    problems, so a form can show them all at once.
    """

    def __init__(self, code, message, field=None, errors=None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = str(message)
        self.field = field
        self.errors = errors or [(code, field, self.message)]


def closed_reason(event, now=None):
    """Why nobody can register for this event now (a RegistrationRefused), or None."""
    now = now or utcnow()
    if event.status == CANCELLED:
        return RegistrationRefused("event_cancelled", _("This event has been cancelled."))
    if event.status == COMPLETED or event.starts_at <= now:
        return RegistrationRefused("event_past", _("This event has already started or taken place."))
    if event.status != PUBLISHED:
        return RegistrationRefused("not_published", _("This event is not open to the public yet."))
    if event.registration_opens_at is not None and now < event.registration_opens_at:
        return RegistrationRefused(
            "not_open_yet",
            _("Registration opens on %(when)s.", when=moment(event.registration_opens_at)),
        )
    if event.registration_closes_at is not None and now >= event.registration_closes_at:
        return RegistrationRefused(
            "closed",
            _("Registration closed on %(when)s.", when=moment(event.registration_closes_at)),
        )
    return None


def active_registration(event_id, user_id):
    """The resident's pending, confirmed or waitlisted registration for the event, or None."""
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event_id,
            Registration.user_id == user_id,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )


def already_registered():
    return RegistrationRefused("already_registered", _("You are already registered for this event."))


def _has_control_characters(value):
    return any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value)


def check_input(event, needs, companions, note, needs_note, consent):
    """Validate what the resident typed; returns (needs, companions) cleaned or raises with every problem."""
    problems = []
    max_companions = event.max_companions
    try:
        count = int(companions if companions not in (None, "") else 0)
        if isinstance(companions, float) and companions != count:
            raise ValueError
    except (TypeError, ValueError):
        count = None
    if count is None or count < 0 or count > max_companions:
        if max_companions == 0:
            message = _("This event has no places for companions.")
        else:
            message = _("Enter a number of companions from 0 to %(max)d.", max=max_companions)
        problems.append(("too_many_companions", "companions", message))
    if isinstance(needs, str):
        needs = [needs]
    needs = list(needs or ())
    if any(code not in NEED_CODES for code in needs):
        problems.append(("unknown_need", "needs", _("Choose your needs from the list.")))
    for field, value in (("needs_note", needs_note), ("note", note)):
        if len(value or "") > NOTE_MAX:
            problems.append(("invalid_note", field, _("Keep this to 1000 characters or fewer.")))
        elif _has_control_characters(value or ""):
            problems.append(("invalid_note", field, _("Remove the invisible control characters.")))
    if not consent:
        problems.append((
            "consent_required", "consent",
            _("To register, agree that the organizer may use your needs to arrange this event."),
        ))
    if problems:
        code, field, message = problems[0]
        raise RegistrationRefused(code, message, field, errors=problems)
    return clean_need_codes(needs), count


def can_cancel(registration):
    """Active registrations can be cancelled until the event starts (or at any time once it is cancelled)."""
    event = registration.event
    return registration.status in ACTIVE_STATUSES and (event.status == CANCELLED or event.starts_at > utcnow())


def require_manager(user, event):
    if user is None or not can_manage_district(user, event.district_id):
        raise RegistrationRefused("not_allowed", _("Only the organizers of this event can do this."))


def can_see_registration(user, registration):
    """The resident themself, the event's organizers and administrators."""
    if not is_logged_in(user):
        return False
    return user.id == registration.user_id or can_manage_district(user, registration.event.district_id)
