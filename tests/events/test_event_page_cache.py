"""The event page's shared parts are cached (event_page.py): edits show at once, what the version
key cannot see shows within the time-to-live, places and everything about the visitor stay exact."""
import pytest
import sqlalchemy as sa

from activity_hub.extensions import db

from tests.conftest import recorded_statements


@pytest.fixture
def cached_app(make_app):
    """A second app on the test database with the event page cache on (tests switch it off)."""
    return make_app(CACHE_TYPE="SimpleCache", EVENT_PAGE_CACHE_SECONDS=300)


@pytest.fixture
def cached_client(cached_app):
    client = cached_app.test_client()
    client.set_cookie("lang", "en")
    return client


def page(client, event_id):
    response = client.get(f"/events/{event_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def statements_of(app, action):
    with recorded_statements(app) as statements:
        assert action().status_code == 200
    return statements


def as_user(app, user_id):
    from activity_hub.auth.models import User

    return db.session.get(User, user_id)


def test_an_organizers_edit_shows_on_the_event_page_at_once(app, cached_client, make_event, organizer):
    from activity_hub.events import event_admin

    event_id = make_event(title="旧标题", description="旧的介绍。", provisions=("captions",))
    before = page(cached_client, event_id)
    assert "旧标题" in before and "旧的介绍。" in before and "Live captions" in before
    with app.app_context():
        event_admin.update_event(event_id, {"title": "新标题", "description": "新的介绍。",
                                            "provisions": ["sign_language"]}, as_user(app, organizer))
    after = page(cached_client, event_id)
    assert "新标题" in after and "新的介绍。" in after and "Sign-language interpreter" in after
    assert "旧标题" not in after and "Live captions" not in after


def test_a_venue_edit_shows_at_once_and_a_change_behind_the_apps_back_within_the_ttl(
        app, cached_client, make_event, make_venue, organizer, move_event, monkeypatch):
    import cachelib.simple

    from activity_hub.events import venues

    venue_id = make_venue(name="旧场地", directions="旧的路线")
    event_id = make_event(venue_id=venue_id, summary="旧摘要")
    assert "旧场地" in page(cached_client, event_id)
    with app.app_context():
        venues.update_venue(venue_id, {"name": "新场地", "directions": "新的路线"}, as_user(app, organizer))
    after = page(cached_client, event_id)
    assert "新场地" in after and "新的路线" in after and "旧场地" not in after

    move_event(event_id, summary="新摘要")  # written straight to the table: updated_at unchanged
    assert "旧摘要" in page(cached_client, event_id)  # up to EVENT_PAGE_CACHE_SECONDS old, by design
    now = cachelib.simple.time()
    monkeypatch.setattr(cachelib.simple, "time", lambda: now + 301)
    assert "新摘要" in page(cached_client, event_id)


def test_places_and_registration_state_are_exact_and_nothing_personal_is_shared(
        app, cached_client, make_event, make_user, log_in, sign_up):
    event_id = make_event(capacity=5, online_url="https://meeting.example/room-42")
    assert "5 places left" in page(cached_client, event_id)
    first = make_user(name="张秘密")
    sign_up(event_id, first, companions=1)
    log_in(cached_client, first)
    mine = page(cached_client, event_id)
    assert "3 places left" not in mine and "You have registered: Confirmed." in mine
    assert "张秘密" in mine and "https://meeting.example/room-42" in mine

    log_in(cached_client, make_user(name="李路人"))
    other = page(cached_client, event_id)
    assert "3 places left" in other and "5 places in total, 3 left" in other   # read afresh
    assert "张秘密" not in other and "You have registered" not in other and "See your registration" not in other
    assert "https://meeting.example/room-42" not in other and "once your place is confirmed" in other
    cached_client.delete_cookie("session")
    anonymous = page(cached_client, event_id)
    assert "李路人" not in anonymous and 'name="csrf_token"' not in anonymous
    assert "You will be asked to log in" in anonymous


def test_languages_and_easy_read_order_are_kept_apart(app, cached_client, make_event, make_user, log_in):
    event_id = make_event(summary="正式摘要", easy_read_summary="简单的话。")
    english = page(cached_client, event_id)
    assert "When and where" in english and english.index("正式摘要") < english.index("简单的话。")
    log_in(cached_client, make_user(prefers_easy_read=True))
    easy_first = page(cached_client, event_id)
    assert easy_first.index("简单的话。") < easy_first.index("正式摘要")
    cached_client.set_cookie("lang", "zh_CN")
    chinese = page(cached_client, event_id)
    assert "When and where" not in chinese and "时间和地点" in chinese


def test_a_cached_event_page_asks_the_database_once_whatever_the_event_holds(
        cached_app, cached_client, make_event):
    plain = make_event()
    rich = make_event(provisions=("captions", "sign_language", "braille", "large_print"),
                      description="\n".join(f"第{n}段。" for n in range(20)))
    for event_id in (plain, rich):
        page(cached_client, event_id)   # fills the cache
        statements = statements_of(cached_app, lambda: cached_client.get(f"/events/{event_id}"))
        queries = [s for s in statements if s.lstrip().upper().startswith("SELECT")]  # not SQLite's BEGIN
        assert len(queries) == 1, queries   # the event row with its versions and its places


def test_an_event_page_rendered_afresh_asks_the_database_once_too(app, client, make_event):
    """A miss (every page here: the test app's cache keeps nothing) reads the venue, district,
    series and provisions with the event's row, not in queries of their own."""
    from activity_hub.events.models import Series

    with app.app_context():
        series = Series(name="残疾人文化周")
        db.session.add(series)
        db.session.commit()
        series_id = series.id
    rich = make_event(series_id=series_id, district_code="hongshan",
                      provisions=("large_print", "captions", "sign_language", "braille"))
    online = make_event(online_url="https://meeting.example/room-7")
    with app.app_context():   # an online-only event: no venue at all
        db.session.execute(sa.text("UPDATE events SET venue_id = NULL WHERE id = :id"), {"id": online})
        db.session.commit()
    client.set_cookie("lang", "en")
    for event_id in (rich, online):
        statements = statements_of(app, lambda: client.get(f"/events/{event_id}"))
        queries = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(queries) == 1, queries
    english = page(client, rich)
    assert "Hongshan District" in english and " · 残疾人文化周" in english
    named = [english.index(name) for name in ("Sign-language interpreter", "Live captions",
                                              "Braille materials", "Large-print materials")]
    assert named == sorted(named)   # the taxonomy's order, whatever order they were given in
    assert "Getting there" in english
    plain = page(client, online)
    assert "Getting there" not in plain and "<dt>Place</dt>" not in plain and " · " not in plain
    assert "No provisions are listed yet" in plain
    client.set_cookie("lang", "zh_CN")
    assert "洪山区" in page(client, rich)
