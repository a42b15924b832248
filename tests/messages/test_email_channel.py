"""The e-mail channel against a real SMTP server on this machine (aiosmtpd): what arrives, and how
the server's refusals and absence become the relay's "try later" or "give up"."""
import pytest

from activity_hub.messages.channels import email as email_channel
from activity_hub.messages.channels.base import PermanentDeliveryError, TemporaryDeliveryError
from bench.local_smtp import LocalSMTPServer, free_port
from tests.messages.outbox_rows import outbox_message

REFUSED = "nobody@example.org"


@pytest.fixture
def smtp_server():
    with LocalSMTPServer(refused=[REFUSED]) as server:
        yield server


@pytest.fixture
def mail_settings(app, monkeypatch):
    def settings(port):
        for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
                           "MAIL_USE_SSL": False, "MAIL_USERNAME": None, "MAIL_PASSWORD": None,
                           "MAIL_TIMEOUT": 5, "MAIL_DEFAULT_SENDER": "活动中心 <noreply@activity-hub.example>",
                           "SITE_URL": "https://activity-hub.example"}.items():
            monkeypatch.setitem(app.config, key, value)
    return settings


def test_the_resident_receives_text_and_accessible_html_in_chinese(app_ctx, make_user, smtp_server, mail_settings):
    mail_settings(smtp_server.port)
    message = outbox_message(make_user(), "email", "zhang@example.org", subject="报名成功：无障碍读书会",
                             body="您好！\n您已报名“无障碍读书会”。\n\n入口在东门，有坡道。")

    provider_id = email_channel.send(message)

    [(sender, recipients, received)] = smtp_server.handler.received
    assert recipients == ["zhang@example.org"]
    assert sender == "noreply@activity-hub.example"
    assert "活动中心" in str(received["From"]) and "noreply@activity-hub.example" in str(received["From"])
    assert str(received["Subject"]) == "报名成功：无障碍读书会"
    assert received["Message-ID"] == provider_id == f"<outbox-{message.id}@activity-hub.example>"
    assert received.get_content_type() == "multipart/alternative"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "您已报名“无障碍读书会”。" in text and "入口在东门，有坡道。" in text
    assert f"https://activity-hub.example/me/messages/{message.id}" in text
    assert '<html lang="zh-CN">' in html
    assert "<h1" in html and "报名成功：无障碍读书会</h1>" in html
    assert "您好！<br>您已报名“无障碍读书会”。" in html
    assert f'href="https://activity-hub.example/me/messages/{message.id}"' in html
    assert "在网站上阅读这条消息" in html


def test_english_speakers_get_the_html_part_in_english(app_ctx, make_user, smtp_server, mail_settings):
    mail_settings(smtp_server.port)
    message = outbox_message(make_user(), "email", "li@example.org", subject="Registration confirmed",
                             body="You are registered.", locale="en")
    email_channel.send(message)
    [(_, _, received)] = smtp_server.handler.received
    html = received.get_body(("html",)).get_content()
    assert '<html lang="en">' in html and "Read this message on the site" in html


def test_what_a_user_typed_is_escaped_in_the_html(app_ctx, make_user, smtp_server, mail_settings):
    mail_settings(smtp_server.port)
    message = outbox_message(make_user(), "email", "wang@example.org", subject="<b>活动</b> 已变更",
                             body='组织者留言：<script>alert("x")</script> & <a href="http://evil">点这里</a>')
    email_channel.send(message)
    [(_, _, received)] = smtp_server.handler.received
    html = received.get_body(("html",)).get_content()
    assert "<script>" not in html and '<a href="http://evil">' not in html and "<b>活动</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;a href=" in html
    assert "&lt;b&gt;活动&lt;/b&gt; 已变更" in html
    # The plain text keeps what was typed as it was.
    assert '<script>alert("x")</script>' in received.get_body(("plain",)).get_content()


def test_without_site_url_the_mail_has_no_link(app_ctx, make_user, smtp_server, mail_settings, app, monkeypatch):
    mail_settings(smtp_server.port)
    monkeypatch.setitem(app.config, "SITE_URL", None)
    message = outbox_message(make_user(), "email", "zhao@example.org")
    provider_id = email_channel.send(message)
    [(_, _, received)] = smtp_server.handler.received
    assert "/me/messages/" not in received.get_body(("html",)).get_content()
    assert provider_id == f"<outbox-{message.id}@{app.config['CALENDAR_HOST']}>"


def test_a_mail_server_that_is_down_means_try_later(app_ctx, make_user, mail_settings):
    mail_settings(free_port())  # nothing listens there
    message = outbox_message(make_user(), "email", "zhang@example.org")
    with pytest.raises(TemporaryDeliveryError, match="could not be reached"):
        email_channel.send(message)


def test_an_address_the_server_refuses_is_a_permanent_failure(app_ctx, make_user, smtp_server, mail_settings):
    mail_settings(smtp_server.port)
    message = outbox_message(make_user(), "email", REFUSED)
    with pytest.raises(PermanentDeliveryError) as refused:
        email_channel.send(message)
    assert refused.value.reason.startswith(f"The mail server refused the address {REFUSED}")
    assert "No such user" in refused.value.reason
    assert smtp_server.handler.received == []


def test_an_invalid_address_is_a_permanent_failure_without_asking_the_server(app_ctx, make_user, smtp_server,
                                                                          mail_settings):
    mail_settings(smtp_server.port)
    message = outbox_message(make_user(), "email", "not an address")
    with pytest.raises(PermanentDeliveryError, match="not a valid e-mail address"):
        email_channel.send(message)
    assert smtp_server.handler.received == []


@pytest.mark.parametrize("code, error", [(451, TemporaryDeliveryError), (550, PermanentDeliveryError)])
def test_a_refused_message_is_sorted_by_the_reply_code(app_ctx, make_user, smtp_server, mail_settings, code, error):
    mail_settings(smtp_server.port)

    async def refuse_data(server, session, envelope):
        return f"{code} Not now" if code < 500 else f"{code} Message refused"

    smtp_server.handler.handle_DATA = refuse_data
    message = outbox_message(make_user(), "email", "zhang@example.org")
    with pytest.raises(error, match="refused the message"):
        email_channel.send(message)
