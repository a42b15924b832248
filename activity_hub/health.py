"""``GET /healthz`` for load balancers and monitoring: can this process serve pages? It asks the
database and, when they are configured, Redis and the Celery broker, each with a short timeout.

200 ``{"status": "ok", "checks": {...}}`` or 503 with ``"status": "unavailable"`` and the parts that
failed. No login, nothing personal, never cached. A Redis that is down is reported (503) even though
the pages go on without it (activity_hub/cache_backend.py): the balancer, or whoever watches, should
know; take ``redis`` out of the alert if that is too strict for you.
"""
import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from .extensions import db

bp = Blueprint("health", __name__)

OK, FAILED, NOT_CONFIGURED = "ok", "failed", "not configured"


def _database():
    try:
        db.session.execute(sa.text("SELECT 1"))
        return OK
    except Exception:
        current_app.logger.warning("health check: the database is not answering", exc_info=True)
        return FAILED
    finally:
        db.session.rollback()


def _redis(url, timeout):
    if not url:
        return NOT_CONFIGURED
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
        return OK
    except redis.RedisError:
        current_app.logger.warning("health check: Redis is not answering")
        return FAILED
    finally:
        client.close()


def _broker(url, timeout):
    if not url:
        return NOT_CONFIGURED
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=timeout, transport_options={"socket_timeout": timeout}) as connection:
            connection.ensure_connection(max_retries=0, timeout=timeout)
        return OK
    except Exception:
        current_app.logger.warning("health check: the Celery broker is not answering", exc_info=True)
        return FAILED


def check_health(config):
    """{part: "ok" | "failed" | "not configured"} for the database, Redis and the broker."""
    timeout = max(config.get("REDIS_SOCKET_TIMEOUT_SECONDS", 0.5), 0.5)
    return {
        "database": _database(),
        "redis": _redis(config.get("REDIS_URL"), timeout),
        "broker": _broker(config.get("CELERY_BROKER_URL"), timeout),
    }


@bp.route("/healthz")
def healthz():
    checks = check_health(current_app.config)
    failed = sorted(part for part, state in checks.items() if state == FAILED)
    body = {"status": "unavailable" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
    response = jsonify(body)
    response.status_code = 503 if failed else 200
    response.headers["Cache-Control"] = "no-store"
    return response
