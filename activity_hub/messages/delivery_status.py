"""What became of the messages the site wrote, for the staff: per event (its organizers) what was
sent, grouped by kind, delivered / waiting / failed, the failed ones with the reason; and putting
failed messages back in the queue.

Retrying a failed message (a dead letter) queues it to be sent now with its attempts counted
from zero: the person who retries has usually fixed the cause (a corrected address, the gateway
back), so the message deserves the relay's whole backoff schedule again rather than failing for
good at the first hiccup. The channel and address are taken afresh from the person's account for
the same reason. ``last_error`` is kept, so the reason it failed before stays visible until a new
outcome replaces it.
"""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from ..auth.models import User
from ..db_types import utcnow
from ..events.models import Event
from ..extensions import db
from .models import FAILED, QUEUED, SENDING, SENT, OutboxMessage
from .preferences import delivery_channel

# Kinds written by the domains; an unknown kind is shown by its code.
KIND_LABELS = {
    "registration_confirmed": _l("Registration confirmed"),
    "registration_pending": _l("Registration waiting for approval"),
    "registration_waitlisted": _l("Put on the waiting list"),
    "registration_promoted": _l("Moved up from the waiting list"),
    "registration_approved": _l("Registration approved"),
    "registration_rejected": _l("Registration turned down"),
    "registration_cancelled": _l("Registration cancelled"),
    "event_cancelled": _l("Event cancelled"),
    "event_changed": _l("Event changed"),
    "event_reminder": _l("Reminder before the event"),
    "assignment_proposed": _l("Volunteer shift proposed"),
    "assignment_changed": _l("Volunteer shift changed"),
    "assignment_cancelled": _l("Volunteer shift cancelled"),
    "assignment_declined": _l("Volunteer declined a shift"),
    "assignment_reminder": _l("Volunteer shift reminder"),
    "announcement": _l("Announcement from the organizers"),
}

CHANNEL_LABELS = {
    "email": _l("E-mail"),
    "sms": _l("SMS"),
    "site": _l("On the site only"),
}

# The most failed messages a page lists at once (the figures count them all).
FAILED_LIST_LIMIT = 200


def kind_label(kind):
    return KIND_LABELS.get(kind, kind)


def channel_label(channel):
    return CHANNEL_LABELS.get(channel, channel)


@dataclass(frozen=True)
class KindFigures:
    kind: str
    delivered: int
    waiting: int
    failed: int

    @property
    def label(self):
        return kind_label(self.kind)

    @property
    def total(self):
        return self.delivered + self.waiting + self.failed


@dataclass(frozen=True)
class FailedMessage:
    id: int
    kind: str
    channel: str
    recipient_name: str
    reason: str
    attempts: int
    created_at: datetime
    event_id: int | None
    event_title: str | None

    @property
    def kind_label(self):
        return kind_label(self.kind)

    @property
    def channel_label(self):
        return channel_label(self.channel)


def _count(status_values):
    return sa.func.sum(sa.case((OutboxMessage.status.in_(status_values), 1), else_=0))


def figures_by_kind(event_id):
    """Delivered / waiting / failed for each kind of message of the event (one statement)."""
    rows = db.session.execute(
        sa.select(OutboxMessage.kind, _count((SENT,)), _count((QUEUED, SENDING)), _count((FAILED,)))
        .where(OutboxMessage.event_id == event_id)
        .group_by(OutboxMessage.kind)
        .order_by(OutboxMessage.kind)
    )
    return [KindFigures(kind, int(sent or 0), int(waiting or 0), int(failed or 0))
            for kind, sent, waiting, failed in rows]


def failed_messages(event_id=None, limit=FAILED_LIST_LIMIT):
    """Failed messages, newest first, with the recipient's name and the event's title (one
    statement whatever their number); of one event, or of all when ``event_id`` is None."""
    query = (
        sa.select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.channel, User.display_name,
                  OutboxMessage.last_error, OutboxMessage.attempts, OutboxMessage.created_at,
                  OutboxMessage.event_id, Event.title)
        .join(User, User.id == OutboxMessage.user_id)
        .outerjoin(Event, Event.id == OutboxMessage.event_id)
        .where(OutboxMessage.status == FAILED)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    return [FailedMessage(id, kind, channel, name, reason or "", attempts, created_at, message_event_id, title)
            for id, kind, channel, name, reason, attempts, created_at, message_event_id, title
            in db.session.execute(query)]


def retry_failed(event_id=None, message_ids=None):
    """Put failed messages back in the queue, due now; returns how many.

    Only ``failed`` messages move (one that is queued or sent already is left alone, so a retry
    pressed twice sends nothing twice): those of ``event_id`` (None: any event), and only
    ``message_ids`` when given. Commits."""
    query = sa.select(OutboxMessage).join(OutboxMessage.user).where(OutboxMessage.status == FAILED)
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    if message_ids is not None:
        query = query.where(OutboxMessage.id.in_(list(message_ids) or [-1]))
    # Locked, so a retry and the relay (or two retries) never both move the same message.
    messages = list(db.session.scalars(
        query.options(contains_eager(OutboxMessage.user)).with_for_update(of=OutboxMessage)))
    now = utcnow()
    try:
        for message in messages:
            message.channel, message.recipient = delivery_channel(message.user)
            message.status = QUEUED
            message.attempts = 0
            message.next_attempt_at = now
            message.lease_expires_at = None
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(messages)
