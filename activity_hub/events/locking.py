"""The event-row lock and the transaction every registration operation runs in.

An operation locks the event's row first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
BEGIN IMMEDIATE serialises whole transactions), decides while it holds the lock, and either
commits everything or, when a rule refuses, rolls everything back.
"""
import functools

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, load_only
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import Event, Venue
from .registration_checks import RegistrationRefused


@functools.cache
def _lock_statement():
    # Built once: constructing the statement costs more CPU than running it.
    return (
        sa.select(Event).where(Event.id == sa.bindparam("event_id"))
        .options(joinedload(Event.venue), lazyload(Event.provision_rows))
        .with_for_update(of=Event).execution_options(populate_existing=True)
    )


# What registering reads of the event under its lock: the rules (status, dates, places, companions,
# approval, district), the resident's message (title, time, place, contact) and the answer (title,
# dates, status, link). The long texts and the rest stay unloaded, and load if something asks.
REGISTRATION_COLUMNS = (
    Event.id, Event.title, Event.district_id, Event.venue_id, Event.online_url, Event.starts_at,
    Event.ends_at, Event.capacity, Event.wheelchair_spaces, Event.max_companions,
    Event.registration_opens_at, Event.registration_closes_at, Event.requires_approval,
    Event.contact_name, Event.contact_phone, Event.contact_email, Event.status,
)


@functools.cache
def _lock_to_register_statement():
    return (
        sa.select(Event).where(Event.id == sa.bindparam("event_id"))
        .options(load_only(*REGISTRATION_COLUMNS), joinedload(Event.venue).load_only(Venue.name, Venue.address),
                 lazyload(Event.provision_rows))
        .with_for_update(of=Event).execution_options(populate_existing=True)
    )


def lock_event(event_id):
    """Load the event and lock its row for the rest of the transaction (None if there is none).

    The venue comes in the same query (every operation's message names the place); only the
    event's row is locked. Provisions are loaded if asked for.
    """
    return db.session.execute(_lock_statement(), {"event_id": event_id}).scalar_one_or_none()


def lock_existing_event(event_id, to_register=False):
    """``lock_event``, refusing an unknown event. ``to_register``: only the columns a registration
    reads are loaded (``REGISTRATION_COLUMNS``; fewer to fetch and build while the row is locked)."""
    if to_register:
        event = db.session.execute(_lock_to_register_statement(), {"event_id": event_id}).scalar_one_or_none()
    else:
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
