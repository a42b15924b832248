"""Redis is optional in fact: with ``REDIS_URL`` set and that Redis stopped, every page still
answers (the cache falls back to the worker's memory, the failed-login counters to the database)
and a warning says so. A real redis-server is started for the test, used, then stopped."""
import logging

import pytest
import redis
import sqlalchemy as sa

from activity_hub.auth.models import LoginFailure
from activity_hub.extensions import db
from tests.conftest import login
from tests.redis_server import redis_server  # noqa: F401 (a fixture)


@pytest.fixture
def redis_app(make_app, redis_server):  # noqa: F811
    return make_app(
        REDIS_URL=redis_server.url, CACHE_TYPE="activity_hub.cache_backend.RedisCacheWithFallback",
        CACHE_REDIS_URL=redis_server.url, CATALOGUE_CACHE_SECONDS=10, EVENT_PAGE_CACHE_SECONDS=300,
        DASHBOARD_FIGURES_TTL=60,
    )


def page_paths(app, event_id):
    """Every GET page without arguments, and the event's page and its API object."""
    paths = [rule.rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static")]
    return sorted(paths) + [f"/events/{event_id}", f"/api/v1/events/{event_id}"]


def answers(app, user_id, paths):
    anonymous, logged_in = app.test_client(), app.test_client()
    login(logged_in, user_id)
    return {(who, path): client.get(path).status_code
            for who, client in (("anonymous", anonymous), ("organizer", logged_in)) for path in paths}


def test_every_page_answers_after_redis_stops(redis_app, redis_server, make_user, make_event, caplog):  # noqa: F811
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    event_id = make_event()
    paths = page_paths(redis_app, event_id)

    with_redis = answers(redis_app, organizer, paths)
    assert redis.Redis.from_url(redis_server.url).keys("activity_hub:cache:*"), "the cache was not in Redis"
    assert not [where for where, status in with_redis.items() if status >= 500]

    redis_server.stop()
    with caplog.at_level(logging.WARNING):
        without_redis = answers(redis_app, organizer, paths)
        failed_login = redis_app.test_client().post("/login", data={"login": "13900000000", "password": "wrong"})
    # /healthz says Redis is down (for whoever watches); every other answer is the same as before.
    assert {where: status for where, status in without_redis.items() if where[1] == "/healthz"} == {
        ("anonymous", "/healthz"): 503, ("organizer", "/healthz"): 503}
    assert {k: v for k, v in without_redis.items() if k[1] != "/healthz"} == {
        k: v for k, v in with_redis.items() if k[1] != "/healthz"}
    assert failed_login.status_code == 400
    assert any("Redis is not answering" in record.getMessage() for record in caplog.records)
    with redis_app.app_context():  # counted where every process still sees it
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 2


def test_the_cache_falls_back_to_memory_and_keeps_working(redis_app, redis_server):  # noqa: F811
    from activity_hub.extensions import cache

    with redis_app.app_context():
        cache.set("greeting", "hello")
        assert cache.get("greeting") == "hello"
        redis_server.stop()
        assert cache.get("greeting") is None      # Redis's copy is gone with it: a miss, not an error
        cache.set("greeting", "again")
        assert cache.get("greeting") == "again"   # held in this worker's memory meanwhile
