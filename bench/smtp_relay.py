"""E-mail throughput against its floor: ``python -m bench.smtp_relay [N] [ROUNDS]``.

A local SMTP server (aiosmtpd, ``bench/local_smtp.py``) receives, in the same run:

- the floor: a bare loop that builds each message with the standard library (text plus HTML) and
  sends it with ``smtplib``, once opening a connection per message (what a channel that sends one
  message per call must do) and once over a single connection (the cheapest possible);
- the e-mail channel's ``send`` (``activity_hub.messages.channels.email``) for the same messages,
  in-process: template, Flask-Mailman's MIME, one SMTP conversation each.

It prints messages per second for each and the channel's ratio to both floors (issue 12 asks
for >= 0.5 of the floor). The relay and workers come on top of the channel: ``bench/message_relay.py``.
"""
import statistics
import sys
import time
from email.message import EmailMessage
from smtplib import SMTP

from activity_hub import create_app
from activity_hub.messages.channels import email as email_channel
from activity_hub.messages.models import OutboxMessage
from bench.local_smtp import LocalSMTPServer

SUBJECT = "报名成功：社区无障碍读书会（第 {n} 期）"
BODY = ("您好！您已成功报名“社区无障碍读书会（第 {n} 期）”。\n时间：12月12日（周六）14:00—16:00。\n"
        "地点：武昌区文化中心三楼，东门有坡道和无障碍电梯。\n\n如需取消，请在“我的报名”中操作。")


def messages(count):
    return [OutboxMessage(id=n, user_id=1, kind="registration_confirmed", channel="email",
                          recipient=f"resident{n}@example.org", locale="zh_CN",
                          subject=SUBJECT.format(n=n), body=BODY.format(n=n)) for n in range(1, count + 1)]


def floor_message(message):
    mime = EmailMessage()
    mime["Subject"] = message.subject
    mime["From"] = "noreply@activity-hub.example"
    mime["To"] = message.recipient
    mime.set_content(message.body)
    mime.add_alternative(f"<html lang=\"zh-CN\"><body><h1>{message.subject}</h1><p>{message.body}</p></body></html>",
                         subtype="html")
    return mime


def floor_connection_each(port, batch):
    for message in batch:
        with SMTP("127.0.0.1", port, local_hostname="localhost") as smtp:
            smtp.send_message(floor_message(message))


def floor_one_connection(port, batch):
    with SMTP("127.0.0.1", port, local_hostname="localhost") as smtp:
        for message in batch:
            smtp.send_message(floor_message(message))


def channel(app, batch):
    with app.app_context():
        for message in batch:
            email_channel.send(message)


def rates(runs, count, rounds):
    """{name: median messages per second}; the runs take turns in each round, so a machine that
    is busier for a while slows them all alike."""
    seen = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            seen[name].append(count / (time.perf_counter() - started))
    return {name: statistics.median(values) for name, values in seen.items()}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    count = int(argv[0]) if argv else 500
    rounds = int(argv[1]) if len(argv) > 1 else 3
    with LocalSMTPServer(keep=False) as server:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", MAIL_SERVER="127.0.0.1",
                         MAIL_PORT=server.port, SITE_URL="https://activity-hub.example",
                         MAIL_DEFAULT_SENDER="noreply@activity-hub.example")
        batch = messages(count)  # rows as the relay hands them over; none is stored
        warm_up = batch[:20]
        channel(app, warm_up)  # templates compiled, catalogues loaded
        results = rates({
            "floor, smtplib, a connection per message": lambda: floor_connection_each(server.port, batch),
            "floor, smtplib, one connection": lambda: floor_one_connection(server.port, batch),
            "email channel send()": lambda: channel(app, batch),
        }, count, rounds)
        delivered = server.handler.count
    expected = count * rounds * len(results) + len(warm_up)
    print(f"{count} messages x {rounds} rounds to a local aiosmtpd server (median of rounds)")
    for name, value in results.items():
        print(f"  {name:45s} {value:8.0f} messages/s")
    ours = results["email channel send()"]
    print(f"  ratio to the floor with a connection per message: {ours / results['floor, smtplib, a connection per message']:.2f}")
    print(f"  ratio to the floor over one connection:           {ours / results['floor, smtplib, one connection']:.2f}")
    print(f"  messages the server accepted: {delivered} of {expected}")
    return results, delivered, expected


if __name__ == "__main__":
    main()
