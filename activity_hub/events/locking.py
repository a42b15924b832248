"""The event-row lock and the transaction every registration operation runs in.

An operation locks the event's row first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
BEGIN IMMEDIATE serialises whole transactions), decides while it holds the lock, and either
commits everything or, when a rule refuses, rolls everything back.
"""
import functools

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import Event
from .registration_checks import RegistrationRefused


@functools.cache
def _lock_statement():
    # Built once: constructing the statement costs more CPU than running it.
    return (
        sa.select(Event).where(Event.id == sa.bindparam("event_id"))
        .options(joinedload(Event.venue), lazyload(Event.provision_rows))
        .with_for_update(of=Event).execution_options(populate_existing=True)
    )


def lock_event(event_id):
    """Load the event and lock its row for the rest of the transaction (None if there is none).

    The venue comes in the same query (every operation's message names the place); only the
    event's row is locked. Provisions are loaded if asked for.
    """
    return db.session.execute(_lock_statement(), {"event_id": event_id}).scalar_one_or_none()


def lock_existing_event(event_id):
    event = lock_event(event_id)
    if event is None:
        raise RegistrationRefused("not_found", _("This event does not exist."))
    return event


def commit(keep_loaded=False):
    """Commit; on a constraint violation roll back and re-raise.

    ``keep_loaded``: what the operation read under the lock and wrote stays loaded after the
    commit instead of expiring (the database now holds exactly those values), so the answer
    built from it needs no second read.
    """
    session = db.session()
    expire_on_commit = session.expire_on_commit
    if keep_loaded:
        session.expire_on_commit = False
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise
    finally:
        session.expire_on_commit = expire_on_commit


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
