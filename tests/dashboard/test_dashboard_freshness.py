"""The attendance figures are reused for DASHBOARD_FIGURES_TTL seconds, then counted again: a
check-in shows on the dashboard, the public results and the API's targets within that time.

The test app has no cache (NullCache: every figure counted afresh); these tests make an app of
their own with the in-memory cache production uses without Redis.
"""
from datetime import timedelta

import pytest

from activity_hub.dashboard import attendance
from activity_hub.db_types import utcnow
from activity_hub.extensions import db

from tests.conftest import login, recorded_statements
from .conftest import PlanData, at


@pytest.fixture
def cached_app(make_app):
    return make_app(CACHE_TYPE="SimpleCache", DASHBOARD_FIGURES_TTL=60)


@pytest.fixture
def clock(monkeypatch):
    """The attendance module's clock, moved forward by hand."""
    class Clock:
        offset = timedelta()

        def now(self):
            return utcnow() + self.offset

    clock = Clock()
    monkeypatch.setattr(attendance, "utcnow", clock.now)
    return clock


def _one_held_event(app):
    with app.app_context():
        plan = PlanData()
        event = plan.event(at(2021, 5, 16), district_code="jianghan")
        for _ in range(6):
            plan.attend(event, companions=1)
        db.session.commit()
        return event.id


def _check_in_another(app, event_id):
    from activity_hub.events.models import Event

    with app.app_context():
        PlanData().attend(db.session.get(Event, event_id), companions=1)
        db.session.commit()


def _person_times(app, year=2021):
    from activity_hub.dashboard.targets import collect_year_figures

    with app.app_context():
        return collect_year_figures(db.session, year).person_times()


def test_a_check_in_shows_once_the_counted_figures_are_older_than_the_ttl(app, cached_app, clock):
    event_id = _one_held_event(app)
    assert _person_times(cached_app) == 12

    _check_in_another(app, event_id)
    clock.offset = timedelta(seconds=59)
    assert _person_times(cached_app) == 12   # counted 59 s ago: reused
    clock.offset = timedelta(seconds=61)
    assert _person_times(cached_app) == 14   # older than the TTL: counted again
    assert _person_times(app) == 14          # (without a cache: always counted afresh)


def test_each_year_is_counted_and_kept_on_its_own(app, cached_app, clock):
    _one_held_event(app)
    assert _person_times(cached_app, 2020) == 0
    assert _person_times(cached_app, 2021) == 12


def test_a_ttl_of_zero_counts_on_every_request(app, make_app, clock):
    uncached = make_app(CACHE_TYPE="SimpleCache", DASHBOARD_FIGURES_TTL=0)
    event_id = _one_held_event(app)
    assert _person_times(uncached) == 12
    _check_in_another(app, event_id)
    assert _person_times(uncached) == 14


def _attendance_queries(app, client, url):
    with recorded_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len([s for s in statements if "registrations" in s]), response.get_data(as_text=True)


def test_pages_share_the_count_and_say_when_it_was_made(app, cached_app, make_user, clock):
    event_id = _one_held_event(app)
    client = cached_app.test_client()
    client.set_cookie("lang", "en")
    login(client, make_user(roles=("organizer",)))

    counted, html = _attendance_queries(cached_app, client, "/dashboard/?year=2021")
    assert counted == 2
    assert "Person-times: 12 in all." in html
    assert "Counted on " in html and "more than 60 seconds old" in html

    _check_in_another(app, event_id)
    # The public page and the API reuse the organizer's count: no personal data is in it, only
    # totals, and the public page still hides its small groups itself.
    counted, html = _attendance_queries(cached_app, client, "/dashboard/results?year=2021")
    assert counted == 0
    assert "Person-times: 12 in all." in html
    assert _attendance_queries(cached_app, client, "/api/v1/targets?year=2021")[0] == 0

    clock.offset = timedelta(seconds=61)
    counted, html = _attendance_queries(cached_app, client, "/dashboard/?year=2021")
    assert counted == 2
    assert "Person-times: 14 in all." in html
