"""Setting up the benchmark's database: fresh database, migrations, seed-scale, and what the
scenarios need beforehand (residents with API tokens, the hot event, the organizer's session),
so that none of that is counted in the figures."""
import hashlib
import os
import random
import re
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .load import fetch
from .servers import ROOT

FLASK = str(Path(sys.executable).with_name("flask"))
BENCH_PHONE = "137{:08d}"  # the benchmark's own residents, apart from seed-scale's 139…


def recreate_database(url):
    """Drop and create the database named in ``url`` (PostgreSQL only), from the server's ``postgres`` db."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise SystemExit("the benchmark runs on PostgreSQL: give a postgresql+psycopg:// URL")
    name = parsed.database
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name or ""):
        raise SystemExit(f"unexpected database name {name!r}")
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


def drop_database(url):
    parsed = make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
    admin.dispose()


def flask_command(args, env, log):
    """Run a flask CLI command; returns its wall time in seconds."""
    started = time.perf_counter()
    completed = subprocess.run([FLASK, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    log.write(f"$ flask {' '.join(args)}  ({elapsed:.1f}s)\n{completed.stdout}{completed.stderr}\n")
    log.flush()
    if completed.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")
    return elapsed, completed.stdout


CONSOLE_CHANNEL = "activity_hub.messages.channels.console"
# What a production app built in the benchmark's own process needs to start without a broker or
# a mail server (it delivers nothing).
SENDS_NOTHING = dict(MESSAGE_DELIVERY="off", MESSAGE_BACKENDS={"email": CONSOLE_CHANNEL, "sms": CONSOLE_CHANNEL})


def app_env(url, secret_key):
    env = dict(os.environ)
    env.update(FLASK_APP="activity_hub:create_app", DATABASE_URL=url, ACTIVITY_HUB_CONFIG="production",
               SECRET_KEY=secret_key, PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT),
               # The benchmark's servers send no message (production refuses to start without a
               # broker otherwise): the outbox rows the scenarios write stay queued.
               MESSAGE_DELIVERY="off", MESSAGE_BACKEND_EMAIL=CONSOLE_CHANNEL, MESSAGE_BACKEND_SMS=CONSOLE_CHANNEL)
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    return env


class Fixtures:
    """What the scenarios use: ids, tokens, the hot event. Built in the orchestrator, in one app context."""

    def __init__(self, url, registration_users, hot_residents, hot_places, rng):
        from activity_hub import create_app

        self.rng = rng
        self.app = create_app("production", SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=secrets.token_urlsafe(48),
                              **SENDS_NOTHING)
        with self.app.app_context():
            self._build(registration_users, hot_residents, hot_places)

    def _build(self, registration_users, hot_residents, hot_places):
        from activity_hub.api.models import ApiToken
        from activity_hub.api.tokens import TOKEN_PREFIX
        from activity_hub.auth.models import RoleGrant, User
        from activity_hub.bench_data.bulk import bulk_insert, next_id, reset_sequences
        from activity_hub.db_types import utcnow
        from activity_hub.districts import District
        from activity_hub.events.models import PUBLISHED, Event
        from activity_hub.extensions import db

        session, now = db.session, utcnow()
        password_hash = session.scalar(sa.select(User.password_hash).where(User.phone.like("139%")).limit(1))
        count = registration_users + hot_residents
        first = next_id(session, User)
        bulk_insert(session, User, ("id", "phone", "display_name", "password_hash", "default_needs",
                                    "default_needs_note", "text_only_contact", "emergency_contact_name",
                                    "emergency_contact_phone", "locale", "text_size", "theme", "reduced_motion",
                                    "prefers_easy_read", "is_active_account", "created_at"),
                    ((first + n, BENCH_PHONE.format(first + n), f"基准测试居民 {first + n}", password_hash, [], "", False,
                      "", "", "zh_CN", 100, "default", False, False, True, now) for n in range(count)))
        grant = next_id(session, RoleGrant)
        bulk_insert(session, RoleGrant, ("id", "user_id", "role", "district_id", "granted_at", "granted_by_id"),
                    ((grant + n, first + n, "resident", None, now, None) for n in range(count)))
        self.tokens = []
        token_rows = []
        token_first = next_id(session, ApiToken)
        for n in range(count):
            plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
            self.tokens.append(plain)
            token_rows.append((token_first + n, first + n, "benchmark", hashlib.sha256(plain.encode()).hexdigest(),
                               plain[:12], now, None, None, now + timedelta(days=90)))
        bulk_insert(session, ApiToken, ("id", "user_id", "name", "token_hash", "token_prefix", "created_at",
                                        "last_used_at", "revoked_at", "expires_at"), token_rows)

        district = session.scalar(sa.select(District).where(District.code == "wuchang"))
        hot = Event(title="热门活动：无障碍音乐会（基准测试）", summary="名额有限，先到先得。", description="", category="culture",
                    district_id=district.id, online_url="https://meeting.example.cn/hot", starts_at=now + timedelta(days=30),
                    ends_at=now + timedelta(days=30, hours=2), capacity=hot_places, wheelchair_spaces=0,
                    max_companions=0, status=PUBLISHED, created_at=now, updated_at=now)
        session.add(hot)
        reset_sequences(session, [User, RoleGrant, ApiToken])
        session.commit()
        self.hot_event_id = hot.id
        self.registration_tokens = self.tokens[:registration_users]
        self.hot_tokens = self.tokens[registration_users:]

        soon = now + timedelta(days=2)
        open_events = list(session.scalars(
            sa.select(Event.id).where(
                Event.status == PUBLISHED, Event.starts_at > soon, Event.requires_approval.is_(False),
                Event.id != hot.id,
                sa.or_(Event.registration_opens_at.is_(None), Event.registration_opens_at <= now),
                sa.or_(Event.registration_closes_at.is_(None), Event.registration_closes_at > soon),
            ).order_by(Event.id)
        ))
        self.rng.shuffle(open_events)
        self.registration_events = open_events[:500]
        self.public_events = list(session.scalars(
            sa.select(Event.id).where(Event.status == PUBLISHED, Event.id != hot.id).order_by(Event.id)))
        self.rng.shuffle(self.public_events)
        self.public_events = self.public_events[:2000]


def login(base, login_name, password):
    """Log in through the form (as a browser would); returns the Cookie header value."""
    status, headers, body = fetch(base, "/login")
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body) or \
        re.search(rb'value="([^"]+)"[^>]*name="csrf_token"', body)
    if status != 200 or match is None:
        raise RuntimeError(f"login page: {status}, no form token")
    cookies = _cookies(headers)
    from urllib.parse import urlencode
    form = urlencode({"csrf_token": match.group(1).decode(), "login": login_name, "password": password})
    status, headers, body = fetch(base, "/login", method="POST", data=form, headers={
        "Cookie": _cookie_header(cookies), "Content-Type": "application/x-www-form-urlencoded"})
    if status not in (302, 303):
        raise RuntimeError(f"logging in as {login_name} failed with {status}")
    cookies.update(_cookies(headers))
    return _cookie_header(cookies)


def _cookies(headers):
    found = {}
    for value in headers.getall("Set-Cookie", []):
        name, _, rest = value.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def _cookie_header(cookies):
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def seeded_rng(seed=7):
    return random.Random(seed)
