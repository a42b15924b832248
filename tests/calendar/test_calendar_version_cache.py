"""Feed versions remembered by the worker for a few seconds (CALENDAR_VERSION_TTL_SECONDS): conditional
requests answered without the database, changes visible after the time-to-live, documents always sent
with a version read afresh, and one person's version never answered to another."""
from datetime import datetime, timedelta, timezone

import pytest

from activity_hub.extensions import db


def touch_event(app, event_id, seconds=5):
    from activity_hub.events.models import Event

    with app.app_context():
        db.session.get(Event, event_id).updated_at = datetime.now(timezone.utc) + timedelta(seconds=seconds)
        db.session.commit()


def test_tests_remember_nothing_and_production_remembers_a_few_seconds(app):
    import config

    from activity_hub.calendar import version_cache

    assert app.config[version_cache.TTL_SETTING] == 0
    assert 0 < config.ProductionConfig.CALENDAR_VERSION_TTL_SECONDS <= 60


@pytest.mark.parametrize("path", ["/calendar/events.ics", "/calendar/events.ics?lang=en",
                                  "/calendar/categories/culture.ics", "/calendar/districts/wuchang.ics"])
def test_a_fresh_remembered_version_answers_304_without_sql(client, make_event, count_queries,
                                                            remembered_versions, path):
    make_event(title="普法讲座")
    etag = client.get(path).headers["ETag"]
    with count_queries() as queries:
        response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.headers["ETag"] == etag
    assert len(queries) == 0, queries


def test_a_change_shows_in_the_etag_after_the_time_to_live(app, client, make_event, remembered_versions):
    event_id = make_event(title="普法讲座")
    etag = client.get("/calendar/events.ics").headers["ETag"]
    touch_event(app, event_id)
    remembered_versions.advance(4.9)
    assert client.get("/calendar/events.ics", headers={"If-None-Match": etag}).status_code == 304
    remembered_versions.advance(0.2)
    changed = client.get("/calendar/events.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    # The new version is what is remembered now.
    assert client.get("/calendar/events.ics", headers={"If-None-Match": changed.headers["ETag"]}
                      ).status_code == 304


def test_a_document_is_always_sent_with_a_version_read_afresh(app, client, make_event, remembered_versions):
    event_id = make_event(title="普法讲座")
    first = client.get("/calendar/events.ics")
    touch_event(app, event_id)
    # Within the time-to-live, a client without the old ETag gets the new document and its own ETag,
    # so a strong ETag always names the bytes it comes with.
    second = client.get("/calendar/events.ics")
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    assert client.get("/calendar/events.ics", headers={"If-None-Match": second.headers["ETag"]}
                      ).status_code == 304


def test_an_event_file_is_not_refused_from_memory(app, client, make_event, remembered_versions):
    from activity_hub.events.models import Event

    event_id = make_event(title="普法讲座", status="draft")
    path = f"/calendar/events/{event_id}.ics"
    assert client.get(path).status_code == 404
    with app.app_context():
        db.session.get(Event, event_id).status = "published"
        db.session.commit()
    assert client.get(path, headers={"If-None-Match": '"anything"'}).status_code == 200


def test_personal_versions_are_kept_per_owner(app, client, make_user, make_event, register, feed_link,
                                              count_queries, remembered_versions):
    amy, bob = make_user(name="王小燕"), make_user(name="李大海")
    event_id = make_event(title="普法讲座")
    register(event_id, amy)
    register(event_id, bob)
    amy_path, _ = feed_link(amy)
    bob_path, _ = feed_link(bob)
    amy_etag = client.get(amy_path).headers["ETag"]
    # Bob's feed lists the same event, but Amy's version is never his.
    bob_first = client.get(bob_path, headers={"If-None-Match": amy_etag})
    assert bob_first.status_code == 200 and bob_first.headers["ETag"] != amy_etag
    # The secret is checked on every request, remembered version or not.
    with count_queries() as queries:
        assert client.get(amy_path, headers={"If-None-Match": amy_etag}).status_code == 304
    assert len(queries) == 1, queries
    feed_link(amy)  # Amy resets her link: the old one stops at once.
    assert client.get(amy_path, headers={"If-None-Match": amy_etag}).status_code == 404


def test_the_memory_stays_bounded(app, monkeypatch):
    from activity_hub import caching
    from activity_hub.calendar import version_cache

    bound = caching.DECLARATIONS[version_cache.NAME].max_entries
    monkeypatch.setitem(app.config, version_cache.TTL_SETTING, 5)
    with app.app_context():
        for n in range(bound + 10):
            version_cache.remember(("scope", n), n)
        assert len(caching.store(version_cache.NAME)) <= bound
        assert version_cache.remembered(("scope", bound + 9)) == bound + 9
        version_cache.forget_all()
