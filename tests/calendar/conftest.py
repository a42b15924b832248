"""Calendar test helpers: two independent readers (icalendar and Mozilla's ical.js under Node),
what the database says each feed should show, a query counter and feed links."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from activity_hub.extensions import db
from ical_helpers import by_uid, read_with_icalendar, utc_iso
from tests.conftest import recorded_statements

ROOT = Path(__file__).resolve().parents[2]
READER = Path(__file__).with_name("ical_reader.mjs")
ICAL_JS = ROOT / "node_modules" / "ical.js" / "package.json"


def _require_ical_js():
    """ical.js is a devDependency of the project (package.json): `make test` runs `npm ci`."""
    node = shutil.which("node")
    where = "in CI" if os.environ.get("CI") else "here"
    if node is None:
        pytest.fail(f"Node.js is needed {where} to run the independent iCalendar reader (ical.js).")
    if not ICAL_JS.exists():
        pytest.fail(
            f"node_modules/ical.js is missing {where}: run `make test` (or `npm ci` in {ROOT}) "
            "to install the independent iCalendar reader from package-lock.json."
        )
    return node


@pytest.fixture(scope="session")
def read_with_ical_js():
    """read_with_ical_js(bytes) -> what Mozilla's ical.js reads in the document (see ical_reader.mjs)."""
    node = _require_ical_js()

    def read(body):
        result = subprocess.run(
            [node, str(READER)], input=body, capture_output=True, cwd=ROOT, timeout=60, check=False,
        )
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        return json.loads(result.stdout)

    return read


@pytest.fixture
def both_readers(read_with_ical_js):
    """both_readers(body) -> (icalendar events by UID, ical.js events by UID), after checking they agree
    with each other on UIDs, titles, starts in UTC, statuses and sequences."""

    def read(body):
        _, py_events = read_with_icalendar(body)
        js = read_with_ical_js(body)
        py, js_events = by_uid(py_events), by_uid(js["events"])
        assert len(py) == len(py_events) and len(js_events) == len(js["events"]), "duplicate UIDs"
        assert set(py) == set(js_events)
        for uid, event in py.items():
            other = js_events[uid]
            assert other["summary"] == event["summary"]
            assert other["start"] == utc_iso(event["start"])
            assert other["status"] == event["status"]
            assert other["sequence"] == event["sequence"]
            assert other["start_zone"] == other["end_zone"] == "Asia/Shanghai"
        return py, js_events

    return read


@pytest.fixture
def host(app):
    return app.config["CALENDAR_HOST"]


@pytest.fixture
def expected_events(app, host):
    """expected_events(event ids, statuses={id: status}) -> {uid: (title, start utc, status)} from the database."""
    from activity_hub.events.models import Event

    def expected(event_ids, statuses=None):
        statuses = statuses or {}
        with app.app_context():
            rows = db.session.scalars(sa.select(Event).where(Event.id.in_(list(event_ids)))).all()
            return {
                f"event-{e.id}@{host}": (
                    e.title, e.starts_at.replace(microsecond=0),
                    statuses.get(e.id, "CANCELLED" if e.status == "cancelled" else "CONFIRMED"),
                )
                for e in rows
            }

    return expected


@pytest.fixture
def count_queries(app):
    """with count_queries() as queries: ...; len(queries) (transaction control left out)"""
    return lambda: recorded_statements(app, transaction_control=False)

    return make


@pytest.fixture
def feed_link(app):
    """feed_link(user_id, kind="registrations") -> the path of a new secret feed link."""
    from activity_hub.calendar.feed_tokens import issue_feed_link

    def make(user_id, kind="registrations"):
        with app.app_context():
            secret = issue_feed_link(user_id, kind)
        return f"/calendar/personal/{secret}/{kind}.ics", secret

    return make


@pytest.fixture
def register(app):
    """register(event_id, user_id, status="confirmed") -> registration id, written directly."""
    from activity_hub.db_types import utcnow
    from activity_hub.events.models import Registration

    def make(event_id, user_id, status="confirmed", **fields):
        with app.app_context():
            now = utcnow()
            registration = Registration(event_id=event_id, user_id=user_id, status=status, created_at=now,
                                        updated_at=now, **fields)
            db.session.add(registration)
            db.session.commit()
            return registration.id

    return make


@pytest.fixture
def remembered_versions(app, monkeypatch):
    """Feed versions remembered for 5 seconds on a clock the test moves: ``clock.advance(seconds)``."""
    from activity_hub.calendar import version_cache

    class Clock:
        now = 1000.0

        def advance(self, seconds):
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr(version_cache, "clock", lambda: clock.now)
    monkeypatch.setitem(app.config, version_cache.TTL_SETTING, 5)
    yield clock
    with app.app_context():
        version_cache.forget_all()
