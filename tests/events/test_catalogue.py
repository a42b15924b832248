"""The public catalogue: filters, Chinese search, paging, and a fixed number of queries."""
from datetime import date, datetime, timedelta, timezone

import re

import pytest
import sqlalchemy as sa

from activity_hub.events.catalogue import CatalogueFilters, search_events
from activity_hub.events.models import CONFIRMED, PUBLISHED, WAITLISTED, Event, Registration
from activity_hub.extensions import db

from tests.conftest import recorded_statements

SHANGHAI = timezone(timedelta(hours=8))


def titles(filters=None, **kwargs):
    return [event.title for event in search_events(filters or CatalogueFilters(**kwargs)).items]


@pytest.fixture
def at_local(move_event):
    """at_local(event_id, datetime in Shanghai): move an event to start then, lasting two hours."""

    def move(event_id, local_start):
        start = local_start.replace(tzinfo=SHANGHAI)
        move_event(event_id, starts_at=start, ends_at=start + timedelta(hours=2),
                   registration_closes_at=start - timedelta(hours=1))

    return move


def test_filters_by_category_district_and_provision(app, make_event):
    make_event(title="普法讲座", category="legal", district_code="jiangan", provisions=("sign_language",))
    make_event(title="轮椅舞蹈", category="sports", district_code="wuchang", provisions=("captions",))
    make_event(title="书法展", category="culture", district_code="wuchang")
    with app.app_context():
        assert titles(category="legal") == ["普法讲座"]
        assert sorted(titles(district="wuchang")) == ["书法展", "轮椅舞蹈"]
        assert titles(provision="sign_language") == ["普法讲座"]
        assert titles(district="wuchang", provision="captions", category="sports") == ["轮椅舞蹈"]
        assert titles(district="jiangan", category="sports") == []


def test_dates_are_local_days_in_shanghai(app, make_event, at_local):
    year = datetime.now(timezone.utc).year + 1
    late = make_event(title="晚场")
    early = make_event(title="早场")
    at_local(late, datetime(year, 5, 17, 23, 30))    # 15:30 UTC on the 17th
    at_local(early, datetime(year, 5, 18, 0, 30))    # 16:30 UTC on the 17th, but the 18th in Wuhan
    with app.app_context():
        day = date(year, 5, 17)
        assert titles(date_from=day, date_to=day) == ["晚场"]
        assert titles(date_from=day + timedelta(days=1), date_to=day + timedelta(days=1)) == ["早场"]
        assert titles(date_from=day) == ["晚场", "早场"]          # sorted by start
        assert titles(date_to=day) == ["晚场"]


def test_search_finds_chinese_substrings_in_title_and_summary(app, make_event):
    make_event(title="手语诗歌交响音乐会", summary="市残联文化周")
    make_event(title="无障碍电影放映", summary="配有口述影像和手语翻译")
    make_event(title="Wheelchair Dance Cup", summary="轮椅舞蹈比赛")
    with app.app_context():
        assert sorted(titles(q="手语")) == ["手语诗歌交响音乐会", "无障碍电影放映"]
        assert titles(q="文化周") == ["手语诗歌交响音乐会"]
        assert titles(q="诗歌　手语") == ["手语诗歌交响音乐会"]         # full-width space: both words
        assert titles(q="wheelchair dance") == ["Wheelchair Dance Cup"]  # Latin letters: any case
        assert titles(q="WHEELCHAIR") == ["Wheelchair Dance Cup"]
        assert titles(q="盲文") == []


def test_search_folds_latin_case_in_a_term_that_mixes_scripts_and_matches_digits(app, make_event):
    make_event(title="Wheelchair舞蹈 2026")
    with app.app_context():
        assert titles(q="wheelchair舞蹈") == ["Wheelchair舞蹈 2026"]   # letters in the term: any case
        assert titles(q="舞蹈") == ["Wheelchair舞蹈 2026"]              # no letter case: plain LIKE
        assert titles(q="2026") == ["Wheelchair舞蹈 2026"]


def test_search_treats_wildcards_as_plain_characters(app, make_event):
    make_event(title="满意度100%调查")
    make_event(title="100个名额")
    make_event(title="a_b 活动")
    make_event(title="axb 活动")
    with app.app_context():
        assert titles(q="100%") == ["满意度100%调查"]
        assert titles(q="%") == ["满意度100%调查"]
        assert titles(q="a_b") == ["a_b 活动"]
        assert titles(q="\\") == []


def test_cancelled_events_stay_visible_but_drafts_and_ended_events_do_not(app, make_event, move_event):
    make_event(title="照常举行")
    make_event(title="已取消的活动", status="cancelled")
    make_event(title="草稿活动", status="draft")
    ended = make_event(title="已结束的活动")
    now = datetime.now(timezone.utc)
    move_event(ended, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2, hours=-2),
               registration_closes_at=None)
    with app.app_context():
        assert sorted(titles()) == ["已取消的活动", "照常举行"]
        assert "已结束的活动" in titles(date_from=(now - timedelta(days=3)).date())


def test_paging_is_sorted_by_start_and_limited(app, make_event):
    for day in range(25):
        make_event(title=f"活动{day:02d}", starts_in=timedelta(days=day + 1))
    with app.app_context():
        first = search_events(CatalogueFilters(), page=1, per_page=10)
        last = search_events(CatalogueFilters(), page=3, per_page=10)
        assert (first.total, first.pages, first.has_previous, first.has_next) == (25, 3, False, True)
        assert [e.title for e in first.items] == [f"活动{d:02d}" for d in range(10)]
        assert [e.title for e in last.items] == [f"活动{d:02d}" for d in range(20, 25)]
        assert search_events(CatalogueFilters(), page=4, per_page=10).items == []
        assert search_events(CatalogueFilters(), page="x", per_page=500).per_page == 100
        assert search_events(CatalogueFilters(), page="x", per_page=500).page == 1


def test_each_result_carries_its_places(app, make_event, residents, sign_up):
    full = make_event(title="满员", capacity=1, wheelchair_spaces=0, max_companions=0)
    free = make_event(title="有空位", capacity=5)
    for person in residents(2):
        sign_up(full, person)
    with app.app_context():
        page = search_events(CatalogueFilters())
        assert (page.availability[full].places_left, page.availability[full].waitlist_length) == (0, 1)
        assert page.availability[free].places_left == 5


# --- the HTML page -----------------------------------------------------------------------------


def test_the_catalogue_page_lists_events_with_places_provisions_and_cancellations(client, make_event, residents,
                                                                                  sign_up):
    full = make_event(title="满员活动", capacity=1, wheelchair_spaces=0, max_companions=0,
                      provisions=("sign_language",))
    make_event(title="取消了的活动", status="cancelled")
    for person in residents(2):
        sign_up(full, person)
    client.set_cookie("lang", "en")
    for path in ("/", "/events"):
        page = client.get(path)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "满员活动" in html and "Full: waiting list only" in html and "(1 on the waiting list)" in html
        assert "Sign-language interpreter (Chinese Sign Language)" in html
        assert "取消了的活动</a> <span class=\"status-text\">(cancelled)</span>" in html
        assert f'href="/events/{full}"' in html
        assert '<label for="q">' in html and '<label for="district">' in html


def test_the_catalogue_page_filters_from_the_query_string_and_pages_with_links(client, make_event):
    for day in range(25):
        make_event(title=f"普法讲座{day:02d}", category="legal", starts_in=timedelta(days=day + 1))
    make_event(title="书法展", category="culture")
    client.set_cookie("lang", "en")
    page = client.get("/events?category=legal&per_page=10&page=2").get_data(as_text=True)
    assert "25 events found" in page and "书法展" not in page
    assert "普法讲座10" in page and "普法讲座09" not in page
    next_link = re.search(r'<a href="([^"]+)" rel="next">', page).group(1)
    assert "page=3" in next_link and "category=legal" in next_link and "per_page=10" in next_link
    previous_link = re.search(r'<a href="([^"]+)" rel="prev">', page).group(1)
    assert "page=1" in previous_link and "category=legal" in previous_link
    assert 'aria-current="page">Page 2</a>' in page
    assert 'aria-label="Pages of results"' in page


@pytest.mark.parametrize("query,field", [
    ("category=parties", "category"), ("district=atlantis", "district"), ("provision=teleport", "provision"),
    ("date_from=17/05/2026", "date_from"), ("date_from=2026-02-30", "date_from"),
    ("date_from=2026-05-18&date_to=2026-05-17", "date_to"),
])
def test_bad_filters_get_a_message_beside_the_field(client, make_event, query, field):
    make_event(title="照常举行")
    page = client.get(f"/events?{query}")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert f'id="{field}-error"' in html and f'href="#{field}"' in html
    assert "<title>" in html and html.index("<title>") < html.index("照常举行")


def test_the_catalogue_page_escapes_search_text(client, make_event):
    make_event(title="<b>粗体</b>")
    page = client.get("/events?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    page = client.get("/events").get_data(as_text=True)
    assert "&lt;b&gt;粗体&lt;/b&gt;" in page


# --- a fixed number of queries ---------------------------------------------------------------------------


def bulk_events(app, count, user_ids, venue_id):
    """``count`` published events, each with a few registrations (confirmed, waitlisted, a wheelchair place)."""
    from activity_hub.districts import District

    with app.app_context():
        district = db.session.scalar(sa.select(District).where(District.code == "wuchang"))
        now = datetime.now(timezone.utc)
        for n in range(count):
            start = now + timedelta(days=1, minutes=n)
            event = Event(title=f"批量活动{n}", summary="摘要", category="culture", district=district,
                          venue_id=venue_id, starts_at=start, ends_at=start + timedelta(hours=2), capacity=2,
                          wheelchair_spaces=1, max_companions=1, status=PUBLISHED)
            event.set_provisions(["sign_language", "captions"])
            db.session.add(event)
            db.session.flush()
            for i, user_id in enumerate(user_ids):
                db.session.add(Registration(event_id=event.id, user_id=user_id, companions=0,
                                            status=CONFIRMED if i < 2 else WAITLISTED, wheelchair_space=i == 0))
        db.session.commit()


def count_queries(app, action):
    with recorded_statements(app) as statements:
        response = action()
    assert response.status_code == 200
    return statements


def test_the_catalogue_page_runs_the_same_queries_for_10_and_200_events(app, client, make_venue, residents,
                                                                        make_user, log_in):
    venue = make_venue()
    people = residents(3)
    bulk_events(app, 10, people, venue)
    small = count_queries(app, lambda: client.get("/events?per_page=100"))
    bulk_events(app, 190, people, venue)
    large = count_queries(app, lambda: client.get("/events?per_page=100"))
    assert len(small) == len(large), (small, large)
    print("catalogue queries", len(small))
    assert len(small) <= 8

    log_in(client, make_user())
    small_filtered = count_queries(app, lambda: client.get("/events?q=批量&provision=captions&per_page=100"))
    large_filtered = count_queries(app, lambda: client.get("/events?q=批量&provision=captions&page=2&per_page=100"))
    assert len(small_filtered) == len(large_filtered)


def test_the_count_stops_200_matches_past_the_page_and_says_more_than(app, client, make_event, monkeypatch):
    """The count's cost does not grow with the city's events: it stops COUNT_AHEAD past the page."""
    from activity_hub.events import catalogue

    monkeypatch.setattr(catalogue, "COUNT_AHEAD", 4)
    for day in range(9):
        make_event(title=f"计数{day}", starts_in=timedelta(days=day + 1))
    with app.app_context():
        first = search_events(CatalogueFilters(), page=1, per_page=2)
        assert (first.total, first.total_exact, first.pages, first.has_next) == (4, False, 2, True)
        fourth = search_events(CatalogueFilters(), page=4, per_page=2)     # counts up to 6 + 4 = 10 >= 9
        assert (fourth.total, fourth.total_exact, fourth.pages) == (9, True, 5)
    html = client.get("/events?per_page=2&page=2").get_data(as_text=True)
    assert "找到超过 6 个活动" in html and "共超过 3 页" in html   # counted to page 1 + 4 more
    assert "page=3" in html                                            # the next page is linked
    body = client.get("/api/v1/events?per_page=2").get_json()
    assert (body["total"], body["total_exact"], len(body["items"])) == (4, False, 2)
    last = client.get("/api/v1/events?per_page=5&page=2").get_json()          # counts up to 5 + 4 = 9
    assert (last["total"], last["total_exact"], len(last["items"])) == (9, True, 4)


@pytest.fixture
def cached_client(app, database_url):
    """A second app on the same database with the catalogue cache on (tests switch it off)."""
    from activity_hub import create_app

    cached = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, CACHE_TYPE="SimpleCache",
                        CATALOGUE_CACHE_SECONDS=10)
    return cached.test_client()


def test_the_catalogue_cache_shows_a_change_after_its_time_to_live(app, cached_client, make_event, move_event,
                                                                   monkeypatch):
    import cachelib.simple

    event_id = make_event(title="旧标题活动")
    assert "旧标题活动" in cached_client.get("/events").get_data(as_text=True)
    move_event(event_id, title="新标题活动")
    assert "旧标题活动" in cached_client.get("/events").get_data(as_text=True)   # up to 10 s old, by design
    assert "新标题活动" in cached_client.get("/events?category=culture").get_data(as_text=True)  # other filters: own entry
    now = cachelib.simple.time()
    monkeypatch.setattr(cachelib.simple, "time", lambda: now + 11)
    assert "新标题活动" in cached_client.get("/events").get_data(as_text=True)


def test_the_catalogue_cache_shares_no_user_and_keeps_languages_apart(app, cached_client, make_event, make_user,
                                                                      log_in):
    make_event(title="共享活动")
    someone = make_user(name="张秘密")
    log_in(cached_client, someone)
    mine = cached_client.get("/events").get_data(as_text=True)
    assert "张秘密" in mine and "共享活动" in mine
    cached_client.delete_cookie("session")
    anonymous = cached_client.get("/events").get_data(as_text=True)
    assert "共享活动" in anonymous and "张秘密" not in anonymous and 'name="csrf_token"' not in anonymous
    cached_client.set_cookie("lang", "en")
    english = cached_client.get("/events").get_data(as_text=True)
    assert "Find events" in english and "查找活动" not in english
    bad = cached_client.get("/events?date_from=tomorrow")
    assert bad.status_code == 400 and cached_client.get("/events?date_from=tomorrow").status_code == 400


def test_a_cached_catalogue_page_asks_the_database_nothing(app, cached_client, make_event):
    make_event(title="缓存活动")
    cached_client.get("/events?category=culture")
    assert count_queries(app, lambda: cached_client.get("/events?category=culture")) == []
