"""The roster and what organizers do with it: filters, approve / turn down / move up, the needs
summary, exports, the sign-in sheet and a roster page whose query count does not grow."""
import csv
import html
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from activity_hub.auth import accounts
from activity_hub.events.models import Registration
from activity_hub.extensions import db
from tests.conftest import login, recorded_statements


@pytest.fixture
def organizer_client(client, organizer):
    login(client, organizer)
    client.set_cookie("lang", "en")
    return client


def page_of(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_roster_filters_by_status_and_need(organizer_client, make_event, make_user, sign_up):
    event_id = make_event(capacity=2, wheelchair_spaces=1, max_companions=1)
    sign_up(event_id, make_user(name="张敏"), needs=["sign_language"])
    sign_up(event_id, make_user(name="李强"), needs=["wheelchair_space"])
    sign_up(event_id, make_user(name="王芳"), needs=["sign_language", "braille"])  # waitlisted
    url = f"/organize/events/{event_id}/roster"

    everyone = page_of(organizer_client.get(url))
    assert all(name in everyone for name in ("张敏", "李强", "王芳"))
    waiting = page_of(organizer_client.get(url, query_string={"status": "waitlisted"}))
    assert "王芳" in waiting and "张敏" not in waiting and "Position 1" in waiting
    signing = page_of(organizer_client.get(url, query_string={"need": "sign_language"}))
    assert "张敏" in signing and "王芳" in signing and "李强" not in signing
    both = page_of(organizer_client.get(url, query_string={"need": "sign_language", "status": "confirmed"}))
    assert "张敏" in both and "王芳" not in both and "李强" not in both


def test_approve_and_reject_pending_registrations(organizer_client, make_event, make_user, sign_up, statuses):
    event_id = make_event(requires_approval=True)
    first, status = sign_up(event_id, make_user(name="张敏"))
    second, _ = sign_up(event_id, make_user(name="李强"))
    assert status == "pending"
    roster = page_of(organizer_client.get(f"/organize/events/{event_id}/roster"))
    assert f"/organize/registrations/{first}/approve" in roster
    response = organizer_client.post(f"/organize/registrations/{first}/approve",
                                     data={"next": f"/organize/events/{event_id}/roster?status=pending"})
    assert response.headers["Location"].endswith(f"/organize/events/{event_id}/roster?status=pending")
    organizer_client.post(f"/organize/registrations/{second}/reject", data={"next": "https://evil.example/"})
    assert statuses(event_id) == {first: "confirmed", second: "rejected"}
    follow = page_of(organizer_client.get(f"/organize/events/{event_id}/roster"))
    assert "李强's registration has been turned down." in html.unescape(follow)


def test_move_up_from_the_waitlist_when_it_fits(organizer_client, make_event, make_user, sign_up, statuses,
                                                 app):
    event_id = make_event(capacity=2, wheelchair_spaces=0, max_companions=1)
    holder, _ = sign_up(event_id, make_user(), companions=1)
    waiting, status = sign_up(event_id, make_user())
    assert status == "waitlisted"
    organizer_client.post(f"/organize/registrations/{waiting}/move-up")
    assert statuses(event_id)[waiting] == "waitlisted"  # no room: refused with a message
    assert "not enough free places" in page_of(organizer_client.get(f"/organize/events/{event_id}/roster"))
    with app.app_context():
        db.session.get(Registration, holder).companions = 0  # a place is freed without serving the list
        db.session.commit()
    organizer_client.post(f"/organize/registrations/{waiting}/move-up")
    assert statuses(event_id)[waiting] == "confirmed"


def test_needs_summary_counts_and_warns_about_the_venue(organizer_client, make_venue, make_event, make_user,
                                                         sign_up):
    venue_id = make_venue(features=("accessible_toilet",), wheelchair_spaces=1)  # no step-free access
    event_id = make_event(venue_id=venue_id, capacity=20, wheelchair_spaces=3, max_companions=2,
                          provisions=("sign_language",))
    sign_up(event_id, make_user(), needs=["wheelchair_space", "transport"], companions=2)
    sign_up(event_id, make_user(), needs=["wheelchair_space", "sign_language"])
    sign_up(event_id, make_user(), needs=["transport", "braille"], companions=1)

    from activity_hub.events import roster
    from activity_hub.events.models import Event
    with organizer_client.application.app_context():
        summary = roster.needs_summary(db.session.get(Event, event_id))
    lines = {line.need.code: line for line in summary.lines}
    assert (lines["wheelchair_space"].registrations, lines["wheelchair_space"].people) == (2, 4)
    assert lines["transport"].registrations == 2 and lines["transport"].to_arrange == 5  # companions ride too
    assert lines["braille"].to_arrange == 1
    assert (summary.registrations, summary.people) == (3, 6)
    assert [(need.code, feature) for need, feature, _, _ in summary.venue_warnings] == [("wheelchair_space", "step_free")]
    assert summary.wheelchair_warning == (3, 1)
    assert {line.need.code for line in summary.not_provided} == {"transport", "braille"}

    page = page_of(organizer_client.get(f"/organize/events/{event_id}/needs"))
    assert "Step-free access" in page and "Warning:" in page
    assert "Book a seat in accessible transport: for 5 people" in page
    assert "Prepare braille copies: for 1 person" in page


def test_csv_export_has_a_bom_and_keeps_chinese(organizer_client, make_event, make_user, sign_up):
    event_id = make_event()
    sign_up(event_id, make_user(name="张敏"), needs=["sign_language"], note="=HYPERLINK(\"http://x\")",
            needs_note="需要坐在前排")
    response = organizer_client.get(f"/organize/events/{event_id}/roster.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["No.", "Full name", "Mobile number"]
    assert rows[1][1] == "张敏" and "需要坐在前排" in rows[1]
    assert "Sign-language interpreter (Chinese Sign Language)" in rows[1][8]
    assert rows[1][10].startswith("'=")  # a formula is kept as text


def test_xlsx_export_opens_and_has_the_rows(organizer_client, make_event, make_user, sign_up):
    event_id = make_event(capacity=2, wheelchair_spaces=0, max_companions=1)
    sign_up(event_id, make_user(name="张敏", login="13912345678"), companions=1)
    sign_up(event_id, make_user(name="李强"))  # waitlisted
    response = organizer_client.get(f"/organize/events/{event_id}/roster.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Full name"
    assert len(rows) == 3
    assert rows[1][1] == "张敏" and rows[1][2] == "13912345678" and rows[1][7] == 2
    assert rows[2][1] == "李强" and rows[2][5] == 1  # waitlist position


def test_sign_in_sheet_lists_confirmed_people_for_printing(organizer_client, make_event, make_user, sign_up):
    event_id = make_event(capacity=1, wheelchair_spaces=0)
    sign_up(event_id, make_user(name="张敏", login="13912345678"), needs=["large_print"])
    sign_up(event_id, make_user(name="李强"))  # waitlisted: not on the sheet
    page = page_of(organizer_client.get(f"/organize/events/{event_id}/sign-in-sheet"))
    assert "张敏" in page and "139****5678" in page and "13912345678" not in page
    assert "Large-print materials" in page
    assert "李强" not in page
    assert "css/organizer.css" in page


def _count_queries(app):
    return recorded_statements(app)


def _add_registrations(app, event_id, count, start):
    """Many registrations straight into the tables (the registration rules are tested elsewhere)."""
    from activity_hub.auth.models import User

    with app.app_context():
        organizer = db.session.scalars(sa.select(User).order_by(User.id)).first()
        for n in range(start, start + count):
            user = accounts.create_user(f"137{n:08d}", f"居民{n}", "x" * 12)
            db.session.flush()
            registration = Registration(event_id=event_id, user_id=user.id, companions=n % 2,
                                        status=["confirmed", "waitlisted", "pending"][n % 3],
                                        registered_by_id=organizer.id if n % 5 == 0 else None)
            registration.set_needs(["sign_language", "braille"] if n % 2 else ["wheelchair_space"])
            db.session.add(registration)
        db.session.commit()


@pytest.mark.parametrize("path", ["/organize/events/{id}/roster", "/organize/events/{id}/roster?status=all",
                                  "/organize/events/{id}/roster.csv", "/organize/events/{id}/needs",
                                  "/organize/events/{id}/sign-in-sheet"])
def test_roster_pages_run_the_same_number_of_queries_for_10_and_100_registrations(
        app, organizer_client, make_event, path):
    event_id = make_event(capacity=1000, wheelchair_spaces=200)
    url = path.format(id=event_id)
    _add_registrations(app, event_id, 10, start=0)
    organizer_client.get(url)  # warm up: first-request work is not what is measured
    with _count_queries(app) as small:
        assert organizer_client.get(url).status_code == 200
    _add_registrations(app, event_id, 90, start=10)
    with _count_queries(app) as large:
        response = organizer_client.get(url)
        assert response.status_code == 200
    assert len(large) == len(small), (len(small), len(large))
    if path.endswith("roster?status=all"):
        assert response.get_data(as_text=True).count("居民") >= 100


def test_roster_buttons_carry_a_csrf_token_and_a_forged_post_is_refused(make_app, make_event, make_user, sign_up,
                                                                       organizer, statuses):
    import re

    event_id = make_event(requires_approval=True)
    registration_id, _ = sign_up(event_id, make_user(name="张敏"))
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    login(client, organizer)
    forged = client.post(f"/organize/registrations/{registration_id}/approve")
    assert forged.status_code == 400
    assert statuses(event_id)[registration_id] == "pending"
    page = page_of(client.get(f"/organize/events/{event_id}/roster"))
    action = f"/organize/registrations/{registration_id}/approve"
    form = page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert client.post(action, data={"csrf_token": token}).status_code == 302
    assert statuses(event_id)[registration_id] == "confirmed"
