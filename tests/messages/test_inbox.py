"""The inbox "我的消息": a person sees their own messages only, newest first, unread ones said in
words; opening one marks it read and the count in the navigation falls."""
import re

import pytest

from tests.conftest import login, recorded_statements
from tests.messages.inbox_helpers import add_messages, message_row


def text(response):
    return response.get_data(as_text=True)


def nav(html):
    return re.search(r'<nav class="wrap site-nav".*?</nav>', html, re.S).group(0)


@pytest.fixture
def resident(make_user):
    return make_user(login="13911110001", name="张敏")


def test_the_inbox_lists_my_messages_newest_first_with_unread_ones_in_words(app, client, resident, make_user,
                                                                         make_event):
    other = make_user()
    event_id = make_event(title="无障碍电影放映")
    older, newer = add_messages(app, resident, 2, subject="报名成功{n}", event_id=event_id)
    add_messages(app, other, subject="别人的消息")
    login(client, resident)
    client.get(f"/me/messages/{older}")

    response = client.get("/me/messages")
    html = text(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "<h1>我的消息</h1>" in html
    assert html.index("报名成功1") < html.index("报名成功0")
    assert "别人的消息" not in html
    unread_item, read_item = re.findall(r'<li class="message-item[^"]*">.*?</li>', html, re.S)
    assert "未读：" in unread_item and "报名成功1" in unread_item
    assert "未读：" not in read_item
    assert "相关活动：无障碍电影放映" in unread_item
    assert f'href="/me/messages/{newer}"' in unread_item
    assert 'datetime="' in unread_item and "+08:00" in unread_item


def test_opening_a_message_shows_it_whole_marks_it_read_and_the_count_falls(app, client, resident, make_event):
    event_id = make_event(title="手语诗歌朗诵会")
    first, second = add_messages(app, resident, 2, subject="活动变更{n}",
                                 body="活动时间改了。\n新时间：周六 14:30\n\n请提前十分钟到场。", event_id=event_id)
    login(client, resident)
    assert "我的消息（2 条未读）" in nav(text(client.get("/me/messages")))

    response = client.get(f"/me/messages/{second}")
    html = text(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert '<h1 class="message-body">活动变更1</h1>' in html
    assert "<p>活动时间改了。<br>新时间：周六 14:30</p>" in html
    assert "<p>请提前十分钟到场。</p>" in html
    assert f'<a href="/events/{event_id}">手语诗歌朗诵会</a>' in html
    assert "我的消息（1 条未读）" in nav(html)
    assert message_row(app, second).read_at is not None
    assert message_row(app, first).read_at is None

    first_read_at = message_row(app, second).read_at
    client.get(f"/me/messages/{second}")
    assert message_row(app, second).read_at == first_read_at  # the first opening is kept

    client.get(f"/me/messages/{first}")
    nav_html = nav(text(client.get("/me/messages")))
    assert "未读" not in nav_html and ">我的消息</a>" in nav_html


def test_another_persons_message_is_not_found_and_stays_unread(app, client, resident, make_user):
    (theirs,) = add_messages(app, make_user(), subject="别人的消息")
    login(client, resident)
    for path in (f"/me/messages/{theirs}", "/me/messages/999999999", "/me/messages/99999999999"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "别人的消息" not in text(response)
    assert message_row(app, theirs).read_at is None


def test_a_message_link_from_an_sms_leads_through_the_login_back_to_the_message(app, client, make_user):
    user_id = make_user(login="13911110002", password="correct horse 1")
    (message_id,) = add_messages(app, user_id, subject="您已报名成功")
    response = client.get(f"/me/messages/{message_id}")
    assert response.status_code == 302
    assert f"/login?next=/me/messages/{message_id}" in response.headers["Location"]

    response = client.post(f"/login?next=/me/messages/{message_id}",
                           data={"login": "13911110002", "password": "correct horse 1"}, follow_redirects=True)
    assert response.status_code == 200
    assert "您已报名成功</h1>" in text(response)


def test_mark_all_as_read(app, client, resident):
    ids = add_messages(app, resident, 3)
    login(client, resident)
    response = client.post("/me/messages/read-all", follow_redirects=True)
    html = text(response)
    assert "已把 3 条消息标为已读。" in html
    assert "未读：" not in html and "全部标为已读" not in html
    assert all(message_row(app, message_id).read_at is not None for message_id in ids)


def test_the_inbox_pages_through_many_messages(app, client, resident):
    add_messages(app, resident, 23, subject="第{n}条")
    login(client, resident)
    first = text(client.get("/me/messages"))
    assert first.count('class="message-item') == 20
    assert "第22条" in first and "第2条<" not in first
    assert "第 1 页，共 2 页" in first and 'rel="next" href="/me/messages?page=2"' in first
    second = text(client.get("/me/messages?page=2"))
    assert second.count('class="message-item') == 3
    assert "第0条" in second and 'rel="prev"' in second
    assert "这一页没有消息" in text(client.get("/me/messages?page=9"))


def test_what_a_message_says_is_shown_as_text_not_markup(app, client, resident):
    (message_id,) = add_messages(app, resident, subject="<b>主题</b>", body="<script>alert(1)</script>")
    login(client, resident)
    for path in ("/me/messages", f"/me/messages/{message_id}"):
        html = text(client.get(path))
        assert "<script>alert" not in html and "<b>主题" not in html
        assert "&lt;b&gt;主题&lt;/b&gt;" in html


def test_an_empty_inbox_says_so_and_the_pages_need_a_login(client, resident):
    for path in ("/me/messages", "/me/messages/settings"):
        assert "/login?next=" in client.get(path).headers["Location"]
    login(client, resident)
    html = text(client.get("/me/messages"))
    assert "您还没有消息" in html and "您没有未读的消息。" in html


def test_the_inbox_is_in_the_navigation_of_every_logged_in_role(app, make_user):
    for roles in (("resident",), ("volunteer",), ("organizer",), ("admin",)):
        client = app.test_client()
        login(client, make_user(roles=roles))
        assert 'href="/me/messages"' in nav(text(client.get("/account"))), roles


def outbox_statements(statements):
    return [s for s in statements if "outbox_messages" in s]


def test_the_unread_count_is_one_statement_whatever_the_number_of_messages(app, client, resident):
    login(client, resident)
    add_messages(app, resident, 1)
    client.get("/account")
    with recorded_statements(app) as few:
        assert "我的消息（1 条未读）" in text(client.get("/account"))
    add_messages(app, resident, 40)
    with recorded_statements(app) as many:
        assert "我的消息（41 条未读）" in text(client.get("/account"))
    assert len(outbox_statements(many)) == len(outbox_statements(few)) == 1
    assert len(many) == len(few)

    with recorded_statements(app) as inbox_few:
        client.get("/me/messages?page=3")
    with recorded_statements(app) as inbox_many:
        client.get("/me/messages")
    assert len(inbox_many) == len(inbox_few)


def test_anonymous_visitors_cost_no_count(app, client, resident):
    add_messages(app, resident, 2)
    with recorded_statements(app) as statements:
        html = text(client.get("/login"))
    assert outbox_statements(statements) == []
    assert "我的消息" not in html


def test_the_inbox_in_english(app, client, resident):
    add_messages(app, resident, 2)
    client.set_cookie("lang", "en")
    login(client, resident)
    html = text(client.get("/me/messages"))
    assert "My messages (2 unread)" in nav(html)
    assert "<h1>My messages</h1>" in html and "Unread:" in html and "Mark all as read" in html


def test_web_addresses_in_a_message_are_links_also_right_after_chinese_text(app, client, resident):
    (message_id,) = add_messages(app, resident, body="详情请看：https://example.org/me/messages/5?a=1&b=2。谢谢<您>")
    login(client, resident)
    html = text(client.get(f"/me/messages/{message_id}"))
    assert ('<p>详情请看：<a href="https://example.org/me/messages/5?a=1&amp;b=2">'
            'https://example.org/me/messages/5?a=1&amp;b=2</a>。谢谢&lt;您&gt;</p>') in html
