"""The store's fast path (the id taken under the lock, plain INSERTs, on PostgreSQL one WITH ...
INSERT) writes exactly the rows the ORM's unit of work writes for the same registration."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from activity_hub.events import registration
from activity_hub.events.models import Registration, RegistrationNeed
from activity_hub.extensions import db
from activity_hub.messages.models import OutboxMessage

CASES = {
    "confirmed with needs": dict(event={}, needs=["wheelchair_space", "braille", "sign_language"], companions=1,
                                 note=" by the door ", needs_note="左手不便"),
    "pending approval": dict(event={"requires_approval": True}, needs=["captions"], companions=0, note="",
                             needs_note=""),
    "waitlisted, no needs": dict(event={"capacity": 1, "wheelchair_spaces": 0}, needs=[], companions=1, note="",
                                 needs_note="", full=True),
}


def written(registration_id):
    """The rows written for a registration, with what must differ between two registrations
    (ids, the event, the times and the check-in code) taken out or made relative."""
    made = db.session.get(Registration, registration_id)
    row = {c.key: getattr(made, c.key) for c in Registration.__table__.columns}
    needs = db.session.scalars(sa.select(RegistrationNeed.code).where(
        RegistrationNeed.registration_id == registration_id).order_by(RegistrationNeed.code)).all()
    message = db.session.scalar(sa.select(OutboxMessage).where(
        OutboxMessage.user_id == made.user_id, OutboxMessage.event_id == made.event_id))
    message_row = {c.key: getattr(message, c.key) for c in OutboxMessage.__table__.columns}
    code = registration.checkin_token(made)
    for key in ("subject", "body"):
        message_row[key] = message_row[key].replace(code, "<code>")
    times = {key: row.pop(key) for key in ("created_at", "updated_at", "consent_at")}
    assert times["updated_at"] == times["consent_at"] == times["created_at"]
    assert message_row.pop("created_at") == times["created_at"]
    # Due at once, or (an SMS in the night's quiet hours) in the morning: the same for both paths.
    due = message_row.pop("next_attempt_at")
    assert due >= times["created_at"]
    message_row["due_at_once"] = due == times["created_at"]
    for key in ("id", "event_id"):
        row.pop(key)
        message_row.pop(key)
    return row, needs, message_row


@pytest.mark.parametrize("case", CASES)
def test_the_fast_path_writes_what_the_orm_writes(app, make_event, make_venue, make_user, move_event, case):
    from activity_hub.auth.models import User

    given = CASES[case]
    venue = make_venue(name="同一场地")
    starts = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=9)
    resident = make_user(name="同一个人", locale="zh_CN")
    results = []
    for fast in (True, False):
        event = make_event(title="同一活动", venue_id=venue, contact_phone="027-88886666", **given["event"])
        move_event(event, starts_at=starts, ends_at=starts + timedelta(hours=2))
        if given.get("full"):
            with app.app_context():
                registration.register(event, db.session.get(User, make_user()), consent=True)
        with app.app_context():
            made, position = registration.register_with_position(
                event, db.session.get(User, resident), needs=given["needs"], companions=given["companions"],
                note=given["note"], needs_note=given["needs_note"], consent=True, fast=fast)
            made_id = made.id
            assert not (db.session.new or db.session.dirty)
        with app.app_context():
            results.append((position, written(made_id)))
    assert results[0] == results[1]
    position, (row, needs, message) = results[0]
    assert needs == sorted(given["needs"]) and message["body"] and row["note"] == given["note"].strip()
    assert (position is not None) == bool(given.get("full"))
