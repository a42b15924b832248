"""The inbox and the message settings over the JSON API: /api/v1/me/messages and
/api/v1/me/message-preferences."""
import pytest

from tests.api.conftest import api, error_code, make_token  # noqa: F401  (fixtures)
from tests.messages.inbox_helpers import add_messages, message_row

MESSAGE_KEYS = {"id", "kind", "subject", "body", "created_at", "channel", "status", "read_at", "event_id"}


@pytest.fixture
def resident(make_user):
    return make_user(login="13933330001", email="li.qiang@example.org")


def test_my_messages_newest_first_with_paging(app, api, resident, make_user, make_event):
    event_id = make_event()
    ids = add_messages(app, resident, 3, subject="主题{n}", body="正文{n}", event_id=event_id)
    add_messages(app, make_user(), subject="别人的消息")

    response = api("GET", "/api/v1/me/messages", resident)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert {k: body[k] for k in ("total", "unread", "page", "per_page")} == {
        "total": 3, "unread": 3, "page": 1, "per_page": 20}
    assert [item["id"] for item in body["items"]] == list(reversed(ids))
    newest = body["items"][0]
    assert set(newest) == MESSAGE_KEYS
    assert newest["subject"] == "主题2" and newest["body"] == "正文2" and newest["kind"] == "test_notice"
    assert newest["created_at"].endswith("+08:00")
    assert newest["channel"] == "email" and newest["status"] == "queued"
    assert newest["read_at"] is None and newest["event_id"] == event_id

    second_page = api("GET", "/api/v1/me/messages?page=2&per_page=2", resident).get_json()
    assert [item["id"] for item in second_page["items"]] == [ids[0]]
    assert (second_page["page"], second_page["per_page"], second_page["total"]) == (2, 2, 3)


def test_paging_arguments_are_checked(api, resident):
    response = api("GET", "/api/v1/me/messages?per_page=500", resident)
    assert response.status_code == 400
    assert "per_page" in response.get_json()["error"]["fields"]


def test_marking_a_message_read(app, api, resident):
    first, second = add_messages(app, resident, 2)
    response = api("POST", f"/api/v1/me/messages/{first}/read", resident)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == MESSAGE_KEYS and body["id"] == first
    assert body["read_at"].endswith("+08:00")
    assert message_row(app, second).read_at is None
    assert api("GET", "/api/v1/me/messages", resident).get_json()["unread"] == 1

    again = api("POST", f"/api/v1/me/messages/{first}/read", resident).get_json()
    assert again["read_at"] == body["read_at"]  # the first reading is kept


def test_another_persons_message_is_a_404(app, api, resident, make_user):
    (theirs,) = add_messages(app, make_user())
    for path in (f"/api/v1/me/messages/{theirs}/read", "/api/v1/me/messages/99999999999/read"):
        response = api("POST", path, resident)
        assert response.status_code == 404
        assert error_code(response) == "not_found"
    assert message_row(app, theirs).read_at is None


def test_messages_need_a_login(api):
    for method, path in (("GET", "/api/v1/me/messages"), ("POST", "/api/v1/me/messages/1/read"),
                         ("GET", "/api/v1/me/message-preferences"), ("PUT", "/api/v1/me/message-preferences")):
        response = api(method, path)
        assert response.status_code == 401, path
        assert error_code(response) == "authentication_required"


def test_message_preferences_read_and_changed(app, api, resident, make_user):
    response = api("GET", "/api/v1/me/message-preferences", resident)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {
        "channel": "automatic", "remind_day_before": True, "remind_two_hours_before": False,
        "channels_available": ["automatic", "sms", "email", "site"], "automatic_channel": "email",
    }
    response = api("PUT", "/api/v1/me/message-preferences", resident,
                   json={"channel": "site", "remind_day_before": False, "remind_two_hours_before": True})
    assert response.status_code == 200
    assert response.get_json()["channel"] == "site"
    assert api("GET", "/api/v1/me/message-preferences", resident).get_json()["remind_two_hours_before"] is True
    add_messages(app, resident, subject="新消息")
    assert api("GET", "/api/v1/me/messages", resident).get_json()["items"][0]["channel"] == "site"


@pytest.mark.parametrize("language, expected", [
    ("zh-CN", "没有“短信”这一项，因为您的账户没有手机号码。"),
    ("en", "Text messages (SMS) are not offered because your account has no mobile number."),
])
def test_a_channel_the_account_cannot_receive_is_a_validation_error(app, api, make_user, language, expected):
    email_only = make_user(login="zhao.lei@example.org")
    response = api("PUT", "/api/v1/me/message-preferences", email_only, headers={"Accept-Language": language},
                   json={"channel": "sms", "remind_day_before": True, "remind_two_hours_before": False})
    assert response.status_code == 400
    assert error_code(response) == "validation_failed"
    assert response.get_json()["error"]["fields"] == {"channel": expected}
    assert api("GET", "/api/v1/me/message-preferences", email_only).get_json()["channel"] == "automatic"


def test_an_unknown_channel_or_a_missing_field_is_refused(api, resident):
    response = api("PUT", "/api/v1/me/message-preferences", resident,
                   json={"channel": "fax", "remind_day_before": "yes"})
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {"channel", "remind_day_before", "remind_two_hours_before"}


def test_the_openapi_document_describes_the_message_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/me/messages"]
    assert "post" in paths["/api/v1/me/messages/{message_id}/read"]
    assert {"get", "put"} <= set(paths["/api/v1/me/message-preferences"])
    item = paths["/api/v1/me/messages"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert item == {"$ref": "#/components/schemas/MessagePage"}
