"""Fixtures of the messages tests.

The staff pages' tests use the people of one event (an organizer of its district, confirmed
registrants, some with needs, a waiting list, volunteers) and outbox rows in any state. The relay's
tests deliver through the fake provider (``fake_channels``) and call the relay themselves
(``MESSAGE_DELIVERY`` is "off" unless a test says otherwise)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from activity_hub.extensions import db
from activity_hub.messages.models import EMAIL, OutboxMessage
from tests.messages import fake_channels
from tests.api.conftest import api, make_token  # noqa: F401  (the API tests' client, for these tests too)


@dataclass
class Scene:
    event: int
    organizer: int
    confirmed: list = field(default_factory=list)
    with_sign_language: list = field(default_factory=list)
    waitlisted: list = field(default_factory=list)
    volunteers: list = field(default_factory=list)


@pytest.fixture
def organizer(make_user):
    return make_user(roles=("resident", "organizer"), role_district_code="wuchang")


@pytest.fixture
def add_registration(app):
    def add(event_id, user_id, status="confirmed", needs=()):
        from activity_hub.events.models import Registration

        with app.app_context():
            registration = Registration(event_id=event_id, user_id=user_id, status=status, companions=0,
                                        consent_at=datetime.now(timezone.utc))
            registration.set_needs(needs)
            db.session.add(registration)
            db.session.commit()
            return registration.id

    return add


@pytest.fixture
def add_assignment(app):
    def add(event_id, user_id, status="accepted"):
        from activity_hub.volunteers.models import Assignment

        with app.app_context():
            start = datetime.now(timezone.utc) + timedelta(days=10)
            assignment = Assignment(event_id=event_id, volunteer_id=user_id, role="引导", status=status,
                                    shift_start=start, shift_end=start + timedelta(hours=3),
                                    decline_reason="没空" if status == "declined" else "")
            db.session.add(assignment)
            db.session.commit()
            return assignment.id

    return add


@pytest.fixture
def scene(make_user, make_event, organizer, add_registration, add_assignment):
    """Two confirmed residents (one English-speaking, e-mail) and one confirmed with a sign-language
    need; two on the waiting list (one of them with the need); a cancelled registration; two live
    volunteers and one who declined."""
    event = make_event(title="全国助残日文艺汇演")
    found = Scene(event=event, organizer=organizer)
    plain = make_user()
    english = make_user(login=f"reader{event}@example.org", locale="en", name="Alex Reader")
    deaf = make_user(text_only_contact=True)
    for user, needs in ((plain, ()), (english, ("large_print",)), (deaf, ("sign_language",))):
        add_registration(event, user, "confirmed", needs)
        found.confirmed.append(user)
    found.with_sign_language.append(deaf)
    for needs in ((), ("sign_language",)):
        user = make_user()
        add_registration(event, user, "waitlisted", needs)
        found.waitlisted.append(user)
    add_registration(event, make_user(), "cancelled", ("sign_language",))
    for status in ("accepted", "proposed"):
        user = make_user(roles=("resident", "volunteer"))
        add_assignment(event, user, status)
        found.volunteers.append(user)
    add_assignment(event, make_user(roles=("resident", "volunteer")), "declined")
    return found


@pytest.fixture
def add_message(app):
    """add_message(user_id, event_id=None, status="failed", kind=..., **columns) -> message id."""
    def add(user_id, event_id=None, status="failed", kind="registration_confirmed", **columns):
        from activity_hub.messages.models import OutboxMessage

        with app.app_context():
            now = datetime.now(timezone.utc)
            columns.setdefault("last_error", "该手机号码不存在" if status == "failed" else None)
            columns.setdefault("attempts", 5 if status == "failed" else 0)
            columns.setdefault("sent_at", now if status == "sent" else None)
            message = OutboxMessage(
                user_id=user_id, kind=kind, channel=columns.pop("channel", "sms"),
                recipient=columns.pop("recipient", "13900000000"), locale="zh_CN", subject="主题", body="正文",
                status=status, event_id=event_id, **columns)
            db.session.add(message)
            db.session.commit()
            return message.id

    return add


@pytest.fixture
def outbox(app):
    """outbox(**where) -> the outbox rows matching, oldest first."""
    def read(**where):
        from activity_hub.messages.models import OutboxMessage

        with app.app_context():
            rows = list(db.session.scalars(sa.select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.id)))
            db.session.expunge_all()
            return rows

    return read


FAKE = "tests.messages.fake_channels"
DUE_SINCE = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def relay_app(app, monkeypatch):
    """The session's app with every channel on the fake provider, restored afterwards."""
    for key, value in {"MESSAGE_BACKENDS": {"email": FAKE, "sms": FAKE}, "MESSAGE_DELIVERY": "off",
                       "MESSAGE_MAX_ATTEMPTS": 8, "MESSAGE_LEASE_SECONDS": 120}.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.delenv("FAKE_CHANNEL_DELAY", raising=False)
    fake_channels.deliveries.clear()
    yield app
    fake_channels.deliveries.clear()


@pytest.fixture
def recipient(make_user):
    return make_user()


@pytest.fixture
def put_message(relay_app, recipient):
    """put_message(channel="email", recipient="someone@example.org", **columns) -> id of an outbox row,
    due since the start of 2026 unless ``next_attempt_at`` says otherwise (tests run the relay at
    fixed times of their own)."""
    def factory(channel=EMAIL, to="someone@example.org", **columns):
        with relay_app.app_context():
            columns.setdefault("next_attempt_at", DUE_SINCE)
            message = OutboxMessage(user_id=recipient, kind=columns.pop("kind", "registration_confirmed"),
                                    channel=channel, recipient=to, locale="zh_CN", subject="报名成功",
                                    body="您已报名。", **columns)
            db.session.add(message)
            db.session.commit()
            return message.id

    return factory


def row(app, message_id):
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        db.session.expunge(message)
        return message
