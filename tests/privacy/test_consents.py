"""Consent records: given at registration (by the resident or by staff, named), when saving usual
needs; listed on the person's page; withdrawn, with what that erases; asked again under a new notice."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from activity_hub.auth.models import User
from activity_hub.events.models import Registration
from activity_hub.extensions import db
from activity_hub.privacy import consents
from activity_hub.privacy.models import ConsentRecord
from activity_hub.privacy.notice import NOTICE_VERSION


def register(client, event_id, **data):
    data.setdefault("companions", "0")
    data.setdefault("consent", "y")
    return client.post(f"/events/{event_id}/register", data=data)


def test_registering_with_needs_records_the_residents_consent(signed_in, make_user, make_event, consent_rows):
    person = make_user()
    response = register(signed_in(person), make_event(), needs=["sign_language"])
    assert response.status_code == 302
    assert consent_rows(person) == [("registration_needs", "self", None, NOTICE_VERSION, False)]


def test_registering_without_needs_records_no_consent_to_needs(signed_in, make_user, make_event, consent_rows):
    person = make_user()
    assert register(signed_in(person), make_event()).status_code == 302
    assert consent_rows(person) == []


def test_a_refused_registration_records_no_consent(signed_in, make_user, make_event, consent_rows):
    person = make_user()
    response = register(signed_in(person), make_event(), needs=["sign_language"], consent="")
    assert response.status_code == 400
    assert consent_rows(person) == []


def test_registered_by_staff_on_the_phone_names_the_staff_member(signed_in, make_user, make_event, consent_rows, app):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    desk = signed_in(organizer)
    response = desk.post(f"/organize/events/{make_event()}/register-resident", data={
        "phone": "13700002222", "display_name": "刘奶奶", "needs": ["wheelchair_space"], "companions": "0",
        "consent": "y"})
    assert response.status_code == 302
    with app.app_context():
        resident = db.session.scalar(sa.select(User.id).where(User.phone == "13700002222"))
    assert consent_rows(resident) == [("registration_needs", "staff", organizer, NOTICE_VERSION, False)]
    page = signed_in(resident).get("/me/consents").get_data(as_text=True)
    assert "By staff on your behalf:" in page


def test_saving_usual_needs_records_that_consent_once(signed_in, make_user, consent_rows):
    person = make_user()
    client = signed_in(person)
    form = {"display_name": "王芳", "district": "", "locale": "en", "default_needs": ["braille"],
            "default_needs_note": ""}
    assert client.post("/account", data=form).status_code == 302
    assert client.post("/account", data=form).status_code == 302  # saved again: still one consent
    assert consent_rows(person) == [("saved_needs", "self", None, NOTICE_VERSION, False)]


def test_saving_no_usual_needs_records_no_consent(signed_in, make_user, consent_rows):
    person = make_user()
    form = {"display_name": "王芳", "district": "", "locale": "en", "default_needs_note": ""}
    assert signed_in(person).post("/account", data=form).status_code == 302
    assert consent_rows(person) == []


@pytest.mark.parametrize("language, heading", [("en", "My consents"), ("zh_CN", "我的同意")])
def test_the_consents_page_lists_each_consent_in_both_languages(signed_in, make_user, make_event, language,
                                                               heading):
    person = make_user()
    client = signed_in(person, language)
    register(client, make_event(), needs=["braille"])
    page = client.get("/me/consents")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and heading in text and NOTICE_VERSION in text
    assert page.headers["Cache-Control"] == "no-store"
    assert text.count('action="/me/consents/registration_needs/withdraw"') == 1


def test_withdrawing_the_needs_consent_erases_saved_and_future_needs_only(
        signed_in, make_user, make_event, consent_rows, app, move_event):
    person = make_user(default_needs=["braille"], default_needs_note="大字")
    client = signed_in(person)
    future, past = make_event(), make_event()
    register(client, future, needs=["wheelchair_space", "braille"], needs_note="需要轮椅位")
    register(client, past, needs=["sign_language"])
    then = datetime.now(timezone.utc) - timedelta(days=2)
    move_event(past, starts_at=then, ends_at=then + timedelta(hours=2))
    other = make_user()
    register(signed_in(other), future, needs=["captions"])

    response = client.post("/me/consents/registration_needs/withdraw", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your consent is withdrawn." in text and "needs withdrawn" in text  # told what it means

    with app.app_context():
        user = db.session.get(User, person)
        assert (user.default_needs, user.default_needs_note) == ([], "")
        mine = list(db.session.scalars(sa.select(Registration).where(Registration.user_id == person)))
        upcoming = next(r for r in mine if r.event_id == future)
        finished = next(r for r in mine if r.event_id == past)
        assert (upcoming.needs, upcoming.needs_note, upcoming.wheelchair_space) == ([], "", False)
        assert upcoming.needs_withdrawn_at is not None and upcoming.status == "confirmed"
        assert finished.needs == ["sign_language"] and finished.needs_withdrawn_at is None
        theirs = db.session.scalar(sa.select(Registration).where(Registration.user_id == other))
        assert theirs.needs == ["captions"]
    assert all(row[4] for row in consent_rows(person) if row[0] == "registration_needs")
    assert not any(row[4] for row in consent_rows(other))

    organizer = signed_in(make_user(roles=("organizer",), role_district_code="wuchang"))
    roster = organizer.get(f"/organize/events/{future}/roster").get_data(as_text=True)
    assert roster.count("Needs withdrawn") == 1


def test_withdrawing_the_saved_needs_consent_keeps_registrations_needs(signed_in, make_user, make_event, app,
                                                                      consent_rows):
    person = make_user()
    client = signed_in(person)
    client.post("/account", data={"display_name": "王芳", "district": "", "locale": "en",
                                  "default_needs": ["braille"], "default_needs_note": ""})
    event_id = make_event()
    register(client, event_id, needs=["braille"])
    assert client.post("/me/consents/saved_needs/withdraw").status_code == 302
    with app.app_context():
        assert db.session.get(User, person).default_needs == []
        assert db.session.scalar(sa.select(Registration).where(Registration.user_id == person)).needs == ["braille"]
    assert [row for row in consent_rows(person) if row[4]] == [
        ("saved_needs", "self", None, NOTICE_VERSION, True)]


def test_withdrawing_needs_a_known_purpose_a_login_and_a_post(signed_in, make_user, client):
    person = signed_in(make_user())
    assert person.post("/me/consents/diagnosis/withdraw").status_code == 404
    assert person.get("/me/consents/sms/withdraw").status_code == 405
    assert client.post("/me/consents/sms/withdraw").status_code in (302, 401)
    assert client.get("/me/consents").status_code in (302, 401)


def test_a_new_notice_version_asks_again_at_the_next_registration(signed_in, make_user, make_event, app,
                                                                  monkeypatch):
    person = make_user()
    client = signed_in(person)
    register(client, make_event(), needs=["braille"])
    form = client.get(f"/events/{make_event()}/register").get_data(as_text=True)
    assert 'checked id="consent"' in form or ('id="consent"' in form and "checked" in _consent_input(form))
    assert "Our privacy notice has changed" not in form

    monkeypatch.setattr(consents, "NOTICE_VERSION", "2099-01")
    form = client.get(f"/events/{make_event()}/register").get_data(as_text=True)
    assert "Our privacy notice has changed" in form
    assert "checked" not in _consent_input(form)


def test_someone_who_never_consented_is_asked_with_the_box_unticked(signed_in, make_user, make_event):
    form = signed_in(make_user()).get(f"/events/{make_event()}/register").get_data(as_text=True)
    assert "checked" not in _consent_input(form) and "Our privacy notice has changed" not in form


def _consent_input(html):
    start = html.index('id="consent"')
    return html[html.rindex("<input", 0, start):html.index(">", start)]


def test_a_consent_given_by_staff_must_name_them(app, make_user):
    """The database refuses a staff consent without the staff member (the backstop of ``give``)."""
    person = make_user()
    with app.app_context():
        db.session.add(ConsentRecord(user_id=person, purpose="sms", notice_version=NOTICE_VERSION,
                                     given_how="staff", staff_id=None))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_withdrawing_the_needs_consent_ends_the_consent_to_keep_usual_needs_too(signed_in, make_user, consent_rows):
    person = make_user()
    client = signed_in(person)
    client.post("/account", data={"display_name": "王芳", "district": "", "locale": "en",
                                  "default_needs": ["braille"], "default_needs_note": ""})
    client.post("/me/consents/registration_needs/withdraw")
    assert consent_rows(person) == [("saved_needs", "self", None, NOTICE_VERSION, True)]
    # Saving usual needs again is a new consent.
    client.post("/account", data={"display_name": "王芳", "district": "", "locale": "en",
                                  "default_needs": ["captions"], "default_needs_note": ""})
    assert consent_rows(person)[-1] == ("saved_needs", "self", None, NOTICE_VERSION, False)


def test_choosing_text_messages_records_that_consent_and_withdrawing_it_stops_the_choice(
        signed_in, make_user, consent_rows, app):
    person = make_user()
    client = signed_in(person)
    settings = {"channel": "sms", "reminders": ["day_before"]}
    assert client.post("/me/messages/settings", data=settings).status_code == 302
    assert client.post("/me/messages/settings", data=settings).status_code == 302  # unchanged: no new record
    assert consent_rows(person) == [("sms", "self", None, NOTICE_VERSION, False)]
    answer = client.post("/me/consents/sms/withdraw", follow_redirects=True)
    assert "the site chooses again" in answer.get_data(as_text=True)
    assert consent_rows(person) == [("sms", "self", None, NOTICE_VERSION, True)]
    with app.app_context():
        assert db.session.get(User, person).message_channel is None


def test_the_export_and_sign_in_sheet_say_needs_withdrawn(signed_in, make_user, make_event):
    person = make_user()
    client = signed_in(person)
    event_id = make_event()
    register(client, event_id, needs=["braille"])
    client.post("/me/consents/registration_needs/withdraw")
    organizer = signed_in(make_user(roles=("organizer",), role_district_code="wuchang"))
    export = organizer.get(f"/organize/events/{event_id}/roster.csv").get_data(as_text=True)
    assert "Needs withdrawn" in export and "Braille" not in export
    sheet = organizer.get(f"/organize/events/{event_id}/sign-in-sheet").get_data(as_text=True)
    assert "Needs withdrawn" in sheet


def test_registering_through_the_api_with_needs_records_the_consent(client, make_user, make_event, make_token,
                                                                    consent_rows):
    from tests.api.conftest import bearer

    person = make_user()
    answer = client.post(f"/api/v1/events/{make_event()}/registrations", headers=bearer(make_token(person)),
                         json={"consent": True, "needs": ["captions"]})
    assert answer.status_code == 201
    assert consent_rows(person) == [("registration_needs", "self", None, NOTICE_VERSION, False)]
