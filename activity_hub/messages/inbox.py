"""A person's messages on the site ("我的消息"): every message written to them is a row of
``outbox_messages`` whatever channel it went by, so the inbox is those rows, newest first.

Reading is per person only (``lookups.own_message`` loads one); marking read is the only change
a person makes to their messages, and it never touches the delivery columns the relay owns.
"""
from dataclasses import dataclass
from math import ceil

import sqlalchemy as sa

from ..db_types import utcnow
from ..events.models import Event
from ..extensions import db
from .models import OutboxMessage

PER_PAGE = 20
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class InboxEntry:
    """One message of a page, with the title of the event it is about (None: no event, or the
    event was deleted)."""

    message: OutboxMessage
    event_title: str | None


@dataclass(frozen=True)
class InboxPage:
    entries: list
    total: int
    unread: int
    page: int
    per_page: int

    @property
    def pages(self):
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


def _owned_by(user_id):
    return OutboxMessage.user_id == user_id


def inbox_page(user, page=1, per_page=PER_PAGE):
    """The ``page``-th page of ``user``'s messages, newest first, with how many there are and how
    many are unread. Three statements whatever the page's size: the counts and the page itself
    (each message joined to its event's title)."""
    page = max(1, int(page))
    per_page = min(max(1, int(per_page)), MAX_PER_PAGE)
    total, unread = db.session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(OutboxMessage.read_at.is_(None)))
        .where(_owned_by(user.id))
    ).one()
    rows = db.session.execute(
        sa.select(OutboxMessage, Event.title)
        .outerjoin(Event, Event.id == OutboxMessage.event_id)
        .where(_owned_by(user.id))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return InboxPage([InboxEntry(message, title) for message, title in rows], total, unread, page, per_page)


def unread_count(user_id):
    """How many of the person's messages they have not opened yet: one statement."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage)
        .where(_owned_by(user_id), OutboxMessage.read_at.is_(None))
    )


def event_title(message):
    """The title of the event a message is about, or None."""
    if message.event_id is None:
        return None
    return db.session.scalar(sa.select(Event.title).where(Event.id == message.event_id))


def mark_read(message):
    """Record that the owner opened ``message`` (the first time only) and commit. Only ``read_at``
    is written, by a conditional UPDATE, so a relay worker updating the delivery columns of the
    same row at the same moment loses nothing."""
    if message.read_at is not None:
        return message
    now = utcnow()
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return message


def mark_all_read(user):
    """Mark every unread message of ``user`` read and commit; returns how many were unread."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(_owned_by(user.id), OutboxMessage.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount
