"""Shared fixtures: the app on a real database (SQLite file, or PostgreSQL with
TEST_DATABASE_URL), a clean database per test, a client, and factories."""
import itertools
import os
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from activity_hub import create_app
from activity_hub.extensions import db

DEMO_TZ = timezone(timedelta(hours=8))
_counter = itertools.count(1)


def _per_worker_database_url():
    """Under pytest-xdist each worker gets a PostgreSQL database of its own, named
    ``<TEST_DATABASE_URL's database>_<worker id>`` (``ah_test_gw0``). TEST_DATABASE_URL itself is
    pointed at it, so what is named after the test database (the migration test's and the
    benchmark's side databases, the worker processes' URL) is per worker too. SQLite needs nothing:
    each worker has its own temporary directory."""
    url, worker = os.environ.get("TEST_DATABASE_URL"), os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker or sa.make_url(url).get_backend_name() != "postgresql":
        return None
    base = sa.make_url(url)
    if os.environ.get("TEST_DATABASE_URL_BASE") is None:
        os.environ["TEST_DATABASE_URL_BASE"] = url
        os.environ["TEST_DATABASE_URL"] = base.set(database=f"{base.database}_{worker}").render_as_string(
            hide_password=False)
    return sa.make_url(os.environ["TEST_DATABASE_URL"])


# Done on import (before the test modules read TEST_DATABASE_URL at their own import).
_WORKER_DATABASE = _per_worker_database_url()


@contextmanager
def _worker_database(url):
    """Create the worker's database for the session and drop it afterwards."""
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
    try:
        yield
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if _WORKER_DATABASE is not None:
        with _worker_database(_WORKER_DATABASE):
            yield url
        return
    if url:
        yield url
        return
    yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()  # before the worker's database (if any) is dropped


# With pytest-xdist (``make test`` runs ``-n 2 --dist loadgroup``) the tests of a group run in one
# worker, in order. The browser tests share one Chromium and one server per package, and test_axe
# checks the English pages against the Chinese ones checked before them. The Celery tests share
# Redis database 2 (a broker queue that the worker-process test empties).
XDIST_GROUPS = {
    "tests/messages/test_dispatch.py": "redis-db2",
    "tests/messages/test_worker.py": "redis-db2",
    "tests/messages/test_worker_processes.py": "redis-db2",
}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.nodeid.split("::")[0]
        group = "browser" if item.get_closest_marker("browser") else XDIST_GROUPS.get(path)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(autouse=True)
def clean_database(app):
    """Every test starts with empty tables and the districts loaded."""
    from activity_hub.districts import ensure_districts

    with app.app_context():
        ensure_districts(db.session)
        db.session.commit()
    yield
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        # DELETE, not TRUNCATE: on PostgreSQL truncating ~25 small tables costs ~300 ms
        # a test, deleting their few rows ~25 ms. Ids keep counting up across tests.
        with db.engine.begin() as connection:
            for table in tables:
                connection.exec_driver_sql(f'DELETE FROM "{table}"')
        db.session.remove()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def district(code="wuchang"):
    from activity_hub.districts import District

    return db.session.scalar(sa.select(District).where(District.code == code))


@pytest.fixture
def make_user(app):
    """make_user(roles=("resident",), district="wuchang", role_district=None, **fields) -> user id."""
    from activity_hub.auth import accounts

    def factory(roles=("resident",), district_code="wuchang", role_district_code=None, password="correct horse 1",
                login=None, name=None, **fields):
        with app.app_context():
            n = next(_counter)
            user = accounts.create_user(
                login or f"139{n:08d}", name or f"测试用户{n}", password, roles=roles,
                district=district(district_code) if district_code else None,
                role_district=district(role_district_code) if role_district_code else None,
            )
            for key, value in fields.items():
                setattr(user, key, value)
            db.session.commit()
            return user.id

    return factory


def session_id_for(app, user_id):
    """A live login session of the account (what the session cookie holds after the login form):
    ``"<id>.<key>"``. A bare id is refused by the app (auth/sessions.py)."""
    from activity_hub.auth import sessions
    from activity_hub.auth.models import User

    with app.app_context():
        session_id = sessions.start_session(db.session.get(User, int(user_id)))
        db.session.remove()
    return session_id


def login(client, user_id):
    """Log a user in by their session (the login form itself is tested in test_auth)."""
    session_id = session_id_for(client.application, user_id)
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


@pytest.fixture
def make_venue(app):
    from activity_hub.events.models import Venue

    def factory(name=None, district_code="wuchang", features=("step_free", "accessible_toilet"), wheelchair_spaces=4, **fields):
        with app.app_context():
            venue = Venue(name=name or f"场地{next(_counter)}", address="武昌区中山路1号",
                          district=district(district_code), features=list(features),
                          wheelchair_spaces=wheelchair_spaces, **fields)
            db.session.add(venue)
            db.session.commit()
            return venue.id

    return factory


@pytest.fixture
def make_event(app, make_venue):
    """make_event(capacity=10, ...) -> event id; published, open for registration, starting in 10 days."""
    from activity_hub.events.models import PUBLISHED, Event

    def factory(title=None, capacity=10, wheelchair_spaces=2, max_companions=2, status=PUBLISHED,
                district_code="wuchang", venue_id=None, provisions=(), starts_in=timedelta(days=10),
                category="culture", **fields):
        venue_id = venue_id or make_venue(district_code=district_code)
        with app.app_context():
            now = datetime.now(timezone.utc)
            starts = now + starts_in
            event = Event(
                title=title or f"测试活动{next(_counter)}", category=category, district=district(district_code),
                venue_id=venue_id, starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=capacity,
                wheelchair_spaces=wheelchair_spaces, max_companions=max_companions, status=status,
                registration_opens_at=now - timedelta(days=1), registration_closes_at=starts - timedelta(hours=1),
                **fields,
            )
            event.set_provisions(provisions)
            db.session.add(event)
            db.session.commit()
            return event.id

    return factory


@pytest.fixture
def make_app(database_url):
    """make_app(config_name="testing", **overrides) -> another app on the test database.

    For what needs its own app: CSRF switched on, production settings, a second
    process sharing the database. Their engines are closed afterwards.
    """
    apps = []

    def factory(config_name="testing", **overrides):
        overrides.setdefault("SQLALCHEMY_DATABASE_URI", database_url)
        other = create_app(config_name, **overrides)
        apps.append(other)
        return other

    yield factory
    for other in apps:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def recorded_statements(app, parameters=False, transaction_control=True, commits=False):
    """``with recorded_statements(app) as statements: ...``: every SQL statement run meanwhile, in
    order (``(statement, parameters)`` pairs with ``parameters=True``). The one helper of the
    query-count tests. ``transaction_control=False`` leaves out BEGIN (SQLite's), SAVEPOINT and the
    like; ``commits=True`` records each commit of a connection as ``"COMMIT"`` in its place."""
    with app.app_context():
        engine = db.engine
    statements = []

    def listener(conn, cursor, statement, params, context, executemany):
        if transaction_control or not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            statements.append((statement, params) if parameters else statement)

    def committed(conn):
        statements.append(("COMMIT", None) if parameters else "COMMIT")

    sa.event.listen(engine, "before_cursor_execute", listener)
    if commits:
        sa.event.listen(engine, "commit", committed)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
        if commits:
            sa.event.remove(engine, "commit", committed)


def messages_to(app, recipient, kind=None):
    """The outbox messages to one phone number or e-mail address, oldest first: (kind, subject, body)."""
    from activity_hub.messages.models import OutboxMessage

    with app.app_context():
        query = sa.select(OutboxMessage).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        return [(message.kind, message.subject, message.body) for message in db.session.scalars(query)]


def sent_code(app, recipient):
    """The 6-digit code in the newest code message to ``recipient`` (None if none was sent)."""
    import re

    sent = messages_to(app, recipient, "login_code")
    return re.search(r"\b(\d{6})\b", sent[-1][1]).group(1) if sent else None


def require_real_services(database_url, broker_url, why_postgresql):
    """For tests that run real worker processes: they share the database across processes, so they
    run in the PostgreSQL pass (skipped, saying ``why_postgresql``, on SQLite, where the pass on
    PostgreSQL covers them). Redis is a stated requirement of the suite (README, ``.ci/run`` starts
    it): without it the test fails, so a missing broker can never pass for a green run."""
    import redis

    if sa.engine.make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip(why_postgresql)
    client = redis.Redis.from_url(broker_url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis (the broker) is not answering at {broker_url}: start it (the README's quick start)")
    finally:
        client.close()
