"""The development channel (the log) and the developers' page of the outbox, which exists only in
the development configuration."""
import logging

from activity_hub.messages.channels import console
from tests.conftest import login
from tests.messages.outbox_rows import outbox_message


def test_the_console_channel_writes_the_message_readably(app_ctx, make_user, caplog):
    message = outbox_message(make_user(), "sms", "13912345678", subject="报名成功", body="您已报名读书会。\n入口在东门。")
    with caplog.at_level(logging.INFO):
        provider_id = console.send(message)
    assert provider_id == f"console-{message.id}"
    [record] = [r for r in caplog.records if "13912345678" in r.getMessage()]
    text = record.getMessage()
    assert f"SMS message #{message.id} (registration_confirmed) to 13912345678" in text
    assert "Subject: 报名成功" in text and "您已报名读书会。\n入口在东门。" in text


def test_the_developers_page_lists_the_newest_messages_of_everyone(make_app, make_user):
    app = make_app("development")
    first, second = make_user(), make_user()
    with app.app_context():
        older = outbox_message(first, "email", "zhang@example.org", subject="报名成功", body="<b>您已报名</b>").id
        newer = outbox_message(second, "sms", "13912345678", subject="活动取消", kind="event_cancelled",
                               body="很抱歉，活动取消了。").id
    page = app.test_client().get("/dev/messages")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>网站写出的消息</h1>" in html
    for text in ("zhang@example.org", "13912345678", "event_cancelled", "registration_confirmed", "活动取消",
                 "很抱歉，活动取消了。", "queued", "email", "sms"):
        assert text in html
    assert "&lt;b&gt;您已报名&lt;/b&gt;" in html
    assert html.index(f'<th scope="row">{newer}</th>') < html.index(f'<th scope="row">{older}</th>')
    assert '<th scope="col">收件人</th>' in html


def test_the_developers_page_does_not_exist_outside_development(app, client, make_user, make_app, monkeypatch):
    login(client, make_user(roles=("resident", "admin")))
    assert client.get("/dev/messages").status_code == 404
    assert "messages.dev_messages" not in app.view_functions
    monkeypatch.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")
    production = make_app("production", SECRET_KEY="k" * 48, MESSAGE_DELIVERY="off",
                          MESSAGE_BACKENDS={"email": console.__name__, "sms": console.__name__})
    assert production.test_client().get("/dev/messages").status_code == 404


def test_under_the_development_config_a_registration_is_sent_to_the_console_and_listed(make_app, make_user,
                                                                                       make_event, caplog):
    """``make run``: no broker, no mail server. The commit delivers in this process once the
    response is sent, through the console channel, and the developers' page shows the message."""
    app = make_app("development", WTF_CSRF_ENABLED=False, CELERY_BROKER_URL=None, MESSAGE_DELIVERY=None)
    assert app.config["MESSAGE_BACKENDS"] == {"email": console.__name__, "sms": console.__name__}
    resident = make_user(email="zhao@example.org")
    event = make_event(title="盲人读书会", capacity=5)
    client = app.test_client()
    login(client, resident)
    with caplog.at_level(logging.INFO):
        answer = client.post(f"/events/{event}/register", data={"companions": "0", "consent": "y"})
        assert answer.status_code == 302
        answer.close()  # the server is done with the response: now the message leaves
    assert any("zhao@example.org" in record.getMessage() and "盲人读书会" in record.getMessage()
               for record in caplog.records)
    html = app.test_client().get("/dev/messages").get_data(as_text=True)
    row = html[html.index("zhao@example.org"):]
    row = row[:row.index("</tr>")]
    assert "registration_confirmed" in row and "sent" in row and "queued" not in row
