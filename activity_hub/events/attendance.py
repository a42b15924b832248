"""Who came: check-in at the door and no-shows after the start.

Neither changes places or the waitlist (a confirmed registration keeps its place whether or
not its resident came); the dashboard counts the checked-in registrations of completed events.
"""
import sqlalchemy as sa
from flask_babel import gettext as _

from ..db_types import utcnow
from ..extensions import db
from .locking import commit, lock_existing_event, refusal_rolls_back
from .models import CANCELLED, CONFIRMED, Registration
from .registration_checks import RegistrationRefused, require_manager


@refusal_rolls_back
def check_in(registration_id, by_user, event_id=None):
    """Record that a confirmed resident has arrived; checking in twice changes nothing. Returns it.

    ``event_id`` is the event whose door the resident is at: a code for another event is refused.
    """
    registration = db.session.execute(
        sa.select(Registration).where(Registration.id == registration_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if registration is None:
        raise RegistrationRefused("not_found", _("This registration does not exist."))
    event = registration.event
    require_manager(by_user, event)
    if event_id is not None and registration.event_id != event_id:
        raise RegistrationRefused("wrong_event", _("This registration is for another event."))
    if event.status == CANCELLED:
        raise RegistrationRefused("event_cancelled", _("This event has been cancelled."))
    if registration.status != CONFIRMED:
        raise RegistrationRefused(
            "not_confirmed", _("This registration is not confirmed, so it cannot be checked in.")
        )
    if registration.checked_in_at is None:
        registration.checked_in_at = utcnow()
        registration.no_show = False
        registration.updated_at = registration.checked_in_at
    commit()
    return registration


@refusal_rolls_back
def mark_no_shows(event_id, by_user):
    """After the start, mark every confirmed registration not checked in as a no-show; returns them."""
    event = lock_existing_event(event_id)
    require_manager(by_user, event)
    if event.starts_at > utcnow():
        raise RegistrationRefused("event_not_started", _("No-shows can be marked once the event has started."))
    absent = list(db.session.scalars(
        sa.select(Registration).where(
            Registration.event_id == event.id, Registration.status == CONFIRMED,
            Registration.checked_in_at.is_(None), Registration.no_show.is_(False),
        ).order_by(Registration.id)
    ))
    now = utcnow()
    for registration in absent:
        registration.no_show = True
        registration.updated_at = now
    commit()
    return absent
