"""Helpers shared by the event tests: registering through the service, reading results back."""
import pytest
import sqlalchemy as sa

from activity_hub.extensions import db


@pytest.fixture
def sign_up(app):
    """sign_up(event_id, user_id, **kwargs) -> (registration id, status), consent given unless said otherwise."""
    from activity_hub.auth.models import User
    from activity_hub.events import registration

    def do(event_id, user_id, **kwargs):
        kwargs.setdefault("consent", True)
        with app.app_context():
            user = db.session.get(User, user_id)
            made = registration.register(event_id, user, **kwargs)
            return made.id, made.status

    return do


@pytest.fixture
def residents(make_user):
    """residents(n, **fields) -> list of n new resident ids."""

    def make(count, **fields):
        return [make_user(**fields) for _ in range(count)]

    return make


@pytest.fixture
def statuses(app):
    """statuses(event_id) -> {registration id: status}."""
    from activity_hub.events.models import Registration

    def read(event_id):
        with app.app_context():
            rows = db.session.execute(
                sa.select(Registration.id, Registration.status).where(Registration.event_id == event_id)
            )
            return {row.id: row.status for row in rows}

    return read


@pytest.fixture
def outbox(app):
    """outbox(user_id) -> list of (kind, subject, body, channel) for the user, oldest first."""
    from activity_hub.messages.models import OutboxMessage

    def read(user_id):
        with app.app_context():
            rows = db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.user_id == user_id).order_by(OutboxMessage.id)
            )
            return [(m.kind, m.subject, m.body, m.channel) for m in rows]

    return read


@pytest.fixture
def organizer(make_user):
    """An organizer of Wuchang district (where make_event puts events by default)."""
    return make_user(roles=("resident", "organizer"), role_district_code="wuchang")


@pytest.fixture
def move_event(app):
    """move_event(event_id, **fields): change an event directly (e.g. put it in the past)."""
    from activity_hub.events.models import Event

    def change(event_id, **fields):
        with app.app_context():
            event = db.session.get(Event, event_id)
            for key, value in fields.items():
                setattr(event, key, value)
            db.session.commit()

    return change


@pytest.fixture
def log_in():
    """log_in(client, user_id): start a session for the user (the login form is tested with auth)."""
    from tests.conftest import login

    return login
