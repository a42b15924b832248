"""Messages through real Celery workers with one of them killed (``kill -9``) mid-run: how many were
delivered, how many twice, how long it took (issue 12's figure: 10,000 messages, two workers).

    python -m bench.message_relay --database-url postgresql+psycopg://... [--broker-url redis://127.0.0.1:6379/2]

Needs PostgreSQL (the workers share it) and Redis (the broker). It starts beat and two workers
(``-P solo``) with every channel on ``bench.recording_channel``, queues the messages for a user of
its own, nudges both workers, kills one once a share of the messages is delivered, waits until every
message is recorded sent, and counts the recording channel's lines. Its rows are deleted afterwards.
"""
import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import redis
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RECORDING_CHANNEL = "bench.recording_channel"


def broker_keys_cleared(broker_url):
    """Drop what an earlier run may have left in the broker's database (queued tasks, bindings)."""
    client = redis.Redis.from_url(broker_url)
    try:
        keys = [b"celery", b"unacked", b"unacked_index", b"unacked_mutex", *client.keys("_kombu.binding.*")]
        client.delete(*keys)
    finally:
        client.close()


def queue_messages(app, count):
    """A user of the run's own and ``count`` due e-mail messages to them; -> user id."""
    from activity_hub.auth import accounts
    from activity_hub.db_types import utcnow
    from activity_hub.extensions import db
    from activity_hub.messages.models import OutboxMessage

    with app.app_context():
        db.create_all()
        user = accounts.create_user(f"relay-run-{os.getpid()}-{time.time_ns()}@example.org", "投递测试",
                                    "relay run password 1")
        db.session.commit()
        now = utcnow() - timedelta(seconds=1)
        rows = [dict(user_id=user.id, kind="announcement", channel="email", recipient=f"r{n}@example.org",
                     locale="zh_CN", subject="通知", body=f"第{n}条", status="queued", created_at=now,
                     next_attempt_at=now) for n in range(count)]
        for start in range(0, count, 2000):
            db.session.execute(sa.insert(OutboxMessage.__table__), rows[start:start + 2000])
        db.session.commit()
        user_id = user.id
        db.session.remove()
        return user_id


def outcome_counts(app, user_id):
    from activity_hub.extensions import db
    from activity_hub.messages.models import OutboxMessage

    with app.app_context():
        counts = dict(db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count()).where(OutboxMessage.user_id == user_id)
            .group_by(OutboxMessage.status)).all())
        reclaimed = db.session.scalar(sa.select(sa.func.count()).where(
            OutboxMessage.user_id == user_id, OutboxMessage.attempts > 1))
        ids = set(db.session.scalars(sa.select(OutboxMessage.id).where(OutboxMessage.user_id == user_id)))
        db.session.remove()
    return counts, reclaimed, ids


def delete_run_rows(app, user_id):
    from activity_hub.auth.models import User
    from activity_hub.extensions import db
    from activity_hub.messages.models import OutboxMessage

    with app.app_context():
        db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.user_id == user_id))
        db.session.execute(sa.delete(User).where(User.id == user_id))
        db.session.commit()
        db.session.remove()


def stop(process):
    """End a process this run started: politely, then by force."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_with_a_kill(database_url, broker_url, count, workdir, *, delay=0.002, lease_seconds=4, batch_size=100,
                    kill_after_share=0.3, timeout=120, providers_answer=True, keep_rows=False):
    """Deliver ``count`` messages through beat and two workers, killing one of them once
    ``kill_after_share`` of the messages are delivered; -> a dict of what was counted."""
    from activity_hub import create_app
    from activity_hub.extensions import db
    from activity_hub.messages.dispatch import RELAY_TASK

    workdir = Path(workdir)
    log_path = workdir / "deliveries.log"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    broker_keys_cleared(broker_url)
    user_id = queue_messages(app, count)
    env = dict(
        os.environ, ACTIVITY_HUB_CONFIG="testing", TEST_DATABASE_URL=database_url, CELERY_BROKER_URL=broker_url,
        MESSAGE_BACKEND_EMAIL=RECORDING_CHANNEL, MESSAGE_BACKEND_SMS=RECORDING_CHANNEL,
        RECORDING_CHANNEL_LOG=str(log_path), RECORDING_CHANNEL_DELAY=str(delay),
        RECORDING_CHANNEL_ANSWERS="1" if providers_answer else "0",
        MESSAGE_LEASE_SECONDS=str(lease_seconds), MESSAGE_RELAY_BATCH_SIZE=str(batch_size),
        MESSAGE_RELAY_SWEEP_SECONDS="1", PYTHONPATH=str(ROOT),
    )
    celery = [sys.executable, "-m", "celery", "-A", "activity_hub.worker"]
    processes = {}

    def start(name, *arguments):
        output = open(workdir / f"{name}.log", "w")
        processes[name] = subprocess.Popen([*celery, *arguments], cwd=ROOT, env=env, stdout=output,
                                           stderr=subprocess.STDOUT)

    started = time.monotonic()
    killed_at = None
    producer = None
    try:
        start("beat", "beat", "--schedule", str(workdir / "beat-schedule"), "--loglevel", "warning")
        for name in ("worker-1", "worker-2"):
            start(name, "worker", "-P", "solo", "-n", f"{name}@%h", "--loglevel", "warning",
                  "--without-gossip", "--without-mingle", "--without-heartbeat")
        from celery import Celery

        producer = Celery("activity_hub", broker=broker_url, set_as_current=False)
        for _ in range(2):  # the nudge a commit would give, once for each worker
            producer.send_task(RELAY_TASK, ignore_result=True)
        victim = processes["worker-1"]
        deadline = started + timeout
        while time.monotonic() < deadline:
            if killed_at is None:
                delivered = _line_count(log_path)
                if delivered >= count * kill_after_share:
                    victim.send_signal(signal.SIGKILL)
                    victim.wait()
                    killed_at = delivered
            else:
                counts, _, _ = outcome_counts(app, user_id)
                if counts.get("sent", 0) == count:
                    break
            for name, process in processes.items():
                if name != "worker-1" and process.poll() is not None:
                    raise RuntimeError(f"{name} stopped: see {workdir / (name + '.log')}")
            time.sleep(0.05)
        seconds = time.monotonic() - started
    finally:
        for process in processes.values():
            stop(process)
        if producer is not None:
            producer.close()
    from bench.recording_channel import read_log

    counts, reclaimed, ids = outcome_counts(app, user_id)
    deliveries = [int(message_id) for message_id, _ in read_log(str(log_path))]
    per_message = collections.Counter(message_id for message_id in deliveries if message_id in ids)
    victim_pid = str(processes["worker-1"].pid)
    result = dict(
        messages=count, delivered=len(per_message), duplicates=sum(n - 1 for n in per_message.values()),
        lost=len(ids - set(per_message)), statuses=counts, reclaimed_after_the_kill=reclaimed,
        delivered_before_the_kill=killed_at,
        delivered_by_the_killed_worker=sum(1 for _, pid in read_log(str(log_path)) if pid == victim_pid),
        seconds=round(seconds, 1), workers=2, providers_answer=providers_answer, channel_delay_seconds=delay,
    )
    if not keep_rows:
        delete_run_rows(app, user_id)
    with app.app_context():
        db.engine.dispose()
    return result


def _line_count(path):
    try:
        with open(path, "rb") as log:
            return log.read().count(b"\n")
    except FileNotFoundError:
        return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--broker-url", default=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/2"))
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--delay", type=float, default=0.002, help="the provider's time per message, seconds")
    parser.add_argument("--providers-cannot-answer", action="store_true",
                        help="the channel cannot say whether it already took a message (like SMTP)")
    options = parser.parse_args(argv)
    if not options.database_url or not options.database_url.startswith(("postgresql", "postgres")):
        parser.error("--database-url (or DATABASE_URL) must point at PostgreSQL")
    with tempfile.TemporaryDirectory() as workdir:
        result = run_with_a_kill(options.database_url, options.broker_url, options.messages, workdir,
                                 delay=options.delay, timeout=600,
                                 providers_answer=not options.providers_cannot_answer)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["delivered"] == options.messages and result["duplicates"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
