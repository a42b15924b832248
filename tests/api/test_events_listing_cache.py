"""GET /api/v1/events reuses a page for CATALOGUE_CACHE_SECONDS: the same for every caller,
kept apart by query, language and host, and a change shows once the page is that old."""
import cachelib.simple
import pytest

from activity_hub.extensions import db

from tests.conftest import recorded_statements


@pytest.fixture
def cached_client(make_app):
    """A second app on the test database with the listing cache on (tests switch it off)."""
    return make_app(CACHE_TYPE="SimpleCache", CATALOGUE_CACHE_SECONDS=10).test_client()


@pytest.fixture
def rename(app):
    def change(event_id, title):
        from activity_hub.events.models import Event

        with app.app_context():
            db.session.get(Event, event_id).title = title
            db.session.commit()

    return change


def titles(client, query="", **kwargs):
    response = client.get("/api/v1/events" + query, **kwargs)
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["items"]]


def test_a_change_shows_in_the_listing_once_its_page_is_older_than_the_time_to_live(cached_client, make_event,
                                                                                     rename, monkeypatch):
    event_id = make_event(title="旧标题活动")
    assert titles(cached_client) == ["旧标题活动"]
    rename(event_id, "新标题活动")
    assert titles(cached_client) == ["旧标题活动"]                         # up to 10 s old, by design
    assert titles(cached_client, "?category=culture") == ["新标题活动"]    # other filters: their own page
    assert titles(cached_client, "?per_page=20") == ["旧标题活动"]         # the default, said: the same page
    now = cachelib.simple.time()
    monkeypatch.setattr(cachelib.simple, "time", lambda: now + 11)
    assert titles(cached_client) == ["新标题活动"]


def test_with_no_time_to_live_every_request_reads_the_database(make_app, make_event, rename):
    client = make_app(CACHE_TYPE="SimpleCache", CATALOGUE_CACHE_SECONDS=0).test_client()
    event_id = make_event(title="旧标题活动")
    assert titles(client) == ["旧标题活动"]
    rename(event_id, "新标题活动")
    assert titles(client) == ["新标题活动"]


def test_a_page_is_the_same_for_every_caller_and_kept_apart_by_language_and_host(cached_client, make_event,
                                                                                 make_user, make_token):
    make_event(title="共享活动", district_code="wuchang")
    token = make_token(make_user(name="张秘密"))
    signed_in = cached_client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"})
    anonymous = cached_client.get("/api/v1/events")
    assert signed_in.status_code == anonymous.status_code == 200
    assert signed_in.get_data() == anonymous.get_data() and "张秘密" not in anonymous.get_data(as_text=True)
    assert anonymous.mimetype == "application/json"

    chinese = anonymous.get_json()["items"][0]
    english = cached_client.get("/api/v1/events", headers={"Accept-Language": "en"}).get_json()["items"][0]
    assert chinese["district"]["name"] == "武昌区" and english["district"]["name"] == "Wuchang District"
    other_host = cached_client.get("/api/v1/events", base_url="http://other.example").get_json()["items"][0]
    assert other_host["url"].startswith("http://other.example/") and not chinese["url"].startswith("http://other")


def test_a_reused_page_asks_the_database_nothing_and_a_bad_query_is_refused_every_time(app, cached_client,
                                                                                       make_event):
    make_event(title="缓存活动")
    first = cached_client.get("/api/v1/events?category=culture")
    with recorded_statements(app) as statements:
        again = cached_client.get("/api/v1/events?category=culture")
    assert statements == [] and again.get_data() == first.get_data()
    for _ in range(2):
        bad = cached_client.get("/api/v1/events?category=cooking")
        assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "validation_failed"
