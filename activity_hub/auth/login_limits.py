"""Limits on failed logins, per account and per client address, without any CAPTCHA.

Counters must be shared by every app process on every host, so they live in the
database by default, or in Redis when ``REDIS_URL`` is configured.
"""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..db_types import utcnow
from ..extensions import db
from .models import LoginFailure


def _keys(login, address):
    keys = []
    if login:
        keys.append(("account:" + login.strip().lower()[:250], current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]))
    if address:
        keys.append(("address:" + address[:250], current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]))
    return keys


def _window():
    return current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("activity_hub_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url)
        current_app.extensions["activity_hub_redis"] = client
    return client


def is_locked(login, address):
    """True when the account or the address has used up its failures in the window."""
    redis_client = _redis()
    for key, limit in _keys(login, address):
        if redis_client is not None:
            count = int(redis_client.get("login-failures:" + key) or 0)
        else:
            since = utcnow() - timedelta(seconds=_window())
            count = db.session.scalar(
                sa.select(sa.func.count(LoginFailure.id)).where(LoginFailure.key == key, LoginFailure.failed_at > since)
            )
        if count >= limit:
            return True
    return False


def record_failure(login, address):
    """Count a failed attempt (committed at once, so a later rollback cannot lose it)."""
    redis_client = _redis()
    if redis_client is not None:
        for key, _limit in _keys(login, address):
            pipe = redis_client.pipeline()
            pipe.incr("login-failures:" + key)
            pipe.expire("login-failures:" + key, _window(), nx=True)
            pipe.execute()
        return
    now = utcnow()
    for key, _limit in _keys(login, address):
        db.session.add(LoginFailure(key=key, failed_at=now))
    # Prune old rows so the table stays small.
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.failed_at < now - timedelta(seconds=_window())))
    db.session.commit()


def clear_failures(login):
    """A successful login clears the account's counter (not the address's)."""
    redis_client = _redis()
    keys = [key for key, _limit in _keys(login, None)]
    if redis_client is not None:
        for key in keys:
            redis_client.delete("login-failures:" + key)
        return
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.key.in_(keys)))
