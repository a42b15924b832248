"""Organizers write to an event's people: who receives it (audience, need filter), what each person
receives (the text as written, on their own channel, the event named in their language), the
preview of both forms, sending once, bad input beside the field, and who may not."""
import re

import pytest
import sqlalchemy as sa

from activity_hub.extensions import db
from activity_hub.messages.models import Announcement
from tests.conftest import login

SUBJECT = "周六活动改在二楼报告厅举行，请提前十分钟到场签到，谢谢大家配合"  # 34 characters
LONG_SUBJECT = SUBJECT + "，并携带身份证件"


def form_data(**values):
    data = {"audience": "confirmed", "need": "", "subject": "场地变更", "body": "活动改在二楼报告厅。\n电梯在东侧。"}
    data.update(values)
    return data


def announcements_of(app, event_id):
    with app.app_context():
        rows = list(db.session.scalars(sa.select(Announcement).where(Announcement.event_id == event_id)))
        db.session.expunge_all()
        return rows


def send(client, event_id, **values):
    return client.post(f"/organize/events/{event_id}/announcements", data={"action": "send", **form_data(**values)})


@pytest.mark.parametrize("audience, need, expected", [
    ("confirmed", "", "confirmed"),
    ("waitlist", "", "waitlisted"),
    ("volunteers", "", "volunteers"),
    ("confirmed", "sign_language", "with_sign_language"),
])
def test_each_audience_reaches_exactly_its_people(app, client, scene, outbox, audience, need, expected):
    login(client, scene.organizer)
    response = send(client, scene.event, audience=audience, need=need)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/organize/events/{scene.event}/announcements")
    messages = outbox(kind="announcement")
    assert sorted(m.user_id for m in messages) == sorted(getattr(scene, expected))
    assert {m.event_id for m in messages} == {scene.event}
    (announcement,) = announcements_of(app, scene.event)
    assert announcement.recipient_count == len(getattr(scene, expected))
    assert announcement.author_id == scene.organizer and announcement.need == (need or None)


def test_need_filter_on_the_waiting_list_leaves_out_cancelled_registrations(client, scene, outbox):
    login(client, scene.organizer)
    send(client, scene.event, audience="waitlist", need="sign_language")
    assert [m.user_id for m in outbox(kind="announcement")] == [scene.waitlisted[1]]


def test_each_person_gets_the_text_as_written_on_their_channel_with_the_event_named_in_their_language(
        app, client, scene, outbox):
    plain, english, deaf = scene.confirmed
    login(client, scene.organizer)
    send(client, scene.event)
    by_user = {m.user_id: m for m in outbox(kind="announcement")}
    for message in by_user.values():
        assert message.subject == "场地变更"
        assert message.body.startswith("活动改在二楼报告厅。\n电梯在东侧。")
        assert message.status == "queued"
    assert by_user[english].channel == "email" and by_user[english].recipient.endswith("@example.org")
    assert "About the event “全国助残日文艺汇演”" in by_user[english].body
    assert by_user[deaf].channel == "sms"
    assert "关于活动“全国助残日文艺汇演”" in by_user[plain].body
    assert f"/events/{scene.event}" in by_user[plain].body


def test_preview_shows_the_sms_cut_to_35_characters_and_the_email_and_writes_nothing(app, client, scene, outbox):
    login(client, scene.organizer)
    response = client.post(f"/organize/events/{scene.event}/announcements/new",
                           data=form_data(subject=LONG_SUBJECT))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    sms = re.search(r'<div class="message-preview">\s*<p>(.*?)</p>', page, re.S).group(1)
    cut = LONG_SUBJECT[:34] + "…"
    assert len(cut) == 35 and sms.startswith(cut) and f"/events/{scene.event}" in sms
    assert "短信最多只能带主题的前 35 个字" in page
    assert LONG_SUBJECT in page  # the e-mail keeps the whole subject
    assert "电梯在东侧。" in page
    assert "发送给 3 人" in page
    assert outbox(kind="announcement") == [] and announcements_of(app, scene.event) == []


def test_a_subject_that_fits_is_not_cut(client, scene):
    login(client, scene.organizer)
    page = client.post(f"/organize/events/{scene.event}/announcements/new",
                       data=form_data(subject=SUBJECT)).get_data(as_text=True)
    assert f"<p>{SUBJECT} 详情" in page and "…" not in page


def test_change_goes_back_to_the_form_filled_in(client, scene):
    login(client, scene.organizer)
    response = client.post(f"/organize/events/{scene.event}/announcements",
                           data={"action": "change", **form_data(audience="waitlist")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="场地变更"' in page and "电梯在东侧。" in page
    assert re.search(r'<input[^>]*checked[^>]*value="waitlist"|<input[^>]*value="waitlist"[^>]*checked', page)


def test_send_pressed_twice_sends_once(app, client, scene, outbox):
    login(client, scene.organizer)
    for _ in range(2):
        assert send(client, scene.event, submission_key="preview-key-1").status_code == 302
    assert len(announcements_of(app, scene.event)) == 1
    assert len(outbox(kind="announcement")) == len(scene.confirmed)


def test_the_announcement_is_kept_with_the_event(client, scene, make_user):
    login(client, scene.organizer)
    send(client, scene.event, subject="带好雨伞", audience="volunteers")
    page = client.get(f"/organize/events/{scene.event}/announcements").get_data(as_text=True)
    assert "带好雨伞" in page and "已分配到本活动的志愿者" in page
    assert "<td>2</td>" in page  # to how many
    event_page = client.get(f"/organize/events/{scene.event}").get_data(as_text=True)
    assert f"/organize/events/{scene.event}/announcements/new" in event_page


@pytest.mark.parametrize("language, values, field, message", [
    ("zh_CN", {"subject": "  "}, "subject", "请输入主题。"),
    ("en", {"subject": ""}, "subject", "Enter a subject."),
    ("zh_CN", {"body": ""}, "body", "请输入消息内容。"),
    ("en", {"body": "字" * 2001}, "body", "The message must be 2000 characters or fewer."),
    ("zh_CN", {"subject": "字" * 101}, "subject", "主题不能超过 100 个字。"),
    ("en", {"audience": ""}, "audience", "Choose who the message is for."),
    ("zh_CN", {"audience": "volunteers", "need": "sign_language"}, "need", "志愿者没有登记需求"),
    ("en", {"need": "hovercraft"}, "need", "Choose a need from the list, or everyone."),
])
def test_bad_input_is_said_beside_the_field_in_the_users_language(app, client, scene, outbox, language, values,
                                                                  field, message):
    client.set_cookie("lang", language)
    login(client, scene.organizer)
    for path in ("/announcements/new", "/announcements"):
        response = client.post(f"/organize/events/{scene.event}{path}", data={"action": "send", **form_data(**values)})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        beside = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', page, re.S)
        assert beside and message in beside.group(1), page[:2000]
        assert f'href="#{field}' in page  # and in the error summary
    assert outbox(kind="announcement") == [] and announcements_of(app, scene.event) == []


def test_an_audience_of_nobody_is_refused_beside_the_audience(app, client, make_event, organizer, outbox):
    empty = make_event()
    login(client, organizer)
    response = send(client, empty, audience="waitlist")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'id="audience-error">.*?没有人', page, re.S)
    assert re.search(r"<title>错误：", page)  # the title says so too
    assert announcements_of(app, empty) == []


def test_pages_refuse_organizers_of_another_district_volunteers_and_residents(client, scene, make_user, outbox):
    others = {
        "other district": make_user(roles=("resident", "organizer"), role_district_code="jianghan"),
        "volunteer": scene.volunteers[0],
        "resident": scene.confirmed[0],
    }
    for who, user in others.items():
        login(client, user)
        for method, path in (("GET", "/announcements"), ("GET", "/announcements/new"),
                             ("POST", "/announcements/new"), ("POST", "/announcements")):
            response = client.open(f"/organize/events/{scene.event}{path}", method=method,
                                   data=form_data(action="send") if method == "POST" else None)
            assert response.status_code == 403, (who, method, path)
    assert outbox(kind="announcement") == []


def test_missing_event_is_404_and_anonymous_visitors_log_in_first(client, scene, organizer):
    response = client.get(f"/organize/events/{scene.event}/announcements/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(client, organizer)
    assert client.get("/organize/events/987654/announcements/new").status_code == 404


def test_city_wide_organizers_and_admins_may_write(client, scene, make_user, outbox):
    for roles in (("resident", "organizer"), ("resident", "admin")):
        login(client, make_user(roles=roles))
        assert send(client, scene.event, audience="volunteers").status_code == 302
    assert len(outbox(kind="announcement")) == 2 * len(scene.volunteers)


# -- the JSON API ---------------------------------------------------------------------------

def test_api_sends_and_lists_announcements(api, scene, outbox):
    created = api("POST", f"/api/v1/events/{scene.event}/announcements", scene.organizer,
                  json={"audience": "waitlist", "subject": "名额", "body": "有人取消了。", "submission_key": "k1"})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["recipient_count"] == 2 and body["audience"] == "waitlist" and body["need"] is None
    again = api("POST", f"/api/v1/events/{scene.event}/announcements", scene.organizer,
                json={"audience": "waitlist", "subject": "名额", "body": "有人取消了。", "submission_key": "k1"})
    assert again.get_json()["id"] == body["id"]
    assert sorted(m.user_id for m in outbox(kind="announcement")) == sorted(scene.waitlisted)
    listed = api("GET", f"/api/v1/events/{scene.event}/announcements", scene.organizer).get_json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert listed["items"][0]["author"]["id"] == scene.organizer


def test_api_bad_input_and_refusals(api, scene, make_user, outbox):
    path = f"/api/v1/events/{scene.event}/announcements"
    bad = api("POST", path, scene.organizer, json={"audience": "everyone", "subject": "", "body": "x"},
              headers={"Accept-Language": "en"})
    assert bad.status_code == 400
    assert set(bad.get_json()["error"]["fields"]) == {"audience", "subject"}
    nobody = api("POST", path, scene.organizer,
                 json={"audience": "volunteers", "need": "braille", "subject": "a", "body": "b"})
    assert nobody.status_code == 400 and "need" in nobody.get_json()["error"]["fields"]
    other = make_user(roles=("resident", "organizer"), role_district_code="jianghan")
    for user in (other, scene.volunteers[0]):
        assert api("POST", path, user, json={"audience": "confirmed", "subject": "a", "body": "b"}).status_code == 403
        assert api("GET", path, user).status_code == 403
    assert api("GET", "/api/v1/events/987654/announcements", scene.organizer).status_code == 404
    assert outbox(kind="announcement") == []


def test_api_documents_the_announcements(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operations = document["paths"]["/api/v1/events/{event_id}/announcements"]
    assert set(operations) == {"get", "post"}
    assert "Announcement" in document["components"]["schemas"]
