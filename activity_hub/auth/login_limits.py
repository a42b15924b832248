"""Limits on failed logins, per account and per client address, without any CAPTCHA.

Counters must be shared by every app process on every host, so they live in the
database by default, or in Redis when ``REDIS_URL`` is configured. A login is
refused while the account or the address has used up its failures within the
window (``LOGIN_FAILURE_WINDOW_SECONDS``); the refusal itself is not counted, so
waiting always ends a lockout.
"""
import math
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..db_types import utcnow
from ..extensions import db
from .models import LoginFailure

KEY_MAX = 250


def _printable(text):
    return "".join(ch for ch in text if ch.isprintable())[:KEY_MAX]


def _keys(login, address):
    """(counter key, limit) for the account and the address; logins are compared case-insensitively."""
    keys = []
    if login:
        keys.append(("account:" + _printable(login.strip().lower()), current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]))
    if address:
        keys.append(("address:" + _printable(address), current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]))
    return keys


def window_seconds():
    return current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]


def lockout_minutes():
    """How long a lockout lasts at most, in whole minutes (for the message)."""
    return max(1, math.ceil(window_seconds() / 60))


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("activity_hub_redis")
    if client is None:
        import redis

        # Bounded waits: a Redis that does not answer costs at most this before the database counts.
        timeout = current_app.config.get("REDIS_SOCKET_TIMEOUT_SECONDS", 0.5)
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        current_app.extensions["activity_hub_redis"] = client
    return client


def _redis_key(key):
    return current_app.config.get("REDIS_KEY_PREFIX", "") + "login-failures:" + key


def _with_redis(action):
    """Run ``action(client)`` against Redis; None when Redis is not configured or not answering.

    If Redis is down, the counters fall back to the database (which every process
    shares as well) instead of making logging in fail altogether.
    """
    client = _redis()
    if client is None:
        return None
    import redis

    try:
        return action(client)
    except redis.RedisError:
        current_app.logger.warning("Redis is not answering; counting failed logins in the database", exc_info=True)
        return None


def failure_count(key):
    """Failures counted for one key within the window."""
    count = _with_redis(lambda client: int(client.get(_redis_key(key)) or 0))
    if count is not None:
        return count
    since = utcnow() - timedelta(seconds=window_seconds())
    return db.session.scalar(
        sa.select(sa.func.count(LoginFailure.id)).where(LoginFailure.key == key, LoginFailure.failed_at > since)
    )


def is_locked(login, address):
    """True when the account or the address has used up its failures in the window."""
    return any(failure_count(key) >= limit for key, limit in _keys(login, address))


def record_failure(login, address):
    """Count a failed attempt (committed at once, so a later rollback cannot lose it).

    Redis keeps a fixed window per key: the first failure starts it, and the
    counter disappears when it ends. The database keeps one row per failure and
    counts the rows inside a sliding window.
    """
    keys = [key for key, _limit in _keys(login, address)]

    def count_in_redis(client):
        pipe = client.pipeline()
        for key in keys:
            pipe.incr(_redis_key(key))
            pipe.expire(_redis_key(key), window_seconds(), nx=True)
        return pipe.execute()

    if _with_redis(count_in_redis) is not None:
        return
    now = utcnow()
    for key in keys:
        db.session.add(LoginFailure(key=key, failed_at=now))
    # Prune old rows so the table stays small.
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.failed_at < now - timedelta(seconds=window_seconds())))
    db.session.commit()


def clear_failures(login):
    """A successful login clears the account's counter (not the address's)."""
    keys = [key for key, _limit in _keys(login, None)]
    if not keys:
        return
    _with_redis(lambda client: client.delete(*[_redis_key(key) for key in keys]))
    # Also in the database, where failures were counted while Redis was away (if ever).
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.key.in_(keys)))
