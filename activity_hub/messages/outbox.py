"""Queueing messages to users in their own language, on their preferred channel.

Both ways of queueing mark the session (``dispatch.mark_outbox_written``), so that once the session
commits the relay is asked to deliver at once (``dispatch``); nothing is sent before the commit.
"""
from flask_babel import force_locale

from ..db_types import utcnow
from ..extensions import db
from . import dispatch, quiet_hours
from .models import OutboxMessage
from .preferences import delivery_channel


def message_values(user, kind, render, event=None, dedupe_key=None):
    """The outbox row of a message (``render()`` returns (subject, body) and runs in the user's locale),
    for a caller that writes it in a statement of its own; the column defaults (status, created_at,
    next_attempt_at) are left to the INSERT, except that an SMS queued in the quiet hours gets its
    ``next_attempt_at`` in the morning (``quiet_hours``)."""
    with force_locale(user.locale or "zh_CN"):
        subject, body = render()
        subject, body = str(subject), str(body)
    channel, recipient = delivery_channel(user)
    values = dict(
        user_id=user.id,
        kind=kind,
        channel=channel,
        recipient=recipient,
        locale=user.locale or "zh_CN",
        subject=subject[:200],
        body=body,
        event_id=event.id if event is not None else None,
    )
    now = utcnow()
    send_from = quiet_hours.earliest_send_time(channel, kind, now, event.starts_at if event is not None else None)
    if send_from != now:
        values["next_attempt_at"] = send_from
    if dedupe_key is not None:
        values["dedupe_key"] = dedupe_key
    dispatch.mark_outbox_written(db.session)
    return values


def queue_message(user, kind, render, event=None, dedupe_key=None):
    """Queue a message; ``render()`` returns (subject, body) and runs in the user's locale.

    The message joins the session's unit of work (many messages of one operation go in one
    INSERT at the next flush).

    ``dedupe_key`` makes the message one of a kind whatever runs twice (a reminder of one
    registration, say: ``f"reminder:day_before:{registration.id}"``). The column is unique, so a
    second message with the same key is refused by the database: the flush or commit raises
    ``IntegrityError``. A caller that may run twice queues such messages in a savepoint
    (``db.session.begin_nested()``) and treats that error as "already queued"."""
    message = OutboxMessage(**message_values(user, kind, render, event, dedupe_key))
    db.session.add(message)
    return message


def insert_unless_written(rows):
    """Write outbox rows (``message_values`` with a ``dedupe_key``) in one statement, skipping any
    whose key is already taken, by a run before or by another worker at this very moment
    (INSERT ... ON CONFLICT DO NOTHING); returns the ids written. Part of the caller's transaction."""
    if not rows:
        return []
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the app runs on PostgreSQL and SQLite only
        raise NotImplementedError(dialect)
    statement = (insert(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"])
                 .returning(OutboxMessage.id))
    return list(db.session.scalars(statement, rows))
