"""The privacy notice: in Chinese and English, full and easy-read, with its version, the retention it
promises and whom to contact; linked from the footer and from every form that collects personal data."""
import pytest

from activity_hub.privacy.notice import NOTICE_VERSION


@pytest.mark.parametrize("language, words", [
    ("en", ["Privacy notice", "Who sees it", "90 days after the event ends", "contact the federation"]),
    ("zh_CN", ["隐私", "90"]),
])
def test_the_notice_says_what_who_how_long_and_whom_to_call(client, app, language, words):
    client.set_cookie("lang", language)
    page = client.get("/privacy")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for word in words + [NOTICE_VERSION, app.config["HELP_PHONE"], app.config["HELP_EMAIL"]]:
        assert word in text
    assert 'href="/privacy/easy-read"' in text


def test_the_retention_it_states_follows_the_setting(make_app):
    other = make_app(RETENTION_NEEDS_DAYS=30)
    client = other.test_client()
    client.set_cookie("lang", "en")
    assert "30 days after the event ends" in client.get("/privacy").get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_easy_read_version(client, app, language):
    client.set_cookie("lang", language)
    page = client.get("/privacy/easy-read")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and NOTICE_VERSION in text and app.config["HELP_PHONE"] in text
    assert 'href="/privacy"' in text


def test_the_english_and_chinese_notices_differ(client):
    client.set_cookie("lang", "en")
    english = client.get("/privacy").get_data(as_text=True)
    client.set_cookie("lang", "zh_CN")
    chinese = client.get("/privacy").get_data(as_text=True)
    assert "What we collect" in english and "What we collect" not in chinese


def test_linked_from_the_footer_and_every_form_that_collects_personal_data(client, signed_in, make_user,
                                                                          make_event):
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in client.get("/signup").get_data(as_text=True)
    resident = signed_in(make_user())
    event_id = make_event()
    for path in ("/account", f"/events/{event_id}/register"):
        page = resident.get(path).get_data(as_text=True)
        assert page.count('href="/privacy"') >= 2, path  # the form's own link besides the footer's
    organizer = signed_in(make_user(roles=("organizer",), role_district_code="wuchang"))
    page = organizer.get(f"/organize/events/{event_id}/register-resident", query_string={"phone": "13900001111"})
    assert page.get_data(as_text=True).count('href="/privacy"') >= 2
