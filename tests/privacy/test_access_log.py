""""谁查看了我的信息": a resident sees exactly who viewed or exported a roster while they were on it, or
looked them up, and nothing about anyone else; the administrators' search and export of the log."""
import csv
import io
from datetime import datetime

import pytest

from activity_hub.local_time import SHANGHAI
from activity_hub.privacy import audit
from tests.api.conftest import bearer


@pytest.fixture
def world(make_user, make_event, signed_in):
    """Two residents on one Wuchang event, a third on another; an organizer from Wuchang and a
    city-wide one from another district's staff."""
    wuchang = make_user(roles=("organizer",), role_district_code="wuchang", name="武昌组织者",
                        district_code="wuchang")
    city = make_user(roles=("organizer",), name="市级组织者", district_code=None)
    shared, elsewhere = make_event(title="共同活动"), make_event(title="另一个活动")
    alice, bob, carol = make_user(name="甲"), make_user(name="乙"), make_user(name="丙")
    for person, event_id in ((alice, shared), (bob, shared), (carol, elsewhere)):
        signed_in(person).post(f"/events/{event_id}/register", data={"companions": "0", "consent": "y"})
    return dict(wuchang=wuchang, city=city, shared=shared, elsewhere=elsewhere, alice=alice, bob=bob, carol=carol)


def rows(page):
    return [line for line in page.get_data(as_text=True).split("<tr>")[2:]]


def test_a_resident_sees_who_viewed_and_exported_rosters_with_them(world, signed_in):
    signed_in(world["wuchang"]).get(f"/organize/events/{world['shared']}/roster")
    signed_in(world["city"]).get(f"/organize/events/{world['shared']}/roster.csv")
    signed_in(world["wuchang"]).get(f"/organize/events/{world['elsewhere']}/roster")  # not alice's event

    page = signed_in(world["alice"]).get("/me/access-log")
    entries = rows(page)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert len(entries) == 2
    assert "市级组织者" in entries[0] and "Exported the roster" in entries[0] and "City federation" in entries[0]
    assert "武昌组织者" in entries[1] and "Viewed the roster" in entries[1] and "Wuchang" in entries[1]
    assert all("共同活动" in entry for entry in entries)
    assert "另一个活动" not in page.get_data(as_text=True)

    carol = rows(signed_in(world["carol"]).get("/me/access-log"))
    assert len(carol) == 1 and "另一个活动" in carol[0]


def test_a_roster_viewed_before_someone_registered_is_not_in_their_log(world, signed_in, make_user):
    signed_in(world["wuchang"]).get(f"/organize/events/{world['shared']}/roster")
    late = make_user()
    signed_in(late).post(f"/events/{world['shared']}/register", data={"companions": "0", "consent": "y"})
    page = signed_in(late).get("/me/access-log").get_data(as_text=True)
    assert "Nobody has viewed your information yet." in page


def test_a_lookup_of_one_resident_shows_only_in_their_log(world, signed_in, app):
    with app.app_context():
        from activity_hub.auth.models import User
        from activity_hub.extensions import db
        phone = db.session.get(User, world["bob"]).phone
    signed_in(world["wuchang"]).get(f"/organize/events/{world['shared']}/register-resident",
                                    query_string={"phone": phone})
    assert "Looked up by mobile number" in signed_in(world["bob"]).get("/me/access-log").get_data(as_text=True)
    assert rows(signed_in(world["alice"]).get("/me/access-log")) == []


def test_a_residents_own_actions_and_logins_are_not_listed(world, signed_in, client):
    client.post("/login", data={"login": "nobody@example.com", "password": "x"})
    page = signed_in(world["alice"]).get("/me/access-log").get_data(as_text=True)
    assert "Nobody has viewed your information yet." in page


def test_the_access_log_in_chinese(world, signed_in):
    signed_in(world["wuchang"]).get(f"/organize/events/{world['shared']}/roster")
    page = signed_in(world["alice"], "zh_CN").get("/me/access-log").get_data(as_text=True)
    assert "谁查看了我的信息" in page and "查看了名单" in page and "武昌区" in page


def test_the_access_log_costs_the_same_whatever_its_length(world, signed_in, app):
    from tests.conftest import recorded_statements

    viewer = signed_in(world["wuchang"])
    resident = signed_in(world["alice"])
    counts = []
    for _ in range(2):
        for _ in range(3):
            viewer.get(f"/organize/events/{world['shared']}/roster")
        with recorded_statements(app) as statements:
            resident.get("/me/access-log")
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_nobody_reads_anothers_access_log_and_the_api_gives_only_ones_own(world, signed_in, make_token, client,
                                                                         app):
    signed_in(world["wuchang"]).get(f"/organize/events/{world['shared']}/roster")
    assert client.get("/me/access-log").status_code in (302, 401)
    answer = client.get("/api/v1/me/access-log", headers=bearer(make_token(world["alice"]), **{
        "Accept-Language": "en"}))
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    items = answer.get_json()["items"]
    assert [(i["action"], i["by"], i["by_district"], i["event_id"]) for i in items] == [
        (audit.ROSTER_VIEWED, "武昌组织者", "Wuchang District", world["shared"])]
    assert items[0]["action_label"] == "Viewed the roster"
    theirs = client.get("/api/v1/me/access-log", headers=bearer(make_token(world["carol"])))
    assert theirs.get_json()["items"] == []
    assert client.get("/api/v1/me/access-log").status_code == 401
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/me/access-log" in document["paths"] and "AccessLog" in document["components"]["schemas"]


# --- the administrators' audit log -------------------------------------------------------------


def test_only_administrators_read_the_audit_log(world, signed_in, make_user):
    assert signed_in(world["wuchang"]).get("/admin/audit").status_code == 403
    assert signed_in(world["alice"]).get("/admin/audit.csv").status_code == 403
    assert signed_in(make_user(roles=("admin",))).get("/admin/audit").status_code == 200


def test_administrators_search_by_person_event_and_days_and_export(world, signed_in, make_user):
    signed_in(world["wuchang"]).get(f"/organize/events/{world['shared']}/roster.xlsx")
    signed_in(world["city"]).get(f"/organize/events/{world['elsewhere']}/roster")
    admin = signed_in(make_user(roles=("admin",)))

    by_event = admin.get("/admin/audit", query_string={"event": world["shared"]}).get_data(as_text=True)
    assert "武昌组织者" in by_event and "市级组织者" not in by_event
    by_person = admin.get("/admin/audit", query_string={"person": world["city"]}).get_data(as_text=True)
    assert "市级组织者" in by_person and "武昌组织者" not in by_person
    today = datetime.now(SHANGHAI).date().isoformat()  # the days are Shanghai's
    assert "武昌组织者" in admin.get("/admin/audit", query_string={"first_day": today, "last_day": today}
                                      ).get_data(as_text=True)
    old = admin.get("/admin/audit", query_string={"first_day": "2020-01-01", "last_day": "2020-01-02"})
    assert "No entries match." in old.get_data(as_text=True)

    export = admin.get("/admin/audit.csv", query_string={"event": world["shared"]})
    assert export.status_code == 200 and export.headers["Cache-Control"] == "no-store"
    table = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0][:5] == ["id", "at", "actor_id", "actor", "action"]
    assert [(row[3], row[4], row[10]) for row in table[1:]] == [("武昌组织者", audit.ROSTER_EXPORTED, "xlsx")]


@pytest.mark.parametrize("query, field, message", [
    ({"person": "abc"}, "person", "Not a valid integer value."),
    ({"event": "0"}, "event", "Enter an event number: a whole number, 1 or more."),
    ({"first_day": "2026-13-40"}, "first_day", "Not a valid date value."),
    ({"first_day": "2026-05-02", "last_day": "2026-05-01"}, "last_day", "The last day cannot be before the first day."),
    ({"action": "erase_everything"}, "action", "Not a valid choice."),
])
def test_bad_search_input_is_named_beside_its_field(signed_in, make_user, query, field, message):
    admin = signed_in(make_user(roles=("admin",)))
    for path in ("/admin/audit", "/admin/audit.csv"):
        page = admin.get(path, query_string=query)
        text = page.get_data(as_text=True)
        assert page.status_code == 400 and f'id="{field}-error"' in text and message in text


def test_bad_search_input_in_chinese(signed_in, make_user):
    admin = signed_in(make_user(roles=("admin",)), "zh_CN")
    text = admin.get("/admin/audit", query_string={"event": "0"}).get_data(as_text=True)
    assert "请输入活动编号" in text
