"""Issue 12's e-mail figures in one run, each against a floor measured in the same run:

    python -m bench.message_figures --database-url postgresql+psycopg://... \
        [--broker-url redis://127.0.0.1:6379/6] [--messages 1000] [--latency-messages 100] [--kill-run 10000]

The SMTP server (aiosmtpd, ``bench/local_smtp.py``) runs in a process of its own, so it takes no
CPU from the client being measured; it logs the time each message is accepted.

(a) **Throughput.** The same messages sent by a bare ``smtplib`` loop (the floor: standard-library
    MIME, text plus HTML; once a connection per message, once over a single connection) and by the
    real relay (``relay_until_done``: claim in batches, the e-mail channel's Flask-Mailman MIME
    from the template, one SMTP conversation per message, each outcome recorded in PostgreSQL).
    Rounds take turns so a busier moment of the machine slows all alike; medians are printed.
(b) **Latency.** One ``celery worker -P solo`` process, the web app's nudge after each commit
    (``MESSAGE_DELIVERY=celery``): for messages committed one after another, the time from the
    commit to the SMTP server accepting it; p50 and p95.
(c) ``--kill-run N``: ``bench.message_relay``'s run, N messages, two workers, one killed mid-run.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path
from smtplib import SMTP

import sqlalchemy as sa

from bench.local_smtp import free_port, read_acceptances
from bench.message_relay import ROOT, broker_keys_cleared, stop

EMAIL_CHANNEL = "activity_hub.messages.channels.email"
SENDER = "noreply@activity-hub.example"
SUBJECT = "报名成功：社区无障碍读书会（第 {n} 期）"
BODY = ("您好！您已成功报名“社区无障碍读书会（第 {n} 期）”。\n时间：12月12日（周六）14:00—16:00。\n"
        "地点：武昌区文化中心三楼，东门有坡道和无障碍电梯。\n\n如需取消，请在“我的报名”中操作。")


def start_smtp_server(workdir):
    """-> (process, port, acceptance log path): the server in its own process, ready."""
    port, log_path = free_port(), Path(workdir) / "smtp-accepted.log"
    process = subprocess.Popen([sys.executable, "-m", "bench.local_smtp", str(port), str(log_path)], cwd=ROOT,
                               env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port, log_path
        except OSError:
            time.sleep(0.05)
    stop(process)
    raise RuntimeError("the SMTP server did not start")


def relay_app(database_url, port, **overrides):
    from activity_hub import create_app

    return create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                      MAIL_DEFAULT_SENDER=SENDER, SITE_URL="https://activity-hub.example",
                      MESSAGE_BACKENDS={"email": EMAIL_CHANNEL, "sms": "activity_hub.messages.channels.console"},
                      **overrides)


def figures_user(app):
    from activity_hub.auth import accounts
    from activity_hub.extensions import db

    with app.app_context():
        db.create_all()
        user = accounts.create_user(f"figures-{os.getpid()}-{time.time_ns()}@example.org", "投递测试",
                                    "figures password 1")
        db.session.commit()
        return user.id


def outbox_rows(user_id, prefix, count):
    from activity_hub.db_types import utcnow

    now = utcnow()
    return [dict(user_id=user_id, kind="registration_confirmed", channel="email",
                 recipient=f"{prefix}{n}@example.org", locale="zh_CN", subject=SUBJECT.format(n=n),
                 body=BODY.format(n=n), status="queued", created_at=now, next_attempt_at=now)
            for n in range(count)]


def queue_rows(app, rows):
    from activity_hub.extensions import db
    from activity_hub.messages.models import OutboxMessage

    with app.app_context():
        db.session.execute(sa.insert(OutboxMessage.__table__), rows)
        db.session.commit()
        db.session.remove()


def floor_mime(row):
    mime = EmailMessage()
    mime["Subject"], mime["From"], mime["To"] = row["subject"], SENDER, row["recipient"]
    mime.set_content(row["body"])
    mime.add_alternative(f"<html lang=\"zh-CN\"><body><h1>{row['subject']}</h1><p>{row['body']}</p></body></html>",
                         subtype="html")
    return mime


def floor_connection_each(port, rows):
    for row in rows:
        with SMTP("127.0.0.1", port, local_hostname="localhost") as smtp:
            smtp.send_message(floor_mime(row))


def floor_one_connection(port, rows):
    with SMTP("127.0.0.1", port, local_hostname="localhost") as smtp:
        for row in rows:
            smtp.send_message(floor_mime(row))


def through_the_relay(app):
    from activity_hub.extensions import db
    from activity_hub.messages.relay import relay_until_done

    with app.app_context():
        result = relay_until_done(budget_seconds=3600)
        db.session.remove()
    return result.sent


def accepted_for(log_path, prefix):
    return [(stamp, recipient) for stamp, recipient in read_acceptances(log_path) if recipient.startswith(prefix)]


def throughput(database_url, port, log_path, count, rounds):
    app = relay_app(database_url, port, MESSAGE_DELIVERY="off")
    user_id = figures_user(app)
    seen = {"floor: smtplib, a connection per message": [], "floor: smtplib, one connection": [],
            "relay: relay_until_done, e-mail channel": []}
    queue_rows(app, outbox_rows(user_id, "warm", 20))
    through_the_relay(app)  # templates compiled, catalogues loaded, connections open
    for round_number in range(rounds):
        rows = outbox_rows(user_id, f"t{round_number}-", count)
        for name, run in (("floor: smtplib, a connection per message", lambda: floor_connection_each(port, rows)),
                          ("floor: smtplib, one connection", lambda: floor_one_connection(port, rows)),
                          ("relay: relay_until_done, e-mail channel", lambda: through_the_relay(app))):
            if name.startswith("relay"):
                queue_rows(app, rows)  # untimed: the business transaction's share
            started = time.perf_counter()
            run()
            seen[name].append(count / (time.perf_counter() - started))
    relayed = sum(1 for _ in accepted_for(log_path, "t"))
    rates = {name: round(statistics.median(values)) for name, values in seen.items()}
    relay_rate = rates["relay: relay_until_done, e-mail channel"]
    return app, user_id, dict(
        messages=count, rounds=rounds, messages_per_second=rates,
        ratio_to_floor_connection_each=round(relay_rate / rates["floor: smtplib, a connection per message"], 2),
        ratio_to_floor_one_connection=round(relay_rate / rates["floor: smtplib, one connection"], 2),
        smtp_server_accepted=relayed, expected=count * rounds * 3)


class AcceptanceTail:
    """Reads only what the SMTP server logged since the last look (polling must not load the CPU
    the worker being timed needs)."""

    def __init__(self, path):
        self.path, self.offset = path, Path(path).stat().st_size

    def new_lines(self):
        with open(self.path) as log:
            log.seek(self.offset)
            text = log.read()
        complete = text[:text.rfind("\n") + 1]
        self.offset += len(complete.encode())
        return [(float(stamp), to) for stamp, to in (line.split(" ", 1) for line in complete.splitlines())]


def latency(database_url, broker_url, port, log_path, user_id, count, workdir):
    from activity_hub.extensions import db
    from activity_hub.messages.dispatch import mark_outbox_written
    from activity_hub.messages.models import OutboxMessage

    broker_keys_cleared(broker_url)
    env = dict(os.environ, ACTIVITY_HUB_CONFIG="testing", TEST_DATABASE_URL=database_url, CELERY_BROKER_URL=broker_url,
               MESSAGE_DELIVERY="celery", MESSAGE_BACKEND_EMAIL=EMAIL_CHANNEL, MAIL_SERVER="127.0.0.1",
               MAIL_PORT=str(port), MAIL_DEFAULT_SENDER=SENDER, PYTHONPATH=str(ROOT))
    worker_log = Path(workdir) / "worker.log"
    with open(worker_log, "w") as output:
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "activity_hub.worker", "worker", "-P", "solo",
                                   "--loglevel", "info", "--without-gossip", "--without-mingle", "--without-heartbeat"],
                                  cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    app = relay_app(database_url, port, MESSAGE_DELIVERY="celery", CELERY_BROKER_URL=broker_url)
    seconds = []
    try:
        deadline = time.monotonic() + 30
        while "ready." not in worker_log.read_text():
            if time.monotonic() > deadline or worker.poll() is not None:
                raise RuntimeError(f"the worker did not start: see {worker_log}")
            time.sleep(0.05)
        tail = AcceptanceTail(log_path)
        with app.app_context():
            for n, row in enumerate(outbox_rows(user_id, "lat-", count)):
                db.session.add(OutboxMessage(**row))
                mark_outbox_written(db.session)
                db.session.commit()  # the commit nudges the worker, as a registration's does
                committed = time.time()
                recipient = row["recipient"]
                wait_until = time.monotonic() + 10
                while True:
                    found = [stamp for stamp, to in tail.new_lines() if to == recipient]
                    if found:
                        seconds.append(found[0] - committed)
                        break
                    if time.monotonic() > wait_until:
                        raise RuntimeError(f"message {n} not accepted within 10 s: see {worker_log}")
                    time.sleep(0.002)
            db.session.remove()
    finally:
        stop(worker)
        broker_keys_cleared(broker_url)
        with app.app_context():
            db.engine.dispose()
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return dict(messages=count, workers=1, p50_seconds=round(statistics.median(seconds), 3),
                p95_seconds=round(cuts[94], 3), max_seconds=round(max(seconds), 3))


def delete_user_rows(app, user_id):
    from bench.message_relay import delete_run_rows

    delete_run_rows(app, user_id)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--broker-url", default=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/6"))
    parser.add_argument("--messages", type=int, default=1000, help="messages per throughput round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-messages", type=int, default=100)
    parser.add_argument("--kill-run", type=int, default=0, metavar="N",
                        help="also run bench.message_relay with N messages (two workers, one killed)")
    options = parser.parse_args(argv)
    if not options.database_url or not options.database_url.startswith(("postgresql", "postgres")):
        parser.error("--database-url (or DATABASE_URL) must point at PostgreSQL")
    report = {}
    with tempfile.TemporaryDirectory() as workdir:
        server, port, log_path = start_smtp_server(workdir)
        try:
            app, user_id, report["throughput"] = throughput(options.database_url, port, log_path, options.messages,
                                                            options.rounds)
            report["commit_to_accepted"] = latency(options.database_url, options.broker_url, port, log_path, user_id,
                                                   options.latency_messages, workdir)
            delete_user_rows(app, user_id)
        finally:
            stop(server)
        if options.kill_run:
            from bench.message_relay import run_with_a_kill

            report["two_workers_one_killed"] = run_with_a_kill(options.database_url, options.broker_url,
                                                               options.kill_run, workdir, timeout=900)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return report


if __name__ == "__main__":
    main()
