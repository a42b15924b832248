"""The event-row lock and the transaction every registration operation runs in.

An operation locks the event's row first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
BEGIN IMMEDIATE serialises whole transactions), decides while it holds the lock, and either
commits everything or, when a rule refuses, rolls everything back.
"""
import functools

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import Event
from .registration_checks import RegistrationRefused


def lock_event(event_id):
    """Load the event and lock its row for the rest of the transaction (None if there is none)."""
    return db.session.execute(
        sa.select(Event).where(Event.id == event_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()


def lock_existing_event(event_id):
    event = lock_event(event_id)
    if event is None:
        raise RegistrationRefused("not_found", _("This event does not exist."))
    return event


def commit():
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise


def refusal_rolls_back(operation):
    """A refused operation leaves nothing half-written: roll back, then let the refusal through."""
    @functools.wraps(operation)
    def run(*args, **kwargs):
        try:
            return operation(*args, **kwargs)
        except RegistrationRefused:
            db.session.rollback()
            raise

    return run
