"""The organizer at the phone and at the door: registering a resident on their behalf, checking
people in by QR code or by name or number, and marking who did not come."""
import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from activity_hub.auth.models import User
from activity_hub.events.models import Registration
from activity_hub.extensions import db
from tests.conftest import login


@pytest.fixture
def desk(client, organizer):
    login(client, organizer)
    client.set_cookie("lang", "en")
    return client


def registrations_of(app, event_id):
    with app.app_context():
        return [(r.user.phone, r.user.display_name, r.status, r.needs, r.companions, r.registered_by_id)
                for r in db.session.scalars(sa.select(Registration).where(Registration.event_id == event_id))]


def user_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def test_find_an_existing_account_by_phone_with_its_usual_needs(desk, make_event, make_user, app, organizer):
    event_id = make_event()
    make_user(name="张敏", login="13900001111", default_needs=["braille", "sighted_guide"])
    page = desk.get(f"/organize/events/{event_id}/register-resident", query_string={"phone": "139 0000 1111"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Account found: 张敏" in text
    checked = set(re.findall(r'<input checked[^>]*value="([a-z_]+)"', text))
    assert checked == {"braille", "sighted_guide"}
    response = desk.post(f"/organize/events/{event_id}/register-resident", data={
        "phone": "13900001111", "needs": ["braille", "sighted_guide"], "companions": "1", "consent": "y",
        "note": "电话报名",
    })
    assert response.status_code == 302
    assert registrations_of(app, event_id) == [
        ("13900001111", "张敏", "confirmed", ["braille", "sighted_guide"], 1, organizer)]


def test_create_an_account_for_a_resident_without_one(desk, make_event, app, organizer):
    event_id = make_event()
    page = desk.get(f"/organize/events/{event_id}/register-resident", query_string={"phone": "13700002222"})
    assert "There is no account with the number 13700002222" in page.get_data(as_text=True)
    missing_name = desk.post(f"/organize/events/{event_id}/register-resident",
                             data={"phone": "13700002222", "consent": "y"})
    assert missing_name.status_code == 400
    assert 'id="display_name-error"' in missing_name.get_data(as_text=True)
    before = user_count(app)
    response = desk.post(f"/organize/events/{event_id}/register-resident", data={
        "phone": "13700002222", "display_name": "刘奶奶", "needs": ["wheelchair_space"], "companions": "0",
        "consent": "y"})
    assert response.status_code == 302
    assert user_count(app) == before + 1
    assert registrations_of(app, event_id) == [
        ("13700002222", "刘奶奶", "confirmed", ["wheelchair_space"], 0, organizer)]
    with app.app_context():
        resident = db.session.scalar(sa.select(User).where(User.phone == "13700002222"))
        assert resident.roles == {"resident"}
        assert resident.district.code == "wuchang"


def test_a_refused_registration_creates_no_account(desk, make_event, app):
    event_id = make_event(max_companions=1)
    before = user_count(app)
    response = desk.post(f"/organize/events/{event_id}/register-resident", data={
        "phone": "13700003333", "display_name": "陈爷爷", "companions": "5", "consent": ""})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'id="companions-error"' in text and 'id="consent-error"' in text
    assert user_count(app) == before
    assert registrations_of(app, event_id) == []


def test_a_bad_phone_number_is_refused_beside_the_field(desk, make_event):
    event_id = make_event()
    response = desk.get(f"/organize/events/{event_id}/register-resident", query_string={"phone": "12345"})
    assert response.status_code == 400
    assert 'id="phone-error"' in response.get_data(as_text=True)


@pytest.fixture
def confirmed(app, make_event, make_user, sign_up):
    event_id = make_event()
    registration_id, status = sign_up(event_id, make_user(name="张敏", login="13912345678"),
                                      needs=["sign_language", "seat_no_queue"], companions=1,
                                      needs_note="需要坐在翻译旁边")
    assert status == "confirmed"
    return event_id, registration_id


def checked_in_at(app, registration_id):
    with app.app_context():
        return db.session.get(Registration, registration_id).checked_in_at


def test_check_in_by_the_qr_token_shows_the_needs_first(desk, app, confirmed):
    from activity_hub.events.registration import checkin_token

    event_id, registration_id = confirmed
    with app.app_context():
        token = checkin_token(db.session.get(Registration, registration_id))
    page = desk.get(f"/organize/events/{event_id}/check-in", query_string={"q": token.lower()})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The QR code belongs to" in text and "张敏" in text
    assert "Sign-language interpreter" in text and "需要坐在翻译旁边" in text
    assert checked_in_at(app, registration_id) is None  # looking is not checking in
    response = desk.post(f"/organize/events/{event_id}/check-in", data={"registration_id": registration_id})
    assert response.status_code == 302
    assert checked_in_at(app, registration_id) is not None
    after = desk.get(response.headers["Location"]).get_data(as_text=True)
    assert "张敏 is checked in." in after and "Companions: 1." in after
    assert 'autofocus' in after  # ready for the next scan


@pytest.mark.parametrize("query", ["张", "5678", "139-1234-5678"])
def test_check_in_by_searching_name_or_phone(desk, app, confirmed, query):
    event_id, registration_id = confirmed
    text = desk.get(f"/organize/events/{event_id}/check-in", query_string={"q": query}).get_data(as_text=True)
    assert "1 match" in text and "张敏" in text
    assert f'name="registration_id" value="{registration_id}"' in text


def test_search_finds_only_this_events_registrations(desk, app, confirmed, make_event, make_user, sign_up):
    event_id, _ = confirmed
    other_event = make_event()
    sign_up(other_event, make_user(name="张强"))
    text = desk.get(f"/organize/events/{event_id}/check-in", query_string={"q": "张"}).get_data(as_text=True)
    assert "张敏" in text and "张强" not in text
    nobody = desk.get(f"/organize/events/{event_id}/check-in", query_string={"q": "%"}).get_data(as_text=True)
    assert "Nobody registered for this event matches" in nobody


def test_a_token_for_another_event_is_not_checked_in_here(desk, app, confirmed, make_event):
    from activity_hub.events.registration import checkin_token

    _, registration_id = confirmed
    other_event = make_event()
    with app.app_context():
        token = checkin_token(db.session.get(Registration, registration_id))
    text = desk.get(f"/organize/events/{other_event}/check-in", query_string={"q": token}).get_data(as_text=True)
    assert "Nobody registered for this event matches" in text
    response = desk.post(f"/organize/events/{other_event}/check-in", data={"registration_id": registration_id})
    assert response.status_code == 404
    assert checked_in_at(app, registration_id) is None


def test_an_empty_search_says_what_to_do(desk, confirmed):
    event_id, _ = confirmed
    response = desk.get(f"/organize/events/{event_id}/check-in", query_string={"q": ""})
    assert response.status_code == 400
    assert 'id="q-error"' in response.get_data(as_text=True)


def test_check_in_from_the_roster(desk, app, confirmed):
    event_id, registration_id = confirmed
    desk.post(f"/organize/registrations/{registration_id}/check-in")
    assert checked_in_at(app, registration_id) is not None


def test_mark_no_shows_after_the_event_started(desk, app, make_event, make_user, sign_up, move_event):
    event_id = make_event()
    came, _ = sign_up(event_id, make_user(name="张敏"))
    absent, _ = sign_up(event_id, make_user(name="李强"))
    desk.post(f"/organize/registrations/{came}/check-in")
    early = desk.get(f"/organize/events/{event_id}/no-shows").get_data(as_text=True)
    assert "has not started yet" in early
    now = datetime.now(timezone.utc)
    move_event(event_id, starts_at=now - timedelta(hours=2), ends_at=now - timedelta(hours=1),
               registration_opens_at=now - timedelta(days=3), registration_closes_at=now - timedelta(hours=3))
    confirm = desk.get(f"/organize/events/{event_id}/no-shows").get_data(as_text=True)
    assert "李强" in confirm and "张敏" not in confirm
    with app.app_context():
        assert db.session.get(Registration, absent).no_show is False  # the GET only asks
    assert desk.post(f"/organize/events/{event_id}/no-shows").status_code == 302
    with app.app_context():
        assert db.session.get(Registration, absent).no_show is True
        assert db.session.get(Registration, came).no_show is False


def test_an_organizer_of_another_district_learns_only_that_the_account_exists(client, make_event, make_user, app):
    """The resident's saved needs, note and name are for organizers of the resident's district."""
    hanyang_organizer = make_user(roles=("organizer",), role_district_code="hanyang")
    event_id = make_event(district_code="hanyang")
    make_user(name="张敏", login="13900003333", district_code="wuchang",
                         default_needs=["braille"], default_needs_note="导盲犬同行")
    login(client, hanyang_organizer)
    client.set_cookie("lang", "en")
    text = client.get(f"/organize/events/{event_id}/register-resident",
                      query_string={"phone": "13900003333"}).get_data(as_text=True)
    assert "There is an account with the number 13900003333" in text
    assert "张敏" not in text and "导盲犬同行" not in text
    assert not re.findall(r"<input checked", text)
    response = client.post(f"/organize/events/{event_id}/register-resident", data={
        "phone": "13900003333", "needs": ["wheelchair_space"], "companions": "0", "consent": "y"})
    assert response.status_code == 302          # and registers the existing account, no second one
    assert registrations_of(app, event_id) == [
        ("13900003333", "张敏", "confirmed", ["wheelchair_space"], 0, hanyang_organizer)]
    assert user_count(app) == 2

    wuchang_organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    login(client, wuchang_organizer)
    other_event = make_event(district_code="wuchang")
    text = client.get(f"/organize/events/{other_event}/register-resident",
                      query_string={"phone": "13900003333"}).get_data(as_text=True)
    assert "Account found: 张敏" in text and "导盲犬同行" in text
