"""A volunteer service owns its transaction: what it changes is saved when it returns, whoever calls it
(a page, the API, a command, a worker); a caller that never commits loses nothing."""
import sqlalchemy as sa

from activity_hub.events.models import Event
from activity_hub.extensions import db
from activity_hub.messages.models import OutboxMessage
from activity_hub.volunteers import assignments as svc
from activity_hub.volunteers.models import Assignment

from .helpers import user


def test_an_answer_is_saved_without_the_caller_committing(app, app_ctx, make_event, make_volunteer, make_shift):
    assignment_id = make_shift(make_event(), make_volunteer())
    svc.accept_assignment(db.session, db.session.get(Assignment, assignment_id))
    db.session.rollback()  # a caller that never commits loses nothing
    db.session.remove()
    assert db.session.get(Assignment, assignment_id).status == "accepted"


def test_a_proposed_shift_and_its_message_are_saved_together(app, app_ctx, make_user, make_event, make_volunteer):
    event_id, volunteer, organizer = make_event(), make_volunteer(), make_user(roles=("organizer",))
    event = db.session.get(Event, event_id)
    svc.assign_volunteer(db.session, event, user(volunteer), "引导员", event.starts_at, event.ends_at,
                         by=user(organizer))
    db.session.rollback()
    db.session.remove()
    assert db.session.scalar(sa.select(Assignment.status).where(Assignment.volunteer_id == volunteer)) == "proposed"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.kind == "assignment_proposed")) == 1

