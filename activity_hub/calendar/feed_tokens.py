"""Secret links for personal calendar feeds: issue, reset and resolve them.

Calendar apps cannot log in, so a personal feed is read with a long random
secret in its URL. The secret is shown to its owner once and only its SHA-256
digest is kept; a link is looked up by that digest and opens exactly one feed
of one person, nothing else.
"""
import hashlib
import hmac
import secrets
from typing import NamedTuple

import sqlalchemy as sa

from ..db_types import utcnow
from ..extensions import db
from .models import FEED_KINDS, CalendarFeedToken

SECRET_BYTES = 32
# token_urlsafe(32) gives 43 characters; anything far from that is not one of ours.
SECRET_LENGTH_RANGE = (40, 64)


class FeedOwner(NamedTuple):
    user_id: int
    locale: str


def _digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def feed_links(user_id):
    """{kind: CalendarFeedToken} of the links the user has (never the secrets)."""
    rows = db.session.scalars(sa.select(CalendarFeedToken).where(CalendarFeedToken.user_id == user_id))
    return {row.kind: row for row in rows}


def issue_feed_link(user_id, kind):
    """Create the user's link for ``kind``, or replace it; returns the new secret (committed).

    Replacing the stored digest is what makes the previous link stop at once.
    """
    if kind not in FEED_KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    secret = secrets.token_urlsafe(SECRET_BYTES)
    row = db.session.scalar(
        sa.select(CalendarFeedToken)
        .where(CalendarFeedToken.user_id == user_id, CalendarFeedToken.kind == kind)
        .with_for_update()
    )
    if row is None:
        row = CalendarFeedToken(user_id=user_id, kind=kind)
        db.session.add(row)
    row.token_hash = _digest(secret)
    row.created_at = utcnow()
    db.session.commit()
    return secret


def resolve_feed_link(secret, kind):
    """The owner (id and language) whose ``kind`` feed a secret opens, or None.

    Looked up by digest (an index hit, no secret in the database to compare
    against); the final comparison is constant-time all the same.
    """
    if not secret or not (SECRET_LENGTH_RANGE[0] <= len(secret) <= SECRET_LENGTH_RANGE[1]):
        return None
    digest = _digest(secret)
    from ..auth.models import User

    row = db.session.execute(
        sa.select(CalendarFeedToken.user_id, CalendarFeedToken.kind, CalendarFeedToken.token_hash, User.locale)
        .join(User, User.id == CalendarFeedToken.user_id)
        .where(CalendarFeedToken.token_hash == digest, User.is_active_account.is_(True))
    ).one_or_none()
    if row is None:
        return None
    if not (hmac.compare_digest(row.token_hash, digest) and hmac.compare_digest(row.kind, kind)):
        return None
    return FeedOwner(row.user_id, row.locale)
