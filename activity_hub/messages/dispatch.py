"""The nudge: once a session that wrote outbox rows commits, ask the relay to deliver them now,
so messages leave within seconds instead of waiting for beat's sweep (the safety net).

How, by ``MESSAGE_DELIVERY`` (derived from ``CELERY_BROKER_URL`` when not set):

- ``celery``: send the relay task to the broker. A broker that is down never fails the request:
  the warning is logged and the sweep delivers the messages within a minute.
- ``in_process`` (``make run``, no broker): run the relay in this process. Inside a request it runs
  once the response has been sent (``call_on_close``), so the page never waits for a mail server;
  elsewhere (a CLI command, a task) at once, after the commit. Either way in an app context of its
  own, hence a session of its own: the committing session can run no SQL in ``after_commit``.
- ``off``: nothing (the tests' default; they call the relay themselves).
"""
import logging

import sqlalchemy as sa
from flask import after_this_request, current_app, has_app_context, has_request_context

from ..extensions import db

log = logging.getLogger(__name__)

CELERY, IN_PROCESS, OFF = "celery", "in_process", "off"
# The relay task's name, shared by the worker (which runs it) and this module (which sends it by
# name, so the web app never imports the Celery app).
RELAY_TASK = "activity_hub.messages.relay_outbox"
_OUTBOX_WRITTEN = "activity_hub.outbox_written"


def mark_outbox_written(session):
    """Called by whatever writes outbox rows in ``session``: the commit will nudge the relay."""
    session.info[_OUTBOX_WRITTEN] = True


def delivery_mode(app):
    mode = app.config.get("MESSAGE_DELIVERY")
    if not mode:
        return CELERY if app.config.get("CELERY_BROKER_URL") else IN_PROCESS
    if mode not in (CELERY, IN_PROCESS, OFF):
        raise RuntimeError(f"MESSAGE_DELIVERY must be one of celery, in_process, off (not {mode!r})")
    if mode == CELERY and not app.config.get("CELERY_BROKER_URL"):
        raise RuntimeError("MESSAGE_DELIVERY=celery needs CELERY_BROKER_URL")
    return mode


@sa.event.listens_for(db.session, "after_commit")
def _after_commit(session):
    if session.info.pop(_OUTBOX_WRITTEN, False) and has_app_context():
        nudge_relay(current_app._get_current_object())


@sa.event.listens_for(db.session, "after_rollback")
def _after_rollback(session):
    session.info.pop(_OUTBOX_WRITTEN, None)


def nudge_relay(app):
    mode = delivery_mode(app)
    if mode == CELERY:
        _send_relay_task(app)
    elif mode == IN_PROCESS:
        if has_request_context():
            @after_this_request
            def _deliver_after_response(response):
                response.call_on_close(lambda: _relay_in_process(app))
                return response
        else:
            _relay_in_process(app)


def _relay_in_process(app):
    from .relay import relay_until_done

    try:
        with app.app_context():
            try:
                relay_until_done()
            finally:
                db.session.remove()
    except Exception:  # the message stays queued; the next nudge or a sweep delivers it
        log.exception("in-process delivery of queued messages failed")


def _send_relay_task(app):
    try:
        _producer(app).send_task(RELAY_TASK, retry=False, ignore_result=True)
    except Exception as exc:
        log.warning("could not ask the relay to deliver new messages (%s); beat's sweep will", exc)


def _producer(app):
    """One Celery client per app, used only to send tasks by name (no task code is loaded)."""
    client = app.extensions.get("activity_hub.celery_producer")
    if client is None:
        from celery import Celery

        client = Celery("activity_hub", broker=app.config["CELERY_BROKER_URL"], set_as_current=False)
        client.conf.update(broker_connection_timeout=2, broker_connection_retry=False,
                           broker_transport_options={"socket_connect_timeout": 2, "socket_timeout": 2},
                           task_ignore_result=True)
        app.extensions["activity_hub.celery_producer"] = client
    return client
