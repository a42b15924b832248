"""Real-browser fixtures: the app on a local port, one Chromium, a logged-in context per role.

The data is created once for the whole browser package (a page scan needs every
role and every state at once), so the per-test ``clean_database`` of
tests/conftest.py is replaced here by a package-scoped setup that empties the
tables before and after the browser tests.
"""
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from activity_hub.extensions import db

from .browser_helpers import PASSWORD, ROLES

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]


def _empty_tables(app):
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
                )
            else:
                for table in tables:
                    connection.exec_driver_sql(f'DELETE FROM "{table}"')
        db.session.remove()


@pytest.fixture(autouse=True)
def clean_database():
    """Browser tests share the package's data (see ``seeded``); nothing to clean per test."""
    yield


# --------------------------------------------------------------------------- the seeded site

@dataclass
class Seeded:
    """Ids of everything the browser tests visit. ``logins`` maps role -> login name."""

    users: dict = field(default_factory=dict)
    logins: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    registrations: dict = field(default_factory=dict)
    venues: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    app: object = None

    def new_event(self, title, category="culture", starts_in_days=40, **fields):
        """A fresh published event in Wuchang (committed); returns its id."""
        from activity_hub.districts import District
        from activity_hub.events.models import PUBLISHED, Event

        with self.app.app_context():
            now = datetime.now(timezone.utc)
            starts = now + timedelta(days=starts_in_days)
            wuchang = db.session.scalar(sa.select(District).where(District.code == "wuchang"))
            event = Event(title=title, summary=f"{title}。", category=category, district=wuchang,
                          venue_id=self.venues["main"], starts_at=starts, ends_at=starts + timedelta(hours=2),
                          capacity=20, wheelchair_spaces=2, max_companions=2, status=PUBLISHED,
                          registration_opens_at=now - timedelta(days=1),
                          registration_closes_at=starts - timedelta(hours=1),
                          created_by_id=self.users["organizer"], **fields)
            db.session.add(event)
            db.session.commit()
            return event.id

    def new_registration(self, user_key, event_id):
        """A fresh confirmed registration (committed); returns its id."""
        from activity_hub.events.models import CONFIRMED, Registration

        with self.app.app_context():
            row = Registration(event_id=event_id, user_id=self.users[user_key], status=CONFIRMED,
                               consent_at=datetime.now(timezone.utc))
            db.session.add(row)
            db.session.commit()
            return row.id


def _seed(app):
    from activity_hub.auth import accounts
    from activity_hub.districts import District, ensure_districts
    from activity_hub.events.models import (
        CANCELLED, CONFIRMED, DRAFT, PUBLISHED, REG_CANCELLED, WAITLISTED, Event, Registration, Venue,
    )

    seeded = Seeded(app=app)
    with app.app_context():
        ensure_districts(db.session)
        wuchang = db.session.scalar(sa.select(District).where(District.code == "wuchang"))

        def user(key, login, name, roles, **fields):
            account = accounts.create_user(login, name, PASSWORD, roles=roles, district=wuchang, role_district=wuchang)
            for attr, value in fields.items():
                setattr(account, attr, value)
            db.session.flush()
            seeded.users[key] = account.id
            seeded.logins[key] = login
            return account

        resident = user("resident", "13900000001", "张敏", ("resident",),
                        default_needs=["wheelchair_space"], emergency_contact_name="张伟",
                        emergency_contact_phone="13900000099")
        volunteer = user("volunteer", "13900000002", "李强", ("volunteer", "resident"))
        leader = user("team_leader", "13900000003", "王芳", ("team_leader", "volunteer"))
        organizer = user("organizer", "13900000004", "赵磊", ("organizer",))
        admin = user("admin", "admin@example.org", "市残联管理员", ("admin", "organizer"))
        others = [user(f"other{n}", f"1390000010{n}", f"居民{n}", ("resident",)) for n in range(5)]
        # An account the forms submitted empty and invalid may change freely (see test_axe.form_scan).
        user("sandbox", "13900000200", "测试账户", ("resident",))
        # An account staff made, with the link of its invitation to set a password (auth.accept_invitation).
        from activity_hub.auth.invitations import make_token

        invited = user("invited", "13900000300", "受邀居民", ("resident",))
        seeded.extra.setdefault("arguments", {})["token"] = [make_token(invited)]

        venue = Venue(name="武昌区残疾人综合服务中心", address="武昌区中山路352号", district=wuchang,
                      features=["step_free", "elevator", "accessible_toilet", "hearing_loop", "quiet_room"],
                      wheelchair_spaces=6, accessible_entrance="主楼南侧平层入口",
                      directions="地铁4号线首义路站B出口，步行300米")
        db.session.add(venue)
        db.session.flush()
        seeded.venues["main"] = venue.id

        now = datetime.now(timezone.utc)

        def event(key, title, capacity=30, status=PUBLISHED, starts_in=timedelta(days=10), provisions=(), **fields):
            starts = now + starts_in
            row = Event(
                title=title, summary=f"{title}：欢迎参加。", description="活动详情。\n\n请提前十分钟到场。",
                category=fields.pop("category", "culture"), district=wuchang, venue=venue,
                starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=capacity,
                wheelchair_spaces=min(2, capacity), max_companions=2, status=status,
                registration_opens_at=now - timedelta(days=1),
                registration_closes_at=starts - timedelta(hours=1),
                contact_name="赵磊", contact_phone="02787654321", created_by_id=organizer.id,
                **fields,
            )
            if status == CANCELLED:
                row.cancelled_at = now
            row.set_provisions(provisions)
            db.session.add(row)
            db.session.flush()
            seeded.events[key] = row.id
            return row

        open_event = event("open", "无障碍电影放映", provisions=["audio_description", "captions", "wheelchair_space"],
                           easy_read_summary="我们一起看电影。电影有声音讲解。")
        full_event = event("full", "轮椅太极体验课", capacity=2, category="sports", starts_in=timedelta(days=12))
        cancelled_event = event("cancelled", "普法讲座：民法典与残疾人权益", status=CANCELLED, category="legal",
                                starts_in=timedelta(days=14))
        event("interpreter", "手语诗歌朗诵会", provisions=["sign_language", "captions", "hearing_loop"],
              starts_in=timedelta(days=20))
        event("draft", "残疾人书画作品展（筹备中）", status=DRAFT, starts_in=timedelta(days=30))
        today = event("today", "全国助残日主题活动", starts_in=timedelta(hours=1))

        def registration(key, event_row, account, status, **fields):
            row = Registration(event_id=event_row.id, user_id=account.id, status=status,
                               consent_at=now, **fields)
            if status == REG_CANCELLED:
                row.cancelled_at = now
            db.session.add(row)
            db.session.flush()
            if key:
                seeded.registrations[key] = row.id
            return row

        confirmed = registration("confirmed", open_event, resident, CONFIRMED, companions=1,
                                 needs_note="需要靠近出口的座位")
        confirmed.set_needs(["wheelchair_space", "audio_description"])
        registration(None, full_event, others[0], CONFIRMED)
        registration(None, full_event, others[1], CONFIRMED)
        registration("waitlisted", full_event, resident, WAITLISTED)
        registration("cancelled", cancelled_event, resident, REG_CANCELLED)
        registration("volunteer_own", open_event, volunteer, CONFIRMED)
        # The organizer's keyboard walk checks this one in.
        registration("checkin", today, others[2], CONFIRMED).set_needs(["sign_language"])
        registration("today_other", today, others[3], CONFIRMED)
        db.session.commit()

        _seed_optional_domains(seeded, wuchang, organizer, leader, volunteer, resident)
    return seeded


def _seed_optional_domains(seeded, district, organizer, leader, volunteer, resident):
    """Volunteer teams, assignments and projects, plan targets, calendar links and API tokens."""
    from datetime import date

    from activity_hub.api.tokens import create_token
    from activity_hub.calendar.feed_tokens import issue_feed_link
    from activity_hub.dashboard.models import PlanTarget
    from activity_hub.events.models import Event
    from activity_hub.volunteers.models import (
        PROPOSED, AssistanceProject, Assignment, Qualification, TeamMembership, TrainingEnrolment, VolunteerSkill,
        VolunteerTeam,
    )

    arguments = seeded.extra.setdefault("arguments", {})
    training = seeded.new_event("志愿者手语培训", category="training", starts_in_days=15)
    team = VolunteerTeam(name="武昌区助残志愿服务队", district_id=district.id, leader_id=leader.id)
    db.session.add(team)
    db.session.flush()
    for member in (leader, volunteer):
        db.session.add(TeamMembership(team_id=team.id, user_id=member.id, availability_notes="周末可以"))
    db.session.add_all([VolunteerSkill(user_id=volunteer.id, code="sign_language"),
                        VolunteerSkill(user_id=leader.id, code="sighted_guide")])
    qualification = Qualification(user_id=volunteer.id, skill="sign_language", title="手语翻译员证书",
                                  issued_on=date(2025, 1, 1), expires_on=date(2030, 1, 1))
    db.session.add(qualification)
    open_event = db.session.get(Event, seeded.events["open"])
    assignment = Assignment(event_id=open_event.id, volunteer_id=volunteer.id, team_id=team.id, role="手语翻译",
                            skill="sign_language", shift_start=open_event.starts_at, shift_end=open_event.ends_at,
                            status=PROPOSED, created_by_id=organizer.id)
    db.session.add(assignment)
    db.session.add(TrainingEnrolment(team_id=team.id, event_id=training, enrolled_by_id=organizer.id))
    project = AssistanceProject(name="盲人阅读陪伴计划", team_id=team.id, organisation="武昌区助残志愿服务队",
                                district_id=district.id, description="每周为视障居民读书读报。",
                                proposed_on=date(2026, 3, 1))
    db.session.add(project)
    target = PlanTarget(year=datetime.now(timezone.utc).year, key="culture_sports", label_zh="群众性文化体育活动",
                        label_en="Mass cultural and sports events", target=15, unit="events",
                        measure="culture_sports_events_held", source="武残联〔2021〕6号")
    db.session.add(target)
    token, _plain = create_token(resident, "读屏手机")
    _seed_messages(open_event, organizer, resident)
    inbox = _seed_inbox(resident, open_event)
    db.session.commit()
    arguments.update({
        "secret": [issue_feed_link(resident.id, "registrations"), issue_feed_link(volunteer.id, "assignments")],
        "token_id": [token.id],
        "kind": ["registrations", "assignments"],
        "category": ["culture"],
        "district_code": ["wuchang"],
        "role": ["resident", "organizer"],
        "team_id": [team.id],
        "assignment_id": [assignment.id],
        # The event the assignment belongs to: pages addressed by both take it (a fresh event has none).
        "assignment_event_id": [assignment.event_id],
        "project_id": [project.id],
        "qualification_id": [qualification.id],
        "session_id": [training],
        "year": [datetime.now(timezone.utc).year],
        "target_id": [target.id],
        "table_key": ["all"],
        "fmt": ["csv", "xlsx"],
        "message_id": [message.id for message in inbox],
    })


def _seed_inbox(resident, event):
    """The resident's inbox: an unread message about an event (with a long link, as SMS carry) and a
    read one without an event."""
    from activity_hub.db_types import utcnow
    from activity_hub.messages.outbox import queue_message

    about_event = queue_message(resident, "registration_confirmed", lambda: (
        f"报名成功：{event.title}",
        f"您好，您已报名“{event.title}”。\n入口：主楼南侧平层入口\n\n"
        "详情请看：http://127.0.0.1/me/messages/and-a-rather-long-address-that-must-wrap-on-small-screens",
    ), event=event)
    read = queue_message(resident, "announcement", lambda: ("本周活动安排", "本周六上午有无障碍电影放映。"))
    read.read_at = utcnow()
    db.session.flush()
    return about_event, read


def _seed_messages(event, organizer, resident):
    """An announcement kept with the event, and one delivered and one failed message of it, so the
    staff's message pages show their tables."""
    from activity_hub.messages.models import Announcement, OutboxMessage

    db.session.add(Announcement(event_id=event.id, author_id=organizer.id, audience="confirmed",
                                subject="入口改在东门", body="请从东门无障碍坡道进入。", recipient_count=2))
    for status, error in (("sent", None), ("failed", "该手机号码不存在")):
        db.session.add(OutboxMessage(user_id=resident.id, kind="announcement", channel="sms", recipient=resident.phone,
                                     locale="zh_CN", subject="入口改在东门", body="请从东门无障碍坡道进入。",
                                     status=status, event_id=event.id, last_error=error))


@pytest.fixture(scope="package")
def seeded(app):
    _empty_tables(app)
    data = _seed(app)
    yield data
    _empty_tables(app)


# --------------------------------------------------------------------------- the live server

class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture(scope="package")
def live_server(app, seeded):
    with LiveServer(app) as server:
        yield server


# --------------------------------------------------------------------------- the browser

NO_CHROMIUM = f"""
{'=' * 78}
BROWSER TESTS CANNOT RUN: no Chromium at {CHROMIUM}.
The accessibility suite (axe, keyboard walks, reflow) needs a real browser.
Install it with:   sudo apt-get install chromium fonts-noto-cjk
(or point CHROMIUM_PATH at another Chromium binary), then run
                   .venv/bin/python -m pytest tests/browser
{'=' * 78}
"""


@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        # Never skip: in CI (env CI set) and on a developer's machine alike, a missing browser fails loudly.
        pytest.fail(NO_CHROMIUM + ("(CI is set: the browser must be installed by .ci/run)\n" if os.environ.get("CI") else ""),
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def language_cookie(server, language):
    return {"name": "lang", "value": language, "url": server.url}


def display_cookie(server, value):
    return {"name": "display", "value": value, "url": server.url}


@pytest.fixture(scope="package")
def role_states(browser, live_server, seeded):
    """Storage state (session cookie) per role, each obtained once through the real login form."""
    states = {"anonymous": {"cookies": [], "origins": []}}
    for role in ROLES[1:]:
        context = browser.new_context()
        page = context.new_page()
        page.goto(live_server.url + "/login")
        page.fill("#login", seeded.logins[role])
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "/login" not in page.url, f"logging in as {role} failed: {page.url}"
        states[role] = context.storage_state()
        context.close()
    return states


@pytest.fixture(scope="package")
def new_context(browser, live_server, role_states):
    """new_context(role, language="zh_CN", display=None, **options) -> a fresh, logged-in BrowserContext."""
    opened = []

    def factory(role="anonymous", language="zh_CN", display=None, **options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(storage_state=role_states[role], base_url=live_server.url, **options)
        cookies = [language_cookie(live_server, language)]
        if display:
            cookies.append(display_cookie(live_server, display))
        context.add_cookies(cookies)
        context.set_default_timeout(10000)
        opened.append(context)
        return context

    yield factory
    for context in opened:
        try:
            context.close()
        except Exception:
            pass


@pytest.fixture
def page_for(new_context):
    """page_for(role, language="zh_CN", ...) -> a page in a new context, closed after the test."""
    contexts = []

    def factory(role="anonymous", language="zh_CN", **options):
        context = new_context(role, language, **options)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()
