"""Login sessions kept on the server, so that ending one really ends it.

A session or remember-me cookie holds ``"<account id>.<key>"``; the key is valid only while its
``LoginSession`` row exists and has not expired. The rows live in the shared database, so any number
of app processes agree at once: logging out deletes the browser's row (a copy of its cookie stops
working too), and ``end_all_sessions`` deletes every row of an account and revokes its API tokens.
Each function here commits its own work.
"""
import functools
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import lazyload

from ..api import tokens as api_tokens
from ..db_types import utcnow
from ..extensions import db
from .models import LoginSession, User

# Why every session of an account ended (for the log; the effect is the same).
PASSWORD_CHANGED = "password_changed"
PASSWORD_RESET = "password_reset"
DEACTIVATED = "deactivated"
LOGGED_OUT_EVERYWHERE = "logged_out_everywhere"


def _digest(key):
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def session_lifetime():
    """How long a login session may be used: as long as the longer of the session cookie's signature
    and the remember-me cookie last, so neither outlives its row."""
    config = current_app.config
    remember = config.get("REMEMBER_COOKIE_DURATION") or timedelta(0)
    if isinstance(remember, (int, float)):
        remember = timedelta(seconds=remember)
    return max(current_app.permanent_session_lifetime, remember)


def start_session(user):
    """A new login session for ``user``, committed; returns what the cookie must hold
    (``"<id>.<key>"``). Expired sessions of every account are cleared on the way."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.execute(sa.delete(LoginSession).where(LoginSession.expires_at <= now))
    db.session.add(LoginSession(user_id=user.id, key_digest=_digest(key), created_at=now,
                                expires_at=now + session_lifetime()))
    db.session.commit()
    return f"{user.id}.{key}"


@functools.cache
def _user_of_session_statement():
    # Built once; one query per request finds the account and checks its session together.
    return (
        sa.select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            User.id == sa.bindparam("user_id"),
            LoginSession.key_digest == sa.bindparam("digest"),
            LoginSession.expires_at > sa.bindparam("now"),
            User.is_active_account.is_(True),
        )
        .options(lazyload(User.role_grants))
    )


def user_of_session(session_id):
    """The active account whose live login session ``session_id`` (``"<id>.<key>"``) names, or None.

    A bare id, an unknown or ended key, an expired session or a switched-off account are all None.
    """
    user_id, _dot, key = str(session_id or "").partition(".")
    if not key or not user_id.isdigit() or len(user_id) > 12 or len(key) > 100:
        return None
    return db.session.execute(
        _user_of_session_statement(), {"user_id": int(user_id), "digest": _digest(key), "now": utcnow()},
    ).scalar()


def end_session(session_id):
    """Log one browser out: its login session ends (committed), whoever holds a copy of the cookie."""
    _user_id, _dot, key = str(session_id or "").partition(".")
    if key:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.key_digest == _digest(key)))
    db.session.commit()


def end_all_sessions(user, reason, commit=True):
    """End every login session, remember-me cookie and API token of ``user`` at once.

    Called when the password is changed or reset, when an administrator switches the account off,
    and for "log out of all devices". ``reason`` is one of the constants above, for the log. With
    ``commit=False`` the caller's own transaction carries the change (e.g. with the new password).
    """
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id))
    api_tokens.revoke_all_tokens(user)
    current_app.logger.info("ended every session of user %s (%s)", user.id, reason)
    if commit:
        db.session.commit()
