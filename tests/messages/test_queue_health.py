"""Administrators see the health of the whole message queue, on a page and as JSON for
monitoring, and retry failed messages of any event; nobody else sees it."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import login


@pytest.fixture
def admin(make_user):
    return make_user(roles=("resident", "admin"))


@pytest.fixture
def queue(make_user, make_event, add_message):
    """Messages in every state and age: two hours' worth of waiting, one held for the morning."""
    now = datetime.now(timezone.utc)
    person = make_user(name="王芳")
    event = make_event(title="盲人门球体验")
    return {
        "due_old": add_message(person, event, "queued", created_at=now - timedelta(hours=2),
                               next_attempt_at=now - timedelta(minutes=5)),
        "due_new": add_message(person, event, "queued", created_at=now - timedelta(minutes=1),
                               next_attempt_at=now - timedelta(minutes=1)),
        # Held back for the morning: older still, but waiting on purpose.
        "deferred": add_message(person, event, "queued", created_at=now - timedelta(hours=9),
                                next_attempt_at=now + timedelta(hours=3)),
        "sending": add_message(person, event, "sending"),
        "sent_today": add_message(person, event, "sent", sent_at=now - timedelta(hours=1)),
        "sent_yesterday": add_message(person, event, "sent", created_at=now - timedelta(days=2),
                                      sent_at=now - timedelta(hours=30)),
        "failed_today": add_message(person, event, "failed", last_error="网关拒绝了这个号码"),
        "failed_earlier": add_message(person, None, "failed", created_at=now - timedelta(days=3),
                                      last_error="邮箱已满"),
    }


def test_the_figures_for_monitoring(api, admin, queue):
    response = api("GET", "/api/v1/admin/message-queue", admin)
    assert response.status_code == 200
    health = response.get_json()
    assert {key: health[key] for key in ("waiting", "deferred", "sending", "sent_last_day", "failed_last_day",
                                         "failed_total")} == {
        "waiting": 2, "deferred": 1, "sending": 1, "sent_last_day": 1, "failed_last_day": 1, "failed_total": 2}
    # The oldest due message was written two hours ago (the deferred one does not count).
    assert 2 * 3600 <= health["oldest_waiting_seconds"] < 3 * 3600
    assert health["checked_at"].endswith("+08:00")


def test_an_empty_queue_has_no_oldest_message(api, admin):
    health = api("GET", "/api/v1/admin/message-queue", admin).get_json()
    assert health["oldest_waiting_seconds"] is None and health["waiting"] == 0


def test_the_page_shows_the_figures_and_the_failed_messages(client, admin, queue):
    login(client, admin)
    response = client.get("/admin/messages")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r"<dt>现在等待发送</dt><dd>2</dd>", page)
    assert re.search(r"<dt>等待最久的消息</dt>\s*<dd>12\d 分钟</dd>", page)
    assert re.search(r"<dt>失败总数</dt><dd>2</dd>", page)
    assert "网关拒绝了这个号码" in page and "邮箱已满" in page and "盲人门球体验" in page and "王芳" in page
    assert "/api/v1/admin/message-queue" in page
    assert 'href="/admin/messages"' in page  # in the administrator's navigation


def test_admin_retries_failed_messages_of_any_event(client, admin, queue, outbox):
    login(client, admin)
    response = client.post("/admin/messages/retry", data={"message_id": queue["failed_earlier"]})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/messages")
    assert outbox(id=queue["failed_earlier"])[0].status == "queued"
    assert outbox(id=queue["failed_today"])[0].status == "failed"
    client.post("/admin/messages/retry")
    assert outbox(id=queue["failed_today"])[0].status == "queued"
    assert outbox(status="failed") == []


def test_nobody_but_administrators(client, api, make_user, organizer, queue, outbox):
    city_wide = make_user(roles=("resident", "organizer"))
    for user in (organizer, city_wide, make_user(), make_user(roles=("resident", "volunteer"))):
        login(client, user)
        assert client.get("/admin/messages").status_code == 403
        assert client.post("/admin/messages/retry").status_code == 403
        assert api("GET", "/api/v1/admin/message-queue", user).status_code == 403
    assert {m.id for m in outbox(status="failed")} == {queue["failed_today"], queue["failed_earlier"]}
    anonymous = client.application.test_client()
    assert anonymous.get("/admin/messages").status_code == 302
    assert anonymous.get("/api/v1/admin/message-queue").status_code == 401
    assert "消息队列" not in anonymous.get("/").get_data(as_text=True)


def test_the_endpoint_is_documented(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert "get" in document["paths"]["/api/v1/admin/message-queue"]
    assert "MessageQueueHealth" in document["components"]["schemas"]
