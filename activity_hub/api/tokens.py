"""Personal API tokens: creating, listing, revoking and authenticating them,
and exchanging a login and password for a token under the login form's limits."""
import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import lazyload

from ..auth import accounts, login_limits
from ..auth.models import CODE_PURPOSES, User
from ..db_types import utcnow
from ..extensions import db
from .models import ApiToken

TOKEN_PREFIX = "ahp_"
NAME_MAX = 80
# Writing last_used_at on every request would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class TokenExpired(Exception):
    """The token was right but its time is over (``expires_at``): the caller is told so plainly."""

    def __init__(self, expires_at):
        super().__init__(f"expired at {expires_at}")
        self.expires_at = expires_at


def token_lifetime():
    from flask import current_app

    return timedelta(days=current_app.config["API_TOKEN_DAYS"])


class TokenError(ValueError):
    """A token could not be issued; ``code`` is machine-readable, ``message`` translated."""

    def __init__(self, code, message, field=None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


def _digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user, name):
    """Issue a token for ``user`` and commit. Returns (ApiToken, plain token): the plain token
    exists only in this return value. A refused name (TokenError) is refused before anything is written."""
    from flask_babel import lazy_gettext as _l

    name = (name or "").strip()
    if not name:
        raise TokenError("name_required", _l("Enter a name for the token, like “my phone”"), "name")
    if len(name) > NAME_MAX:
        raise TokenError("name_too_long", _l("The token name must be 80 characters or fewer"), "name")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user_id=user.id, name=name, token_hash=_digest(plain), token_prefix=plain[:12],
                     created_at=now, expires_at=now + token_lifetime())
    db.session.add(token)
    db.session.commit()
    return token, plain


def active_tokens(user):
    """``user``'s tokens that still work (neither revoked nor expired), newest first."""
    return list(db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow())
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def find_own_token(user, token_id):
    """The user's active token with this id, or None (another user's token is None too)."""
    return db.session.scalar(
        sa.select(ApiToken).where(
            ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(),
        )
    )


def revoke_all_tokens(user):
    """Revoke every token of ``user`` (not committed: part of ending all their sessions, which commits)."""
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )


def revoke_token(token):
    """Revoke and commit. The row stays, so the owner's history is kept."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    db.session.commit()


# Statements built once, at import: constructing one costs more CPU than running it. Plain
# constants (immutable, nothing to go stale), not caches: see caching.py.
# The token's few columns, not an ApiToken object: only the user is needed as an object.
TOKEN_AND_USER_STATEMENT = (
    sa.select(ApiToken.id, ApiToken.token_hash, ApiToken.revoked_at, ApiToken.last_used_at, ApiToken.expires_at, User)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == sa.bindparam("digest"))
    .options(lazyload(User.role_grants))
)
TOUCH_STATEMENT = (
    sa.update(ApiToken.__table__).where(ApiToken.__table__.c.id == sa.bindparam("token_id"))
    .values(last_used_at=sa.bindparam("now"))
)


class TokenSeen(NamedTuple):
    id: int
    last_used_at: object


def authenticate(plain):
    """(the active user owning this active token, the token's id and last use (a TokenSeen), when its
    use was recorded or None), or None. A right token past its ``expires_at`` raises TokenExpired.

    One query loads both (the user's roles are loaded only if a view asks for them). When
    last_used_at is more than ``LAST_USED_RESOLUTION`` old it is moved in the current
    transaction (not committed: the caller saves it with the request's own transaction).
    """
    if not plain or not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    digest = _digest(plain)
    row = db.session.execute(TOKEN_AND_USER_STATEMENT, {"digest": digest}).first()
    if row is None:
        return None
    token_id, token_hash, revoked_at, last_used_at, expires_at, user = row
    # The lookup is by digest, so timing reveals nothing of the stored value; compare anyway.
    if not hmac.compare_digest(token_hash, digest) or revoked_at is not None:
        return None
    if not user.is_active:
        return None
    now = utcnow()
    if expires_at <= now:
        raise TokenExpired(expires_at)
    if last_used_at is not None and now - last_used_at <= LAST_USED_RESOLUTION:
        return user, TokenSeen(token_id, last_used_at), None
    # A plain UPDATE on the session's connection: no unit-of-work flush, no ORM execute, for one column.
    db.session.connection().execute(TOUCH_STATEMENT, {"token_id": token_id, "now": now})
    return user, TokenSeen(token_id, now), now


def record_use(token_id, when):
    """Save a token's last use when the request's own transaction did not (it was rolled back)."""
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.id == token_id, sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < when))
        .values(last_used_at=when)
    )
    db.session.commit()


def token_for_password(login, password, name, address):
    """Check a login and password exactly like the log-in form (same failure limits), then
    issue a token. Commits. Raises TokenError("too_many_attempts" | "invalid_credentials" |
    "account_switched_off")."""
    from flask_babel import lazy_gettext as _l

    parsed = accounts.normalise_login(login)
    account_key = parsed[1] if parsed else login
    if login_limits.is_locked(account_key, address):
        raise TokenError("too_many_attempts", _l(
            "Too many failed attempts. For your safety, logging in is paused for 15 minutes."
        ))
    # authenticate() hashes a dummy password for an unknown login: the answer takes as long.
    try:
        user = accounts.authenticate(login, password)
    except accounts.AccountSwitchedOff as error:
        db.session.rollback()
        raise TokenError("account_switched_off", error.message) from None
    if user is None:
        db.session.rollback()
        login_limits.record_failure(account_key, address)
        raise TokenError("invalid_credentials", _l("The mobile number, e-mail address or password is not right"))
    login_limits.clear_failures(account_key)
    return create_token(user, name)


def token_for_code(login, code, name, address):
    """Exchange a login and a code sent by ``POST /auth/code`` for a token, under the same limits
    (``auth.login_codes``). Commits. Raises TokenError("too_many_attempts" | "invalid_code")."""
    from ..auth import login_codes

    try:
        user = login_codes.log_in_with_code(login, code, address, purposes=CODE_PURPOSES)
    except login_codes.CodeRefused as refused:
        raise TokenError(refused.code, refused.message) from None
    return create_token(user, name)
