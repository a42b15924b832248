"""The secret links of personal calendar feeds.

Only a SHA-256 digest of each link's secret is stored: a copy of the database
does not let anyone read another person's calendar. One live link per user and
kind of feed; resetting it replaces the digest, so the old link stops at once.
"""
import sqlalchemy as sa

from ..db_types import UTCDateTime, utcnow
from ..extensions import db

REGISTRATIONS = "registrations"
ASSIGNMENTS = "assignments"
FEED_KINDS = (REGISTRATIONS, ASSIGNMENTS)


class CalendarFeedToken(db.Model):
    __tablename__ = "calendar_feed_tokens"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", name="uq_calendar_feed_tokens_user_kind"),
        sa.CheckConstraint("kind IN ('registrations', 'assignments')", name="known_kind"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    kind = sa.Column(sa.String(20), nullable=False)
    # Hex SHA-256 of the secret in the feed's URL; the secret itself is never stored.
    token_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)

    def __repr__(self):
        return f"<CalendarFeedToken user={self.user_id} {self.kind}>"
