"""Message settings "消息设置": the channel a person chooses decides how their next message goes,
choices the account cannot be reached by are not offered (and refused, with the reason beside the
field), and reminders are switched on and off."""
import re

import pytest
import sqlalchemy as sa

from activity_hub.auth.models import User
from activity_hub.extensions import db
from activity_hub.messages.models import OutboxMessage
from tests.conftest import login


def text(response):
    return response.get_data(as_text=True)


def saved(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        return user.message_channel, user.remind_day_before, user.remind_two_hours_before


def register_and_get_message(app, user_id, event_id):
    """Register through the registration service; the message it queued."""
    from activity_hub.events.registration import register

    with app.app_context():
        register(event_id, db.session.get(User, user_id), consent=True)
        message = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.user_id == user_id)
                                     .order_by(OutboxMessage.id.desc())).first()
        return message.kind, message.channel, message.recipient


@pytest.fixture
def both(make_user):
    """An account with a mobile number and an e-mail address."""
    return make_user(login="13922220001", email="zhang.min@example.org")


@pytest.fixture
def phone_only(make_user):
    return make_user(login="13922220002")


def test_the_channel_chosen_decides_how_the_next_message_goes(app, client, both, make_event):
    login(client, both)
    assert register_and_get_message(app, both, make_event())[1:] == ("email", "zhang.min@example.org")

    response = client.post("/me/messages/settings", data={"channel": "sms", "reminders": ["day_before"]})
    assert response.status_code == 302
    assert register_and_get_message(app, both, make_event()) == ("registration_confirmed", "sms", "13922220001")

    client.post("/me/messages/settings", data={"channel": "site", "reminders": ["day_before"]})
    kind, channel, _recipient = register_and_get_message(app, both, make_event())
    assert channel == "site"

    client.post("/me/messages/settings", data={"channel": "automatic", "reminders": ["day_before"]})
    assert saved(app, both)[0] is None
    assert register_and_get_message(app, both, make_event())[1] == "email"


def test_the_page_offers_only_what_the_account_can_receive_and_says_why(client, phone_only):
    login(client, phone_only)
    response = client.get("/me/messages/settings")
    html = text(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "<h1>消息设置</h1>" in html
    assert "<legend>我们用什么方式给您发消息？</legend>" in html
    values = re.findall(r'name="channel" type="radio" value="(\w+)"', html)
    assert values == ["automatic", "sms", "site"]
    assert "没有“电子邮件”这一项，因为您的账户没有电子邮箱地址。" in html
    assert "如果让网站来选，我们现在会用短信给您发消息。" in html
    assert re.search(r'<input checked[^>]*value="automatic"', html)
    assert re.search(r'<input checked[^>]*value="day_before"', html)
    assert not re.search(r'<input checked[^>]*value="two_hours_before"', html)


@pytest.mark.parametrize("language, expected", [
    ("zh_CN", "没有“电子邮件”这一项，因为您的账户没有电子邮箱地址。"),
    ("en", "E-mail is not offered because your account has no e-mail address."),
])
def test_a_channel_the_account_cannot_receive_is_refused_beside_the_field(app, client, phone_only, language,
                                                                        expected):
    client.set_cookie("lang", language)
    login(client, phone_only)
    response = client.post("/me/messages/settings", data={"channel": "email", "reminders": ["two_hours_before"]})
    html = text(response)
    assert response.status_code == 400
    assert re.search(r'<p class="field-error" id="channel-error">.*?' + re.escape(expected), html, re.S)
    assert '<a href="#channel">' + expected in html  # the error summary links to the field
    assert saved(app, phone_only) == (None, True, False)  # nothing half-saved


def test_an_email_only_account_cannot_choose_sms(app, client, make_user):
    user_id = make_user(login="wang.fang@example.org")
    client.set_cookie("lang", "en")
    login(client, user_id)
    html = text(client.get("/me/messages/settings"))
    assert re.findall(r'name="channel" type="radio" value="(\w+)"', html) == ["automatic", "email", "site"]
    assert "Text messages (SMS) are not offered because your account has no mobile number." in html
    response = client.post("/me/messages/settings", data={"channel": "sms"})
    assert response.status_code == 400
    assert "Text messages (SMS) are not offered" in text(response)
    assert saved(app, user_id)[0] is None


@pytest.mark.parametrize("language, expected", [("zh_CN", "请从列出的方式中选一种。"),
                                                ("en", "Choose one of the ways offered.")])
def test_an_unknown_or_missing_choice_is_refused(app, client, both, language, expected):
    client.set_cookie("lang", language)
    login(client, both)
    for data in ({"channel": "fax"}, {}):
        response = client.post("/me/messages/settings", data=data)
        assert response.status_code == 400
        assert re.search(r'id="channel-error">.*?' + re.escape(expected), text(response), re.S)
    assert saved(app, both) == (None, True, False)


def test_reminder_choices_are_saved_and_shown_again(app, client, both):
    login(client, both)
    response = client.post("/me/messages/settings", data={"channel": "sms", "reminders": ["two_hours_before"]},
                           follow_redirects=True)
    html = text(response)
    assert "您的消息设置已保存。" in html
    assert saved(app, both) == ("sms", False, True)
    assert re.search(r'<input checked[^>]*value="sms"', html)
    assert re.search(r'<input checked[^>]*value="two_hours_before"', html)
    assert not re.search(r'<input checked[^>]*value="day_before"', html)

    client.post("/me/messages/settings", data={"channel": "sms"})  # no reminders at all
    assert saved(app, both) == ("sms", False, False)


def test_the_settings_are_linked_from_the_inbox_and_the_account_page(client, both):
    login(client, both)
    assert 'href="/me/messages/settings"' in text(client.get("/me/messages"))
    assert 'href="/me/messages/settings"' in text(client.get("/account"))


def test_the_reminders_chosen_decide_which_reminders_are_written(app, client, both, make_user, make_event):
    from datetime import timedelta

    from activity_hub.events.registration import register
    from activity_hub.messages.reminders import queue_due_reminders

    neighbour = make_user()
    event_id = make_event(starts_in=timedelta(hours=20))
    with app.app_context():
        for user_id in (both, neighbour):
            register(event_id, db.session.get(User, user_id), consent=True)
    login(client, both)
    client.post("/me/messages/settings", data={"channel": "automatic", "reminders": ["two_hours_before"]})

    def reminded():
        with app.app_context():
            queue_due_reminders()
            return set(db.session.scalars(sa.select(OutboxMessage.user_id)
                                          .where(OutboxMessage.kind == "event_reminder")))

    assert reminded() == {neighbour}  # the day-before reminder was switched off
    client.post("/me/messages/settings", data={"channel": "automatic", "reminders": ["day_before"]})
    assert reminded() == {neighbour, both}
