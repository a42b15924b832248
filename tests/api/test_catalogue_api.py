"""GET /api/v1/events: the catalogue's filters, paging, and a fixed number of queries."""
from datetime import timedelta

import pytest

from activity_hub.extensions import db

from tests.conftest import recorded_statements


@pytest.fixture
def count_queries(app):
    """count_queries(callable) -> (result, number of SQL statements it ran)."""

    def run(action):
        with recorded_statements(app) as statements:
            result = action()
        return result, len(statements)

    return run


def test_filters_and_fields(client, make_event):
    make_event(title="手语电影放映", category="culture", provisions=("sign_language", "captions"))
    make_event(title="民法典普法讲座", category="legal", district_code="hanyang")
    make_event(title="草稿活动", status="draft")
    everything = client.get("/api/v1/events").get_json()
    assert everything["total"] == 2 and everything["page"] == 1 and everything["per_page"] == 20
    assert {item["title"] for item in everything["items"]} == {"手语电影放映", "民法典普法讲座"}

    def titles(query):
        response = client.get("/api/v1/events?" + query)
        assert response.status_code == 200, response.get_json()
        return [item["title"] for item in response.get_json()["items"]]

    assert titles("category=legal") == ["民法典普法讲座"]
    assert titles("district=hanyang") == ["民法典普法讲座"]
    assert titles("provision=sign_language") == ["手语电影放映"]
    assert titles("q=普法") == ["民法典普法讲座"]
    item = client.get("/api/v1/events?provision=captions").get_json()["items"][0]
    assert item["places_left"] == 10 and item["provisions"] == ["sign_language", "captions"]


def test_paging_and_its_limits(client, make_event, make_venue):
    venue = make_venue()
    for n in range(5):
        make_event(title=f"活动{n}", venue_id=venue, starts_in=timedelta(days=3 + n))
    second = client.get("/api/v1/events?per_page=2&page=2").get_json()
    assert (second["total"], second["page"], second["per_page"]) == (5, 2, 2)
    assert [item["title"] for item in second["items"]] == ["活动2", "活动3"]
    beyond = client.get("/api/v1/events?per_page=2&page=9").get_json()
    assert beyond["items"] == [] and beyond["total"] == 5
    for query in ("per_page=101", "per_page=0", "page=0", "page=x", "per_page=" + "9" * 30,
                  "date_from=2025-13-01", "category=magic", "district=atlantis", "provision=x", "q=" + "a" * 101):
        response = client.get("/api/v1/events?" + query)
        assert response.status_code == 400, query
        assert response.get_json()["error"]["code"] == "validation_failed"


def test_date_filters_use_local_dates(client, make_event):
    make_event(title="下周", starts_in=timedelta(days=7))
    make_event(title="下个月", starts_in=timedelta(days=40))
    from datetime import datetime, timezone

    from activity_hub.web import local_time

    day = local_time(datetime.now(timezone.utc) + timedelta(days=30)).date().isoformat()
    response = client.get(f"/api/v1/events?date_from={day}").get_json()
    assert [item["title"] for item in response["items"]] == ["下个月"]
    response = client.get(f"/api/v1/events?date_to={day}").get_json()
    assert [item["title"] for item in response["items"]] == ["下周"]


def _make_events(app, make_event, make_user, make_venue, count, batch=0):
    """``count`` events across districts, venues and series, each with registrations."""
    from activity_hub.auth.models import User
    from activity_hub.events import registration
    from activity_hub.events.models import Series

    residents = [make_user() for _ in range(3)]
    venues = [make_venue(district_code=code) for code in ("wuchang", "hanyang", "jiangan")]
    with app.app_context():
        series = [Series(name=f"系列{batch}-{n}") for n in range(3)]
        db.session.add_all(series)
        db.session.commit()
        series_ids = [s.id for s in series]
    ids = []
    for n in range(count):
        ids.append(make_event(
            capacity=3, wheelchair_spaces=1, venue_id=venues[n % 3], district_code=("wuchang", "hanyang")[n % 2],
            provisions=("sign_language", "braille")[: n % 3], series_id=series_ids[n % 3],
            starts_in=timedelta(days=2, minutes=n),
        ))
    with app.app_context():
        for event_id in ids[:: max(1, count // 10)]:
            for resident in residents:
                registration.register(event_id, db.session.get(User, resident), consent=True,
                                      companions=1, needs=["wheelchair_space"])
    return ids


def test_query_count_does_not_grow_with_the_number_of_events(app, client, make_event, make_user, make_venue,
                                                             count_queries):
    _make_events(app, make_event, make_user, make_venue, 10)
    small, few = count_queries(lambda: client.get("/api/v1/events?per_page=100"))
    assert len(small.get_json()["items"]) == 10

    _make_events(app, make_event, make_user, make_venue, 190, batch=1)
    large, many = count_queries(lambda: client.get("/api/v1/events?per_page=100"))
    body = large.get_json()
    assert body["total"] == 200 and len(body["items"]) == 100
    assert few == many, (few, many)
    assert many <= 6

    with_filters, filtered = count_queries(
        lambda: client.get("/api/v1/events?per_page=100&district=hanyang&provision=sign_language&q=测试")
    )
    assert with_filters.status_code == 200 and filtered <= many


def test_event_detail_and_my_registrations_run_a_fixed_number_of_queries(app, api, make_event, make_user,
                                                                          make_venue, count_queries):
    ids = _make_events(app, make_event, make_user, make_venue, 12)
    me = make_user()
    api("GET", "/api/v1/auth/tokens", me)  # create the token before counting
    for event_id in ids[:2]:
        api("POST", f"/api/v1/events/{event_id}/registrations", me, json={"consent": True})
    _, two = count_queries(lambda: api("GET", "/api/v1/me/registrations", me))
    for event_id in ids[2:]:
        api("POST", f"/api/v1/events/{event_id}/registrations", me, json={"consent": True})
    listed, twelve = count_queries(lambda: api("GET", "/api/v1/me/registrations", me))
    assert len(listed.get_json()["items"]) == 12
    assert two == twelve

    _, detail = count_queries(lambda: api("GET", f"/api/v1/events/{ids[0]}"))
    assert detail <= 5
