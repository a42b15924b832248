"""Personal API tokens.

Only a SHA-256 digest of a token is stored: a database leak gives away no usable
token, and the plain token is shown to its owner once, when it is created. A
random 256-bit token needs no slow hash (there is nothing to brute-force).
"""
import sqlalchemy as sa
from sqlalchemy.orm import relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __table_args__ = (
        sa.Index("ix_api_tokens_user_revoked", "user_id", "revoked_at"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    name = sa.Column(sa.String(80), nullable=False)
    # Hex SHA-256 of the whole token; the lookup key.
    token_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    # The first characters of the token, so its owner can tell their tokens apart.
    token_prefix = sa.Column(sa.String(12), nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at = sa.Column(UTCDateTime)
    revoked_at = sa.Column(UTCDateTime)
    # A token stops working at this time (config API_TOKEN_DAYS after it was made): one copied long
    # ago into a forgotten program does not stay a way into the account for ever.
    expires_at = sa.Column(UTCDateTime, nullable=False)

    user = relationship("User")

    @property
    def is_active(self):
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= utcnow()

    def __repr__(self):
        return f"<ApiToken {self.id} {self.token_prefix}… user={self.user_id}>"
