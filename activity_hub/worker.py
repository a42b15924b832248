"""The Celery app: the tasks that run in the background and beat's schedule. No business rule lives
here; each task calls a domain's service inside the Flask app context.

Run (README "Messages and background work")::

    CELERY_BROKER_URL=redis://127.0.0.1:6379/1 celery -A activity_hub.worker worker
    CELERY_BROKER_URL=redis://127.0.0.1:6379/1 celery -A activity_hub.worker beat

Any number of workers on any number of hosts; exactly one beat.
"""
from celery import Celery, Task
from celery.signals import worker_process_init

from . import create_app
from .extensions import db
from .messages.dispatch import RELAY_TASK

REMINDERS_TASK = "activity_hub.messages.queue_due_reminders"
COMPLETION_TASK = "activity_hub.events.complete_past_events"


def periodic_tasks(config):
    """Beat's schedule: {entry name: {"task": task name, "schedule": seconds or a crontab}}.
    Periodic work of any domain is added here (reminders, completing past events, purges)."""
    return {
        # The safety net behind the nudges: messages whose nudge was lost, retries that fell due,
        # and messages of a worker that died are delivered within a sweep.
        "relay-outbox-sweep": {"task": RELAY_TASK, "schedule": config["MESSAGE_RELAY_SWEEP_SECONDS"]},
        # Reminders go out in windows (24-12 h and 2-1 h before); a run every 10 minutes keeps each
        # reminder well inside its window, and a run twice writes nothing twice (dedupe keys).
        "queue-due-reminders": {"task": REMINDERS_TASK, "schedule": config["REMINDERS_EVERY_SECONDS"]},
        # Events past their end become "completed", so the dashboard counts them without a click.
        "complete-past-events": {"task": COMPLETION_TASK, "schedule": config["COMPLETION_EVERY_SECONDS"]},
    }


def make_celery(flask_app):
    broker = flask_app.config.get("CELERY_BROKER_URL")
    if not broker:
        raise RuntimeError("the worker and beat need CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/1")

    class AppContextTask(Task):
        def __call__(self, *args, **kwargs):
            with flask_app.app_context():
                try:
                    return self.run(*args, **kwargs)
                finally:
                    db.session.remove()

    celery = Celery("activity_hub", broker=broker, task_cls=AppContextTask)
    celery.conf.update(
        task_ignore_result=True,
        timezone="Asia/Shanghai",
        broker_connection_retry_on_startup=True,
        # A worker takes one task at a time: the relay's tasks are long, and many nudges queued
        # behind one busy worker would idle while another worker is free.
        worker_prefetch_multiplier=1,
        beat_schedule=periodic_tasks(flask_app.config),
    )
    celery.flask_app = flask_app

    # ``shared=False``: the tasks belong to this Celery app only. Shared (Celery's default), each
    # ``make_celery`` would also register its closures with every Celery app finalized later,
    # which then carries two callables under one task name (DuplicateTaskNameWarning).
    @celery.task(name=RELAY_TASK, shared=False)
    def relay_outbox():
        """Deliver due messages until none is due or the time budget is spent."""
        from .messages.relay import relay_until_done

        result = relay_until_done()
        return {"sent": result.sent, "retried": result.retried, "failed": result.failed}

    celery.relay_outbox = relay_outbox

    @celery.task(name=REMINDERS_TASK, shared=False)
    def queue_due_reminders():
        """Queue the reminders now due (the relay delivers them at its next run)."""
        from .messages.reminders import queue_due_reminders as queue

        return queue()

    @celery.task(name=COMPLETION_TASK, shared=False)
    def complete_past_events():
        from .events.completion import complete_past_events as complete

        return {"completed": len(complete())}

    @worker_process_init.connect(weak=False)
    def fresh_connections(**_):
        """A forked pool process must not share the parent's database connections."""
        with flask_app.app_context():
            db.engine.dispose(close=False)

    return celery


_built = {}


def __getattr__(name):
    """``app`` / ``celery`` (what ``celery -A activity_hub.worker`` looks for), ``flask_app`` and
    ``relay_outbox``, built on first use from ``create_app()``'s configuration, so importing this
    module (a test of ``make_celery``) starts nothing."""
    if name not in ("app", "celery", "flask_app", "relay_outbox"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if not _built:
        flask_app = create_app()
        celery = make_celery(flask_app)
        _built.update(app=celery, celery=celery, flask_app=flask_app, relay_outbox=celery.relay_outbox)
    return _built[name]
