"""Writing a new registration: its row, its needs and the resident's message, with plain INSERTs.

The unit of work's flush of a new Registration, its needs and an OutboxMessage costs more CPU than the
statements themselves, and it runs while the event row is locked (``registration.register``). The id
is taken first, under the lock, so the message (a confirmed one names the check-in code) is rendered
before anything is written, and on PostgreSQL the three rows go in one statement.
"""
import functools

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import make_transient_to_detached

from ..extensions import db
from ..messages.models import QUEUED, OutboxMessage
from .availability import constant
from .models import Registration, RegistrationNeed


def next_registration_id(dialect_name):
    """A column giving the id of the next registration, for the query that runs under the event's lock
    (so ids follow the order in which registrations get the lock)."""
    if dialect_name == "postgresql":
        return sa.func.nextval(sa.func.pg_get_serial_sequence(constant(Registration.__tablename__), constant("id")))
    # SQLite gives a new row max(id) + 1 (the table has no AUTOINCREMENT), and BEGIN IMMEDIATE lets
    # no other writer in until this transaction ends.
    return sa.select(sa.func.coalesce(sa.func.max(Registration.id), constant(0)) + constant(1)).scalar_subquery()


@functools.cache
def _insert_statements(dialect_name):
    """(the registration's columns, the statements that write a new registration, its needs and its
    message). On PostgreSQL one statement writes all three (the first two as WITH ... INSERT parts);
    SQLite, which has no INSERT inside WITH, takes three."""
    table, needs, outbox = Registration.__table__, RegistrationNeed.__table__, OutboxMessage.__table__
    columns = tuple(column.key for column in table.columns)
    message_columns = (
        "user_id", "kind", "channel", "recipient", "locale", "subject", "body", "event_id", "status", "created_at",
        "attempts", "next_attempt_at",
    )
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
        {key: sa.bindparam(f"m_{key}", type_=outbox.c[key].type) for key in message_columns}
    )
    return columns, (message.add_cte(new_registration, new_needs),)


def insert_registration(registration, message):
    """INSERT a new registration (transient, its id given, fully filled), its needs and its message
    (the outbox row's values), then make the registration a persistent object of the session as if
    it had been read back: nothing left to flush, its event, user and needs in place."""
    connection = db.session.connection()  # Core statements: nothing for the ORM's execute to do
    columns, statements = _insert_statements(connection.dialect.name)
    values = {key: getattr(registration, key) for key in columns}
    codes = [row.code for row in registration.need_rows]
    if len(statements) == 1:
        parameters = {f"r_{key}": value for key, value in values.items()}
        parameters.update({f"m_{key}": value for key, value in message.items()}, need_codes=codes)
        # The statement names every column (no column defaults apply): the message's are given here.
        parameters.update(m_status=QUEUED, m_created_at=registration.created_at, m_attempts=0,
                          m_next_attempt_at=message.get("next_attempt_at", registration.created_at))
        connection.execute(statements[0], parameters)
    else:
        write_registration, write_needs, write_message = statements
        connection.execute(write_registration, values)
        if codes:
            connection.execute(write_needs, [{"registration_id": registration.id, "code": code} for code in codes])
        connection.execute(write_message, message)
    for row in registration.need_rows:
        row.registration_id = registration.id
        make_transient_to_detached(row)
    make_transient_to_detached(registration)
    db.session.add(registration)
    return registration
