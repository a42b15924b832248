"""An event's organizers see what was sent for it (delivered / waiting / failed by kind, the failed
ones with who, how and why) and put failed messages back in the queue; nobody else may."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from activity_hub.auth.models import User
from activity_hub.extensions import db
from tests.conftest import login, recorded_statements


def page_text(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def figures_row(page, label):
    row = re.search(rf"<th scope=\"row\">{label}</th>(.*?)</tr>", page, re.S)
    assert row, f"no row for {label}"
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", row.group(1))]


@pytest.fixture
def sent_for_event(scene, add_message):
    """Messages of the scene's event in every state, and one failed message of another event."""
    plain, english, deaf = scene.confirmed
    ids = {
        "sent": add_message(plain, scene.event, "sent"),
        "sent2": add_message(english, scene.event, "sent", channel="email", recipient="a@example.org"),
        "queued": add_message(deaf, scene.event, "queued"),
        "sending": add_message(deaf, scene.event, "sending", kind="event_cancelled"),
        "failed": add_message(deaf, scene.event, "failed", last_error="对方号码是空号"),
        "failed_cancel": add_message(english, scene.event, "failed", kind="event_cancelled", channel="email",
                                     recipient="old@example.org", last_error="邮箱地址不存在"),
    }
    return ids


def test_figures_by_kind_and_the_failed_ones_with_who_how_and_why(client, scene, sent_for_event, add_message,
                                                                    make_event):
    other_event = make_event()
    add_message(scene.confirmed[0], other_event, "failed", last_error="别的活动")
    login(client, scene.organizer)
    page = page_text(client.get(f"/organize/events/{scene.event}/messages"))
    # written, delivered, waiting, failed
    assert figures_row(page, "报名成功") == [4, 2, 1, 1]
    assert figures_row(page, "活动取消") == [2, 0, 1, 1]
    failed_table = page.split('id="failed-caption"', 1)[1]
    assert "对方号码是空号" in failed_table and "邮箱地址不存在" in failed_table
    assert "Alex Reader" in failed_table and "电子邮箱" in failed_table and "短信" in failed_table
    assert "别的活动" not in page


def test_the_event_page_links_to_it(client, scene):
    login(client, scene.organizer)
    assert f"/organize/events/{scene.event}/messages" in page_text(client.get(f"/organize/events/{scene.event}"))


def test_retry_one_puts_it_back_in_the_queue_now_on_the_persons_current_channel(app, client, scene, sent_for_event,
                                                                                 outbox):
    deaf = scene.confirmed[2]
    with app.app_context():
        person = db.session.get(User, deaf)
        person.email, person.message_channel = "deaf.reader@example.org", "email"
        db.session.commit()
    login(client, scene.organizer)
    before = datetime.now(timezone.utc)
    response = client.post(f"/organize/events/{scene.event}/messages/retry",
                           data={"message_id": sent_for_event["failed"]})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/events/{scene.event}/messages")
    (retried,) = outbox(id=sent_for_event["failed"])
    assert retried.status == "queued" and retried.attempts == 0
    assert before - timedelta(seconds=1) <= retried.next_attempt_at <= datetime.now(timezone.utc)
    assert retried.channel == "email" and retried.recipient == "deaf.reader@example.org"
    assert retried.last_error == "对方号码是空号"  # kept for history
    assert outbox(id=sent_for_event["failed_cancel"])[0].status == "failed"
    assert "1 条消息已重新排队" in page_text(client.get(f"/organize/events/{scene.event}/messages"))


def test_retry_all_moves_only_this_events_failed_messages(client, scene, sent_for_event, add_message, make_event,
                                                          outbox):
    other = add_message(scene.confirmed[0], make_event(), "failed")
    login(client, scene.organizer)
    assert client.post(f"/organize/events/{scene.event}/messages/retry").status_code == 302
    statuses = {m.id: m.status for m in outbox(event_id=scene.event)}
    assert statuses[sent_for_event["failed"]] == statuses[sent_for_event["failed_cancel"]] == "queued"
    assert statuses[sent_for_event["sent"]] == "sent" and statuses[sent_for_event["sending"]] == "sending"
    assert outbox(id=other)[0].status == "failed"
    # Pressed again: nothing is failed any more, nothing moves twice.
    client.post(f"/organize/events/{scene.event}/messages/retry")
    assert "无需重试" in page_text(client.get(f"/organize/events/{scene.event}/messages"))


def test_others_may_neither_see_nor_retry(client, scene, sent_for_event, make_user, outbox):
    refused = [make_user(roles=("resident", "organizer"), role_district_code="jianghan"), scene.volunteers[0],
               scene.confirmed[2]]
    for user in refused:
        login(client, user)
        assert client.get(f"/organize/events/{scene.event}/messages").status_code == 403
        assert client.post(f"/organize/events/{scene.event}/messages/retry").status_code == 403
        assert client.post(f"/organize/events/{scene.event}/messages/retry",
                           data={"message_id": sent_for_event["failed"]}).status_code == 403
    assert outbox(id=sent_for_event["failed"])[0].status == "failed"
    client.get("/logout")
    with client.session_transaction() as session:
        session.clear()
    assert client.post(f"/organize/events/{scene.event}/messages/retry").status_code in (302, 401)
    assert outbox(id=sent_for_event["failed"])[0].status == "failed"


def test_a_message_of_another_event_cannot_be_retried_through_this_one(client, scene, organizer, add_message,
                                                                       make_event, outbox):
    elsewhere = add_message(scene.confirmed[0], make_event(district_code="jianghan"), "failed")
    login(client, organizer)
    for value in (elsewhere, "abc", "99999999999"):
        response = client.post(f"/organize/events/{scene.event}/messages/retry", data={"message_id": value})
        assert response.status_code == 404
    assert outbox(id=elsewhere)[0].status == "failed"


def test_retry_needs_the_csrf_token(make_app, scene, sent_for_event, outbox):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    login(client, scene.organizer)
    forged = client.post(f"/organize/events/{scene.event}/messages/retry", data={"message_id": sent_for_event["failed"]})
    assert forged.status_code == 400
    assert outbox(id=sent_for_event["failed"])[0].status == "failed"
    page = page_text(client.get(f"/organize/events/{scene.event}/messages"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(f"/organize/events/{scene.event}/messages/retry",
                data={"csrf_token": token, "message_id": sent_for_event["failed"]})
    assert outbox(id=sent_for_event["failed"])[0].status == "queued"


def test_status_page_queries_do_not_grow_with_the_messages(app, client, scene, make_user, add_message):
    login(client, scene.organizer)
    path = f"/organize/events/{scene.event}/messages"

    def count():
        client.get(path)  # warm: the session's user, the translations
        with recorded_statements(app) as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    add_message(scene.confirmed[0], scene.event, "failed")
    small = count()
    for n in range(30):
        user = make_user(name=f"居民{n}")
        add_message(user, scene.event, ("failed", "sent", "queued")[n % 3], kind=("event_changed", "announcement")[n % 2])
    large = count()
    assert large == small, (small, large)
    assert "居民27" in page_text(client.get(path))  # a failed one of the thirty
