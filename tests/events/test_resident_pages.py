"""The resident's pages: the event page, registering, the result, my registrations, cancelling."""
import html
import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from activity_hub.events.models import CONFIRMED, REG_CANCELLED, Registration
from activity_hub.extensions import db


@pytest.fixture
def resident_client(client, make_user, log_in):
    """A client logged in as a resident who usually needs braille and large print; English pages."""
    user_id = make_user(default_needs=["braille", "large_print"], default_needs_note="带导盲杖")
    log_in(client, user_id)
    client.set_cookie("lang", "en")
    client.user_id = user_id
    return client


def text(response):
    return response.get_data(as_text=True)


def h1(response):
    return html.unescape(re.search(r"<h1>(.*?)</h1>", text(response), re.S).group(1).strip())


def registrations(app):
    with app.app_context():
        return list(db.session.execute(sa.select(Registration.id, Registration.user_id, Registration.status,
                                                 Registration.companions, Registration.note)))


# --- the event page -----------------------------------------------------------------------


def test_the_event_page_has_what_a_resident_needs_to_decide(client, make_event, make_venue):
    venue = make_venue(features=("step_free", "hearing_loop"), accessible_entrance="东门坡道入口",
                       directions="地铁2号线中南路站C出口，步行200米")
    event = make_event(title="手语诗歌音乐会", venue_id=venue, capacity=30, wheelchair_spaces=3,
                       provisions=("sign_language", "captions"), description="第一段。\n第二段。",
                       easy_read_summary="这是一场音乐会。", contact_name="王老师", contact_phone="027-88886666")
    client.set_cookie("lang", "en")
    page = text(client.get(f"/events/{event}"))
    for expected in ("手语诗歌音乐会", "东门坡道入口", "地铁2号线中南路站C出口", "Yes: Step-free access",
                     "No: Lift", "Yes: Hearing loop", "Sign-language interpreter", "Live captions",
                     "30 places left", "3 in total, 3 left", "王老师", "027-88886666", "第二段。", "这是一场音乐会。",
                     "How the waiting list works", "a smaller registration behind it may take the free place",
                     "Register for this event", "Beijing time"):
        assert expected in page, expected
    assert f'href="/events/{event}/register"' in page
    assert page.count("<h1>") == 1


def test_the_easy_read_summary_comes_first_for_those_who_ask(client, make_event, make_user, log_in):
    event = make_event(summary="正式摘要", easy_read_summary="简单的话。")
    log_in(client, make_user(prefers_easy_read=True))
    page = text(client.get(f"/events/{event}"))
    assert page.index("简单的话。") < page.index("正式摘要")
    log_in(client, make_user(prefers_easy_read=False))
    page = text(client.get(f"/events/{event}"))
    assert page.index("正式摘要") < page.index("简单的话。")


def test_drafts_are_hidden_from_the_public_but_not_from_their_organizers(client, make_event, make_user, log_in):
    event = make_event(status="draft")
    assert client.get(f"/events/{event}").status_code == 404
    log_in(client, make_user())
    assert client.get(f"/events/{event}").status_code == 404
    assert client.get(f"/events/{event}/register").status_code == 404
    log_in(client, make_user(roles=("organizer",), role_district_code="jiangan"))
    assert client.get(f"/events/{event}").status_code == 404
    log_in(client, make_user(roles=("organizer",), role_district_code="wuchang"))
    assert client.get(f"/events/{event}").status_code == 200
    assert client.get("/events/999999").status_code == 404


def test_the_event_page_says_why_registration_is_not_possible(client, make_event, move_event):
    cancelled = make_event(status="cancelled")
    later = make_event()
    move_event(later, registration_opens_at=datetime.now(timezone.utc) + timedelta(days=3))
    client.set_cookie("lang", "en")
    page = text(client.get(f"/events/{cancelled}"))
    assert "This event has been cancelled." in page and "Register for this event" not in page
    page = text(client.get(f"/events/{later}"))
    assert "You cannot register now." in page and "Registration opens on" in page
    assert "Register for this event" not in page


# --- registering -----------------------------------------------------------------------------


def test_registering_needs_a_login(client, make_event):
    event = make_event()
    answer = client.get(f"/events/{event}/register")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_form_is_prefilled_from_the_profile(resident_client, make_event):
    event = make_event(max_companions=2)
    page = text(resident_client.get(f"/events/{event}/register"))
    assert re.search(r'<input[^>]*checked[^>]*value="braille"|<input[^>]*value="braille"[^>]*checked', page)
    assert re.search(r'<input[^>]*checked[^>]*value="large_print"|<input[^>]*value="large_print"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="sign_language"[^>]*checked', page)
    assert "带导盲杖" in page
    assert '<legend>What you need at this event' in page
    assert re.search(r'<option (selected value="0"|value="0" selected)>0</option>', page)
    assert 'id="consent"' in page and "sensitive personal information" in page


def test_registering_leads_to_a_page_that_says_the_result(app, resident_client, make_event):
    event = make_event(title="轮椅舞蹈比赛", capacity=5, max_companions=2)
    answer = resident_client.post(f"/events/{event}/register", data={
        "needs": ["braille", "wheelchair_space"], "companions": "2", "consent": "y",
        "note": "我会早到 😊 <b>谢谢</b>", "needs_note": "",
    })
    assert answer.status_code == 302
    result = resident_client.get(answer.headers["Location"])
    assert h1(result) == "You are registered for 轮椅舞蹈比赛: your place is confirmed."
    page = text(result)
    assert 'role="status"' in page and "flash-success" in page
    assert "我会早到 😊 &lt;b&gt;谢谢&lt;/b&gt;" in page and "<b>谢谢</b>" not in page
    assert '<svg role="img" aria-label="QR code for check-in' in page
    token = re.search(r'<span class="checkin-code" aria-hidden="true">([^<]+)</span>', page).group(1)
    assert " ".join(token) in page                           # spelled out for screen readers
    [(reg_id, user_id, status, companions, note)] = registrations(app)
    assert (status, companions, note) == (CONFIRMED, 2, "我会早到 😊 <b>谢谢</b>")
    with app.app_context():
        stored = db.session.get(Registration, reg_id)
        assert stored.needs == ["wheelchair_space", "braille"] and stored.wheelchair_space
        assert stored.consent_at is not None


def test_the_result_page_names_the_waitlist_position_and_pending_approval(app, make_event, make_user, log_in,
                                                                          client, residents, sign_up):
    full = make_event(title="满员活动", capacity=1, wheelchair_spaces=0, max_companions=0)
    for person in residents(2):
        sign_up(full, person)
    approval = make_event(title="需审核活动", requires_approval=True)
    log_in(client, make_user(locale="en"))
    client.set_cookie("lang", "en")
    answer = client.post(f"/events/{full}/register", data={"consent": "y"})
    result = client.get(answer.headers["Location"])
    assert h1(result) == "You are on the waiting list for 满员活动 at position 2."
    assert "checkin-qr" not in text(result)
    answer = client.post(f"/events/{approval}/register", data={"consent": "y"})
    assert h1(client.get(answer.headers["Location"])) == (
        "Your registration for 需审核活动 is waiting for the organizer's approval.")


def test_the_result_page_is_in_chinese_by_default(make_event, make_user, log_in, client):
    event = make_event(title="普法讲座")
    log_in(client, make_user())
    answer = client.post(f"/events/{event}/register", data={"consent": "y"})
    heading = h1(client.get(answer.headers["Location"]))
    assert "普法讲座" in heading and "You are" not in heading


@pytest.mark.parametrize("companions", ["3", "-1", "two", "1.5", ""])
def test_companions_outside_the_limit_are_refused_beside_the_field(app, resident_client, make_event, companions):
    event = make_event(max_companions=2)
    answer = resident_client.post(f"/events/{event}/register", data={
        "companions": companions, "consent": "y", "note": "<script>alert(1)</script> 🙂",
    })
    if companions == "":
        assert answer.status_code == 302   # an empty choice means no companions
        return
    assert answer.status_code == 400
    page = text(answer)
    assert '<p class="field-error" id="companions-error">' in page
    assert "Enter a number of companions from 0 to 2." in page
    assert 'href="#companions"' in page and page.startswith("<!doctype html>")
    assert "<title>Error:" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 🙂" in page and "<script>alert(1)" not in page
    assert registrations(app) == []


def test_every_problem_is_shown_at_once_and_nothing_is_saved(app, resident_client, make_event):
    event = make_event(max_companions=1)
    answer = resident_client.post(f"/events/{event}/register", data={
        "companions": "5", "needs": ["teleport"], "note": "x" * 1001, "needs_note": "bad\x07bell",
    })
    assert answer.status_code == 400
    page = text(answer)
    for field in ("companions", "needs", "note", "needs_note", "consent"):
        assert f'id="{field}-error"' in page, field
        assert f'href="#{field}"' in page, field
    assert "agree that the organizer may use your needs" in page
    assert registrations(app) == []


def test_missing_consent_is_refused_beside_the_checkbox(app, resident_client, make_event):
    event = make_event()
    answer = resident_client.post(f"/events/{event}/register", data={"companions": "0", "needs": ["braille"]})
    assert answer.status_code == 400
    assert '<p class="field-error" id="consent-error">' in text(answer)
    assert 'aria-invalid="true"' in text(answer)
    assert registrations(app) == []


def test_a_closed_event_refuses_with_the_reason_and_no_form(app, resident_client, make_event, move_event):
    event = make_event()
    move_event(event, registration_closes_at=datetime.now(timezone.utc) - timedelta(hours=1))
    page = resident_client.get(f"/events/{event}/register")
    assert page.status_code == 200 and "Registration closed on" in text(page)
    assert '<form method="post" novalidate>' not in text(page)
    answer = resident_client.post(f"/events/{event}/register", data={"consent": "y"})
    assert answer.status_code == 409 and "Registration closed on" in text(answer)
    assert registrations(app) == []


def test_registering_again_goes_to_the_existing_registration(app, resident_client, make_event):
    event = make_event()
    first = resident_client.post(f"/events/{event}/register", data={"consent": "y"})
    again = resident_client.get(f"/events/{event}/register")
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    resident_client.post(f"/events/{event}/register", data={"consent": "y"})
    assert len(registrations(app)) == 1
    assert "You have registered: Confirmed." in text(resident_client.get(f"/events/{event}"))


# --- seeing and cancelling registrations -----------------------------------------------------------


def test_only_the_resident_and_the_events_organizers_see_a_registration(client, make_event, make_user, log_in,
                                                                         sign_up):
    event = make_event()
    owner = make_user(name="报名人甲")
    reg_id, _ = sign_up(event, owner)
    for outsider in (make_user(), make_user(roles=("organizer",), role_district_code="jiangan"),
                     make_user(roles=("volunteer",))):
        log_in(client, outsider)
        assert client.get(f"/registrations/{reg_id}").status_code == 404
        assert client.get(f"/registrations/{reg_id}/cancel").status_code == 404
        assert client.post(f"/registrations/{reg_id}/cancel").status_code == 404
    log_in(client, make_user(roles=("organizer",), role_district_code="wuchang"))
    page = client.get(f"/registrations/{reg_id}")
    assert page.status_code == 200 and "报名人甲" in text(page)
    log_in(client, make_user(roles=("admin",)))
    assert client.get(f"/registrations/{reg_id}").status_code == 200
    client.delete_cookie("session")
    assert client.get(f"/registrations/{reg_id}").status_code == 302


def test_my_registrations_shows_upcoming_and_past_with_status_and_position(
        app, resident_client, make_event, residents, sign_up, move_event):
    soon = make_event(title="即将举行", capacity=1, wheelchair_spaces=0, max_companions=0)
    sign_up(soon, residents(1)[0])
    waiting_id, _ = sign_up(soon, resident_client.user_id)
    earlier = make_event(title="已经举行")
    past_id, _ = sign_up(earlier, resident_client.user_id)
    now = datetime.now(timezone.utc)
    move_event(earlier, starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3, hours=-2),
               registration_closes_at=None)
    page = text(resident_client.get("/my/registrations"))
    upcoming, past = page.split("<h2>Past</h2>")
    assert "即将举行" in upcoming and "On the waiting list: position 1" in upcoming
    assert f'href="/registrations/{waiting_id}/cancel"' in upcoming
    assert "已经举行" in past and f"/registrations/{past_id}/cancel" not in past
    assert '<th scope="col">Status</th>' in page and '<th scope="row">' in page


def test_cancelling_asks_first_then_frees_the_place_for_the_next_in_line(app, resident_client, make_event,
                                                                         residents, sign_up, outbox):
    event = make_event(title="音乐会", capacity=1, wheelchair_spaces=0, max_companions=0)
    mine = resident_client.post(f"/events/{event}/register", data={"consent": "y"})
    reg_id = int(mine.headers["Location"].rsplit("/", 1)[1])
    next_in_line = residents(1)[0]
    waiting_id, _ = sign_up(event, next_in_line)

    confirm = resident_client.get(f"/registrations/{reg_id}/cancel")
    assert confirm.status_code == 200 and h1(confirm) == "Cancel your registration for 音乐会?"
    assert {row.status for row in registrations(app) if row.id == reg_id} == {CONFIRMED}

    done = resident_client.post(f"/registrations/{reg_id}/cancel")
    assert done.status_code == 302 and done.headers["Location"].endswith("/my/registrations")
    assert "Your registration for 音乐会 is cancelled." in text(resident_client.get(done.headers["Location"]))
    statuses = {row.id: row.status for row in registrations(app)}
    assert statuses == {reg_id: REG_CANCELLED, waiting_id: CONFIRMED}
    assert [kind for kind, *_ in outbox(next_in_line)] == ["registration_waitlisted", "registration_promoted"]
    again = resident_client.post(f"/registrations/{reg_id}/cancel")
    assert again.status_code == 409 and "already cancelled" in text(again)


def test_times_and_words_follow_the_language_also_when_it_changes_within_a_request(app, client, make_event):
    """Templates keep the request's translations once looked up (i18n.request_translations), and
    dates use per-locale patterns (local_time.moment): both must follow force_locale."""
    from datetime import datetime, timezone

    from flask import render_template_string
    from flask_babel import force_locale

    from activity_hub.local_time import moment

    event_id = make_event(title="语言活动")
    chinese = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "星期" in chinese and "全部活动" in chinese
    client.set_cookie("lang", "en")
    english = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "All events" in english and "星期" not in english
    when = datetime(2026, 5, 17, 6, 30, tzinfo=timezone.utc)
    with app.test_request_context("/"):
        assert render_template_string('{{ _("All events") }}') == "全部活动"
        assert moment(when) == "2026年5月17日星期日 14:30"
        with force_locale("en"):
            assert render_template_string('{{ _("All events") }}') == "All events"
            assert moment(when).startswith("Sunday, May 17, 2026 2:30")
        assert render_template_string('{{ _("All events") }}') == "全部活动"


def test_template_strings_are_escaped_formatted_and_translated_alike_on_every_path(app):
    """Pages rendered through Flask and templates rendered bare use the same gettext functions
    (Flask-Babel's, installed by i18n.install_template_gettext): both
    escape what they insert (unless autoescaping is off), format plurals and follow the language."""
    from flask import render_template_string
    from flask_babel import force_locale

    source = ('{{ _("Registration closes on %(when)s.", when="<b>5月</b>") }}|'
              '{{ ngettext("%(num)d place left", "%(num)d places left", 2) }}|'
              '{% autoescape false %}{{ _("Registration closes on %(when)s.", when="<b>") }}{% endautoescape %}|'
              '{{ _("All events") + "<i>" }}|{% autoescape false %}{{ _("All events") + "<i>" }}{% endautoescape %}')
    with app.test_request_context("/"):
        with force_locale("en"):
            through_flask = render_template_string(source)
            again = render_template_string(source)   # strings without variables are kept once made
            bare = app.jinja_env.from_string(source).render()
        chinese = render_template_string(source)
    assert through_flask == again == bare == (
        "Registration closes on &lt;b&gt;5月&lt;/b&gt;.|2 places left|Registration closes on <b>.|"
        "All events&lt;i&gt;|All events<i>")
    assert "Registration" not in chinese and "&lt;b&gt;5月" in chinese


def test_the_layouts_links_follow_the_path_the_site_is_served_under(client, make_event):
    """The navigation's paths are built once per script root (web.page_path): a site served under
    a prefix links within it, and the same worker serving the root links to the root."""
    event_id = make_event()
    client.set_cookie("lang", "en")
    under_prefix = client.get(f"/events/{event_id}", environ_overrides={"SCRIPT_NAME": "/hub"})
    page = text(under_prefix)
    assert 'class="site-name" href="/hub/"' in page and '<li><a href="/hub/">Events</a></li>' in page
    assert '<li><a href="/hub/dashboard/results">Results</a></li>' in page
    at_root = text(client.get(f"/events/{event_id}"))
    assert 'class="site-name" href="/"' in at_root and '<li><a href="/dashboard/results">Results</a></li>' in at_root
    assert "/hub/" not in at_root
