"""Messages to people: one row per message, written by business operations in their own
transaction (the transactional outbox), delivered later by the relay, and kept as the person's
inbox ("我的消息").

Delivery states: ``queued`` (due at ``next_attempt_at``) -> ``sending`` (claimed by a relay worker
until ``lease_expires_at``; a worker that dies leaves the lease to run out and the message is
claimed again) -> ``sent`` (``provider_message_id``, ``sent_at``), or back to ``queued`` with a
later ``next_attempt_at`` after a temporary failure, or ``failed`` (``last_error`` in plain words)
after a permanent failure or the last attempt: a dead letter that staff can see and queue again.
"""
import sqlalchemy as sa
from sqlalchemy.orm import relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db

EMAIL, SMS, SITE = "email", "sms", "site"
CHANNELS = (EMAIL, SMS, SITE)
QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
STATUSES = (QUEUED, SENDING, SENT, FAILED)


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.CheckConstraint("channel IN ('email', 'sms', 'site')", name="known_channel"),
        sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name="known_status"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.Index("ix_outbox_messages_status_created", "status", "created_at"),
        # The relay's claim: due messages by the time they are due.
        sa.Index("ix_outbox_messages_status_due", "status", "next_attempt_at"),
        # A person's inbox, newest first, and its unread count.
        sa.Index("ix_outbox_messages_user_created", "user_id", "created_at"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True)
    # What happened, e.g. "registration_confirmed"; lets tests and reports find messages.
    kind = sa.Column(sa.String(50), nullable=False)
    channel = sa.Column(sa.String(10), nullable=False)
    recipient = sa.Column(sa.String(254), nullable=False)
    locale = sa.Column(sa.String(10), nullable=False)
    subject = sa.Column(sa.String(200), nullable=False)
    body = sa.Column(sa.Text, nullable=False)
    status = sa.Column(sa.String(10), nullable=False, default=QUEUED)
    event_id = sa.Column(sa.Integer, sa.ForeignKey("events.id", ondelete="SET NULL"), index=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    sent_at = sa.Column(UTCDateTime)
    # Delivery bookkeeping (see the module docstring).
    # Filled by the database (server defaults), so every way of writing a message, the registration's
    # Core INSERTs included, gets them.
    attempts = sa.Column(sa.Integer, nullable=False, server_default="0")
    next_attempt_at = sa.Column(UTCDateTime, nullable=False, server_default=sa.func.now())
    lease_expires_at = sa.Column(UTCDateTime)
    last_error = sa.Column(sa.String(500))
    provider_message_id = sa.Column(sa.String(100))
    # When the person opened it in their inbox on the site.
    read_at = sa.Column(UTCDateTime)
    # Set for messages that must be written at most once whatever runs twice (a reminder of one
    # registration, say): a second INSERT with the same key is refused by the database.
    dedupe_key = sa.Column(sa.String(120), unique=True)

    user = relationship("User")


# Who an organizer's announcement goes to.
AUDIENCE_CONFIRMED, AUDIENCE_WAITLIST, AUDIENCE_VOLUNTEERS = "confirmed", "waitlist", "volunteers"
AUDIENCES = (AUDIENCE_CONFIRMED, AUDIENCE_WAITLIST, AUDIENCE_VOLUNTEERS)
ANNOUNCEMENT_KIND = "announcement"


class Announcement(db.Model):
    """An organizer's message to the people of one event, kept with the event: who wrote it, when,
    to whom and to how many. Each recipient's copy is an outbox message of kind ``announcement``
    (written in the same transaction), whose ``dedupe_key`` names this announcement."""

    __tablename__ = "announcements"
    __table_args__ = (
        sa.CheckConstraint("audience IN ('confirmed', 'waitlist', 'volunteers')", name="known_audience"),
        sa.CheckConstraint("recipient_count >= 0", name="recipient_count_not_negative"),
        # The event's announcements, newest first.
        sa.Index("ix_announcements_event_created", "event_id", "created_at"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    event_id = sa.Column(sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False)
    author_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True)
    audience = sa.Column(sa.String(20), nullable=False)
    # Only the registrants with this need (a code of accessibility.NEEDS); None for everyone.
    need = sa.Column(sa.String(40))
    subject = sa.Column(sa.String(100), nullable=False)
    body = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    recipient_count = sa.Column(sa.Integer, nullable=False)
    # The key of the preview the organizer confirmed: pressing "Send" twice sends once.
    submission_key = sa.Column(sa.String(64), unique=True)

    event = relationship("Event")
    author = relationship("User")
