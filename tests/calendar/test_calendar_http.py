"""HTTP behaviour of the feeds: media type, validators, 304 without building, fixed query counts."""
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.http import http_date

from activity_hub.extensions import db


def events(make_event, count, **fields):
    return [make_event(title=f"普法讲座第{n}场", starts_in=timedelta(days=3 + n), **fields) for n in range(count)]


def test_subscription_feed_headers(client, make_event):
    events(make_event, 2)
    response = client.get("/calendar/events.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    etag = response.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/"), "a strong ETag"
    assert response.headers["Last-Modified"]
    for path in ("/calendar/categories/culture.ics", "/calendar/districts/wuchang.ics"):
        assert "Content-Disposition" not in client.get(path).headers


@pytest.mark.parametrize("path", ["/calendar/events.ics", "/calendar/categories/culture.ics",
                                  "/calendar/districts/wuchang.ics", "single"])
def test_conditional_requests_get_304_from_one_query(client, make_event, count_queries, path):
    ids = events(make_event, 3)
    if path == "single":
        path = f"/calendar/events/{ids[0]}.ics"
    first = client.get(path)
    assert first.status_code == 200
    with count_queries() as queries:
        by_etag = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert by_etag.status_code == 304 and by_etag.data == b""
    assert by_etag.headers["ETag"] == first.headers["ETag"]
    assert len(queries) == 1, queries  # the aggregate only: nothing was built
    with count_queries() as queries:
        by_date = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_date.status_code == 304 and len(queries) == 1
    # A stale validator gets the document.
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200
    long_ago = http_date(datetime.now(timezone.utc) - timedelta(days=400))
    assert client.get(path, headers={"If-Modified-Since": long_ago}).status_code == 200


def test_validators_change_when_an_event_changes_appears_or_leaves(app, client, make_event):
    from activity_hub.events.models import Event

    ids = events(make_event, 2)
    first = client.get("/calendar/events.ics")
    with app.app_context():
        db.session.get(Event, ids[0]).updated_at = datetime.now(timezone.utc) + timedelta(seconds=5)
        db.session.commit()
    edited = client.get("/calendar/events.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert edited.status_code == 200 and edited.headers["ETag"] != first.headers["ETag"]
    assert client.get("/calendar/events.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
                      ).status_code == 200
    new = make_event(title="新活动")
    added = client.get("/calendar/events.ics", headers={"If-None-Match": edited.headers["ETag"]})
    assert added.status_code == 200 and f"event-{new}@".encode() in added.data
    # An event that leaves the window (ended more than 30 days ago) changes the version too.
    with app.app_context():
        event = db.session.get(Event, new)
        event.starts_at = datetime.now(timezone.utc) - timedelta(days=40)
        event.ends_at = event.starts_at + timedelta(hours=2)
        db.session.commit()
    left = client.get("/calendar/events.ics", headers={"If-None-Match": added.headers["ETag"]})
    assert left.status_code == 200 and f"event-{new}@".encode() not in left.data


def test_building_a_feed_takes_a_fixed_number_of_queries(client, make_event, make_venue, count_queries):
    from activity_hub.events.models import CATEGORIES

    def fetch():
        with count_queries() as queries:
            response = client.get("/calendar/events.ics")
        assert response.status_code == 200
        return len(queries), response

    venue = make_venue()
    for n in range(5):
        make_event(title=f"活动{n}", venue_id=make_venue(), provisions=("sign_language", "braille"),
                   category=CATEGORIES[n % len(CATEGORIES)])
    five, _ = fetch()
    for n in range(45):
        make_event(title=f"活动{n + 5}", venue_id=venue if n % 2 else make_venue(),
                   provisions=("captions",), category=CATEGORIES[n % len(CATEGORIES)])
    fifty, response = fetch()
    assert response.data.count(b"BEGIN:VEVENT") == 50
    assert five == fifty <= 4, (five, fifty)
