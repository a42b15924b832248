"""Messages waiting to be delivered by e-mail or SMS (delivery is a later piece of work)."""
import sqlalchemy as sa
from sqlalchemy.orm import relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db

EMAIL, SMS = "email", "sms"
QUEUED, SENT, FAILED = "queued", "sent", "failed"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.CheckConstraint("channel IN ('email', 'sms')", name="known_channel"),
        sa.CheckConstraint("status IN ('queued', 'sent', 'failed')", name="known_status"),
        sa.Index("ix_outbox_messages_status_created", "status", "created_at"),
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

    user = relationship("User")
