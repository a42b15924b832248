"""Issue 12's "Done when", end to end: the site as the README deploys it (the app nudging a real
Celery worker process through Redis, the worker sending over SMTP to a real server) and residents
using the site. A resident who registers gets the confirmation e-mail, a resident promoted from
the waiting list is told, an event's cancellation reaches everyone registered, and each message
is in the person's inbox too.

PostgreSQL only: the worker is another process on the same database (SQLite's in-memory test
database cannot be shared). Waits are bounded polls, never blind sleeps."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from activity_hub.extensions import db
from bench.local_smtp import LocalSMTPServer
from bench.message_relay import broker_keys_cleared, stop
from tests.conftest import login, require_real_services

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/5"
WAIT_SECONDS = 20


@pytest.fixture
def real_services(database_url):
    require_real_services(database_url, BROKER, "a real worker process shares the database with the test: "
                          "run with TEST_DATABASE_URL pointing at PostgreSQL")


@pytest.fixture
def smtp_server():
    with LocalSMTPServer() as server:
        yield server


@pytest.fixture
def worker(real_services, database_url, smtp_server, tmp_path):
    """One ``celery worker -P solo`` process configured as the README's production: the e-mail
    channel over SMTP, the broker in Redis."""
    broker_keys_cleared(BROKER)
    env = dict(os.environ, ACTIVITY_HUB_CONFIG="testing", TEST_DATABASE_URL=database_url,
               CELERY_BROKER_URL=BROKER, MESSAGE_DELIVERY="celery",
               MESSAGE_BACKEND_EMAIL="activity_hub.messages.channels.email",
               MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp_server.port),
               MAIL_DEFAULT_SENDER="noreply@activity-hub.example", SITE_URL="https://activity-hub.example",
               PYTHONPATH=str(ROOT))
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "activity_hub.worker", "worker", "-P", "solo",
             "--loglevel", "info", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "ready." in log_path.read_text(), "the worker to start", log_path)
        yield process, log_path
    finally:
        stop(process)
        broker_keys_cleared(BROKER)


@pytest.fixture
def site(make_app, worker):
    """The web app nudging the worker after each commit, as production does."""
    return make_app("testing", CELERY_BROKER_URL=BROKER, MESSAGE_DELIVERY="celery",
                    SITE_URL="https://activity-hub.example")


def wait_for(condition, what, log_path=None):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    tail = log_path.read_text()[-3000:] if log_path else ""
    pytest.fail(f"waited {WAIT_SECONDS} s for {what}\n{tail}")


def mail_to(server, address, kind_text, log_path):
    """The one message the SMTP server accepted for ``address`` whose subject has ``kind_text``."""
    def arrived():
        found = [message for _sender, recipients, message in server.handler.received
                 if address in recipients and kind_text in message["Subject"]]
        return found or None

    [message] = wait_for(arrived, f"an e-mail to {address} about {kind_text!r}", log_path)
    return message


def parts(message):
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def inbox_subjects(site, user_id):
    client = site.test_client()
    login(client, user_id)
    page = client.get("/me/messages")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def statuses(site, user_id):
    from activity_hub.messages.models import OutboxMessage

    with site.app_context():
        found = db.session.execute(sa.select(OutboxMessage.kind, OutboxMessage.status, OutboxMessage.channel)
                                   .where(OutboxMessage.user_id == user_id).order_by(OutboxMessage.id)).all()
        db.session.remove()
    return [tuple(row) for row in found]


def register(site, user_id, event_id):
    client = site.test_client()
    login(client, user_id)
    answer = client.post(f"/events/{event_id}/register", data={"companions": "0", "consent": "y",
                                                               "note": "", "needs_note": ""})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_registering_being_promoted_and_a_cancelled_event_reach_residents_by_email_and_inbox(
        site, worker, smtp_server, make_user, make_event):
    _process, log_path = worker
    organizer = make_user(roles=("resident", "organizer"), role_district_code="wuchang")
    zhang = make_user(name="张敏", email="zhang@example.org", locale="zh_CN")
    li = make_user(name="李强", email="li@example.org", locale="zh_CN")
    wang = make_user(name="Wang Fang", email="wang@example.org", locale="en")
    event = make_event(title="社区无障碍读书会", capacity=2)

    # A resident who registers gets the confirmation e-mail, in their language, with an HTML part.
    zhang_registration = register(site, zhang, event)
    confirmation = mail_to(smtp_server, "zhang@example.org", "社区无障碍读书会", log_path)
    text, html = parts(confirmation)
    assert "报名" in confirmation["Subject"]
    assert "社区无障碍读书会" in text
    assert '<html lang="zh-CN">' in html and "<h1" in html and "社区无障碍读书会" in html
    assert confirmation["From"] == "noreply@activity-hub.example"

    register(site, li, event)
    mail_to(smtp_server, "li@example.org", "社区无障碍读书会", log_path)
    # Full: the English-speaking resident is put on the waiting list, and told so in English.
    register(site, wang, event)
    waitlisted = mail_to(smtp_server, "wang@example.org", "社区无障碍读书会", log_path)
    assert "waiting list" in (waitlisted["Subject"] + parts(waitlisted)[0]).lower()

    # Someone cancels: the resident first on the waiting list is promoted, and told.
    client = site.test_client()
    login(client, zhang)
    assert client.post(f"/registrations/{zhang_registration}/cancel").status_code == 302
    wait_for(lambda: len([m for _s, r, m in smtp_server.handler.received if "wang@example.org" in r]) == 2,
             "the promotion e-mail", log_path)
    promoted = [m for _s, r, m in smtp_server.handler.received if "wang@example.org" in r][-1]
    promoted_text, promoted_html = parts(promoted)
    assert "place" in (promoted["Subject"] + promoted_text).lower()
    assert '<html lang="en">' in promoted_html

    # The organizer cancels the event: everyone still registered is told, the reason included.
    desk = site.test_client()
    login(desk, organizer)
    assert desk.post(f"/organize/events/{event}/cancel", data={"reason": "场馆临时维修"}).status_code == 302
    for address in ("li@example.org", "wang@example.org"):
        wait_for(lambda: any(address in r and "场馆临时维修" in parts(m)[0]
                             for _s, r, m in smtp_server.handler.received), f"the cancellation to {address}",
                 log_path)
    # The resident who had cancelled is not told of the event's cancellation.
    assert not any("zhang@example.org" in r and "场馆临时维修" in parts(m)[0]
                   for _s, r, m in smtp_server.handler.received)

    # Every message went by e-mail and was recorded sent, and every one is in the person's inbox.
    assert [status for _kind, status, _channel in statuses(site, li)] == ["sent", "sent"]
    assert statuses(site, wang) == [("registration_waitlisted", "sent", "email"),
                                    ("registration_promoted", "sent", "email"),
                                    ("event_cancelled", "sent", "email")]
    for user_id, address in ((zhang, "zhang@example.org"), (li, "li@example.org"), (wang, "wang@example.org")):
        inbox = inbox_subjects(site, user_id)
        for _sender, recipients, message in smtp_server.handler.received:
            if address in recipients:
                assert message["Subject"] in inbox, (address, message["Subject"])
    # Nothing was sent twice.
    sent = [(tuple(r), m["Subject"], parts(m)[0]) for _s, r, m in smtp_server.handler.received]
    assert len(sent) == len(set(sent)) == 2 + 2 + 3
