"""Queueing messages to users in their own language, on their preferred channel."""
from flask_babel import force_locale

from ..extensions import db
from .models import OutboxMessage
from .preferences import delivery_channel


def message_values(user, kind, render, event=None, dedupe_key=None):
    """The outbox row of a message (``render()`` returns (subject, body) and runs in the user's locale),
    for a caller that writes it in a statement of its own; the column defaults (status, created_at)
    are left to the INSERT."""
    with force_locale(user.locale or "zh_CN"):
        subject, body = render()
        subject, body = str(subject), str(body)
    channel, recipient = delivery_channel(user)
    return dict(
        user_id=user.id,
        kind=kind,
        channel=channel,
        recipient=recipient,
        locale=user.locale or "zh_CN",
        subject=subject[:200],
        body=body,
        event_id=event.id if event is not None else None,
        dedupe_key=dedupe_key,
    )


def queue_message(user, kind, render, event=None, dedupe_key=None):
    """Queue a message; ``render()`` returns (subject, body) and runs in the user's locale.

    The message joins the session's unit of work (many messages of one operation go in one
    INSERT at the next flush)."""
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
