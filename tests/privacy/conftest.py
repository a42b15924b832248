"""Shared helpers of the privacy tests: a signed-in client per person, and reading the rows back."""
import pytest
import sqlalchemy as sa

from activity_hub.extensions import db
from activity_hub.privacy.models import AuditEntry, ConsentRecord
from tests.api.conftest import make_token  # noqa: F401  (the API's bearer tokens)
from tests.conftest import login
from tests.events.conftest import move_event  # noqa: F401  (putting an event in the past)


@pytest.fixture
def signed_in(app):
    """signed_in(user_id, language="en") -> a test client logged in as that person."""
    def make(user_id, language="en"):
        client = app.test_client()
        login(client, user_id)
        client.set_cookie("lang", language)
        return client

    return make


@pytest.fixture
def consent_rows(app):
    def read(user_id):
        with app.app_context():
            return [(r.purpose, r.given_how, r.staff_id, r.notice_version, r.withdrawn_at is not None)
                    for r in db.session.scalars(sa.select(ConsentRecord).where(ConsentRecord.user_id == user_id)
                                                .order_by(ConsentRecord.id))]

    return read


@pytest.fixture
def audit_rows(app):
    def read(action=None):
        with app.app_context():
            query = sa.select(AuditEntry).order_by(AuditEntry.id)
            if action:
                query = query.where(AuditEntry.action == action)
            return [(e.actor_id, e.action, e.subject_user_id, e.event_id, e.address, e.detail)
                    for e in db.session.scalars(query)]

    return read
