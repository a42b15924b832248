"""Venues: organizers manage their own district's, admins all; bad input is refused beside the field."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from activity_hub.events.models import Event, Venue
from activity_hub.extensions import db
from tests.conftest import login


def district_id(app, code):
    from activity_hub.districts import District

    with app.app_context():
        return db.session.scalar(sa.select(District.id).where(District.code == code))


def venue_form(app, **changes):
    data = {"name": "武昌区残疾人综合服务中心", "address": "武昌区中山路352号",
            "district_id": str(district_id(app, "wuchang")), "features": ["step_free", "elevator", "hearing_loop"],
            "wheelchair_spaces": "6", "accessible_entrance": "主楼南侧平层入口",
            "directions": "地铁4号线首义路站B出口，步行300米"}
    data.update(changes)
    return data


def venues(app):
    with app.app_context():
        return [(v.name, v.district.code, v.features, v.wheelchair_spaces)
                for v in db.session.scalars(sa.select(Venue).order_by(Venue.id))]


@pytest.fixture
def wuchang(client, make_user):
    user_id = make_user(roles=("organizer",), role_district_code="wuchang")
    login(client, user_id)
    client.set_cookie("lang", "en")
    return user_id


def test_an_organizer_adds_a_venue_in_their_district(client, app, wuchang):
    response = client.post("/organize/venues/new", data=venue_form(app))
    assert response.status_code == 302
    assert venues(app) == [("武昌区残疾人综合服务中心", "wuchang", ["step_free", "elevator", "hearing_loop"], 6)]
    listing = client.get("/organize/venues").get_data(as_text=True)
    assert "武昌区残疾人综合服务中心" in listing and "Hearing loop" in listing


def test_a_district_organizer_cannot_add_a_venue_elsewhere(client, app, wuchang):
    response = client.post("/organize/venues/new", data=venue_form(app, district_id=str(district_id(app, "hanyang"))))
    assert response.status_code == 400
    assert venues(app) == []


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"),
    ({"name": "场" * 121}, "name"),
    ({"address": ""}, "address"),
    ({"wheelchair_spaces": "-1"}, "wheelchair_spaces"),
    ({"wheelchair_spaces": "many"}, "wheelchair_spaces"),
    ({"features": ["teleporter"]}, "features"),
    ({"directions": "地铁\x07站"}, "directions"),
])
def test_bad_venue_input_is_refused_beside_the_field(client, app, wuchang, changes, field):
    response = client.post("/organize/venues/new", data=venue_form(app, **changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and "<title>Error:" in page
    assert venues(app) == []


def test_chinese_emoji_and_html_in_a_venue_name(client, app, wuchang):
    name = "<b>听涛</b>游客中心🌊"
    client.post("/organize/venues/new", data=venue_form(app, name=name))
    assert venues(app)[0][0] == name
    assert "&lt;b&gt;听涛" in client.get("/organize/venues").get_data(as_text=True)


def test_edit_a_venue_and_its_coming_events_learn_the_new_address(client, app, wuchang, make_venue, make_event):
    venue_id = make_venue(name="旧场地", district_code="wuchang")
    event_id = make_event(venue_id=venue_id)
    past_id = make_event(venue_id=venue_id, starts_in=timedelta(days=-10))
    with app.app_context():
        before = {e.id: e.sequence for e in db.session.scalars(sa.select(Event))}
    page = client.get(f"/organize/venues/{venue_id}/edit").get_data(as_text=True)
    assert 'value="旧场地"' in page
    response = client.post(f"/organize/venues/{venue_id}/edit",
                           data=venue_form(app, name="新场地", features=["step_free"], wheelchair_spaces="2"))
    assert response.status_code == 302
    assert venues(app) == [("新场地", "wuchang", ["step_free"], 2)]
    with app.app_context():
        assert db.session.get(Event, event_id).sequence == before[event_id] + 1
        assert db.session.get(Event, past_id).sequence == before[past_id]


def test_another_districts_venue_cannot_be_edited_but_an_admin_can(client, app, wuchang, make_venue, make_user):
    venue_id = make_venue(name="汉阳区社区活动中心", district_code="hanyang")
    assert client.get(f"/organize/venues/{venue_id}/edit").status_code == 403
    assert client.post(f"/organize/venues/{venue_id}/edit", data=venue_form(app)).status_code == 403
    assert "汉阳区社区活动中心" not in client.get("/organize/venues").get_data(as_text=True)
    login(client, make_user(roles=("admin",)))
    form = venue_form(app, name="汉阳区社区活动中心（新）", district_id=str(district_id(app, "hanyang")))
    assert client.post(f"/organize/venues/{venue_id}/edit", data=form).status_code == 302
    assert venues(app)[0][0] == "汉阳区社区活动中心（新）"


def test_residents_and_volunteers_cannot_manage_venues(client, app, make_user, make_venue):
    venue_id = make_venue()
    for roles in (("resident",), ("volunteer",)):
        login(client, make_user(roles=roles))
        assert client.get("/organize/venues").status_code == 403
        assert client.post("/organize/venues/new", data=venue_form(app)).status_code == 403
        assert client.get(f"/organize/venues/{venue_id}/edit").status_code == 403
