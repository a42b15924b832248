"""The only place that writes registration SQL: the event-row lock, what is read under it, and the
writes of a new registration, its needs and the resident's message.

Every operation locks the event's row first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
BEGIN IMMEDIATE serialises whole transactions), decides while it holds the lock, and either commits
everything or, when a rule refuses, rolls everything back.

Registering is the hot path (popular events lose their places in minutes, every request waiting
on the same lock), so it is written with few statements: one query under the lock gives the places,
whether the resident is registered already, their place in the queue and the new registration's id
(taken under the lock, so ids follow the order in which registrations get it); the message is
rendered before anything is written (a confirmed one names the check-in code, made from the id);
then on PostgreSQL one statement writes the registration, its needs and the message (WITH ...
INSERT), on SQLite three plain INSERTs. ``write_new_registration(..., fast=False)`` is the same
write through the ORM's unit of work, kept as the reference the fast path is tested against.
"""
import functools
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, lazyload, load_only, make_transient_to_detached

from ...extensions import db
from ...messages.models import QUEUED, OutboxMessage
from ..models import ACTIVE_STATUSES, CONFIRMED, WAITLISTED, Event, Registration, RegistrationNeed, Venue
from .checks import RegistrationRefused
from .places import Availability, constant, status_in, usage_columns

# --- the lock --------------------------------------------------------------------------------


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


def locked_registration(registration_id):
    """The registration and its event, the event row locked, the registration re-read after the lock."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise RegistrationRefused("not_found", _("This registration does not exist."))
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    return registration, event


def locked_registration_alone(registration_id):
    """The registration, its own row locked (check-in changes one registration, never places)."""
    return db.session.execute(
        sa.select(Registration).where(Registration.id == registration_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


# --- read under the lock -----------------------------------------------------------------------


class NewcomerView(NamedTuple):
    usage: Availability
    already_registered: bool
    # Waiting entries that arrived before ``arrived``: the newcomer's place in the queue if they wait.
    waiting_ahead: int
    # The id the newcomer's registration will have (when asked for).
    next_id: int | None = None


def next_registration_id(dialect_name):
    """A column giving the id of the next registration, for the query that runs under the event's lock."""
    if dialect_name == "postgresql":
        return sa.func.nextval(sa.func.pg_get_serial_sequence(constant(Registration.__tablename__), constant("id")))
    # SQLite gives a new row max(id) + 1 (the table has no AUTOINCREMENT), and BEGIN IMMEDIATE lets
    # no other writer in until this transaction ends.
    return sa.select(sa.func.coalesce(sa.func.max(Registration.id), constant(0)) + constant(1)).scalar_subquery()


@functools.cache
def _newcomer_statement(next_id_in=None):
    # Built once (bound per call): constructing the aggregate costs more CPU than running it. The
    # constants are written into it, so only the event, the resident and the arrival time are bound.
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


def newcomer_view(event, user_id, arrived, next_id=False):
    """The event's places, whether ``user_id`` already holds an active registration, how many
    waiting entries arrived at or before ``arrived`` and (``next_id``) the id a new registration
    will have: one query, under the lock."""
    # On the session's connection (Core): the ORM's execute only adds its own steps for a plain row.
    connection = db.session.connection()
    statement = _newcomer_statement(connection.dialect.name if next_id else None)
    row = connection.execute(statement, {"event_id": event.id, "user_id": user_id, "arrived": arrived}).one()
    usage = Availability(event.capacity, event.wheelchair_spaces, int(row[0]), int(row[1]), int(row[2]))
    return NewcomerView(usage, int(row[3]) > 0, int(row[4]), int(row[5]) if next_id else None)


def usage_of(event):
    """The places of a locked event."""
    return newcomer_view(event, None, None).usage


def waiting_entries(event_id):
    """The event's waitlist in the order it is served: arrival time, then id."""
    return list(db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event_id, Registration.status == WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
    ))


def absent_registrations(event_id):
    """Confirmed registrations of the event not checked in and not yet marked as no-shows."""
    return list(db.session.scalars(
        sa.select(Registration).where(
            Registration.event_id == event_id, Registration.status == CONFIRMED,
            Registration.checked_in_at.is_(None), Registration.no_show.is_(False),
        ).order_by(Registration.id)
    ))


# --- writing a new registration ------------------------------------------------------------------

# The message's columns the INSERT names: every column without a value here gets none at all on
# PostgreSQL's WITH form (which names its columns itself), so the delivery bookkeeping is given too.
MESSAGE_COLUMNS = (
    "user_id", "kind", "channel", "recipient", "locale", "subject", "body", "event_id", "status", "created_at",
    "attempts", "next_attempt_at",
)


@functools.cache
def _insert_statements(dialect_name):
    """(the registration's columns, the statements that write a new registration, its needs and its
    message). On PostgreSQL one statement writes all three (the first two as WITH ... INSERT parts);
    SQLite, which has no INSERT inside WITH, takes three."""
    table, needs, outbox = Registration.__table__, RegistrationNeed.__table__, OutboxMessage.__table__
    columns = tuple(column.key for column in table.columns)
    if dialect_name != "postgresql":
        return columns, (sa.insert(table), sa.insert(needs), sa.insert(outbox))
    new_registration = sa.insert(table).values(
        {key: sa.bindparam(f"r_{key}", type_=table.c[key].type) for key in columns}
    ).cte("new_registration")
    codes = sa.func.unnest(sa.bindparam("need_codes", type_=postgresql.ARRAY(needs.c.code.type)))
    new_needs = sa.insert(needs).from_select(
        ["registration_id", "code"], sa.select(sa.bindparam("r_id", type_=table.c.id.type), codes)
    ).cte("new_needs")
    message = sa.insert(outbox).values(
        {key: sa.bindparam(f"m_{key}", type_=outbox.c[key].type) for key in MESSAGE_COLUMNS}
    )
    return columns, (message.add_cte(new_registration, new_needs),)


def _message_row(message, registration):
    """The outbox row's values with the defaults a statement naming every column must give itself."""
    return {"status": QUEUED, "created_at": registration.created_at, "attempts": 0,
            "next_attempt_at": registration.created_at, **message}


def write_new_registration(registration, message, fast=True):
    """Write a new registration (transient, its id given, filled: status, needs, times), its needs
    and its message (the outbox row's values), and make it a persistent object of the session as if
    it had been read back: nothing left to flush, its needs in place, its event and user (set on
    it, and in the session) reached without a query. A second active registration of the resident
    for the event raises IntegrityError (the partial unique index).

    ``fast=False``: the same rows through the ORM's unit of work (the reference for the tests)."""
    if not fast:
        db.session.add(registration)
        db.session.add(OutboxMessage(**_message_row(message, registration)))
        db.session.flush()
        return registration
    connection = db.session.connection()  # Core statements: nothing for the ORM's execute to do
    columns, statements = _insert_statements(connection.dialect.name)
    values = {key: getattr(registration, key) for key in columns}
    codes = [row.code for row in registration.need_rows]
    message_row = _message_row(message, registration)
    if len(statements) == 1:
        parameters = {f"r_{key}": value for key, value in values.items()}
        parameters.update({f"m_{key}": message_row[key] for key in MESSAGE_COLUMNS}, need_codes=codes)
        connection.execute(statements[0], parameters)
    else:
        write_registration, write_needs, write_message = statements
        connection.execute(write_registration, values)
        if codes:
            connection.execute(write_needs, [{"registration_id": registration.id, "code": code} for code in codes])
        connection.execute(write_message, message_row)
    # The rows are written: the objects become what a read would have given (the attributes set on
    # them, the event and user among them, count as loaded).
    for row in registration.need_rows:
        row.registration_id = registration.id
        make_transient_to_detached(row)
    make_transient_to_detached(registration)
    db.session.add(registration)
    return registration


# --- the end of every operation -----------------------------------------------------------------


def commit(keep_loaded=False):
    """Commit; on a constraint violation roll back and re-raise.

    ``keep_loaded``: what the operation read under the lock and wrote stays loaded after the
    commit instead of expiring (the database now holds exactly those values), so the answer
    built from it needs no second read (three statements fewer for the API's answer).
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
