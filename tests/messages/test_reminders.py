"""Reminders before an event: who gets which, what they say, when they are due, and never twice."""
import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from activity_hub.extensions import db
from activity_hub.local_time import SHANGHAI
from tests.volunteers.conftest import make_shift  # noqa: F401 (fixture)

# Saturday 18 May 2030, 09:30 to 11:30 in Wuhan.
START = datetime(2030, 5, 18, 9, 30, tzinfo=SHANGHAI)
DAY_BEFORE_RUN = START - timedelta(hours=20)
TWO_HOURS_RUN = START - timedelta(minutes=90)


@pytest.fixture
def event_at(app, make_event, make_venue):
    """event_at(start=START, **make_event fields) -> event id, at a fixed time, in an accessible venue."""

    def make(start=START, venue_id=None, **fields):
        venue_id = venue_id or make_venue(
            name="武昌区残疾人活动中心", features=("step_free", "hearing_loop"),
            accessible_entrance="东门坡道，按门铃有人接", directions="地铁2号线中南路站C出口，向东200米")
        event_id = make_event(title="无障碍电影放映", venue_id=venue_id, contact_name="赵磊",
                              contact_phone="027-87654321", **fields)
        move(app, event_id, start)
        return event_id

    return make


def move(app, event_id, start):
    from activity_hub.events.models import Event

    with app.app_context():
        event = db.session.get(Event, event_id)
        event.starts_at, event.ends_at = start, start + timedelta(hours=2)
        event.registration_opens_at = event.registration_closes_at = None
        db.session.commit()


@pytest.fixture
def registrant(app, make_user):
    """registrant(event_id, needs=(), status="confirmed", **user fields) -> (user id, registration id)."""
    from activity_hub.events.models import Registration

    def make(event_id, needs=(), status="confirmed", **user_fields):
        user_id = make_user(**user_fields)
        with app.app_context():
            registration = Registration(event_id=event_id, user_id=user_id, status=status)
            registration.set_needs(needs)
            db.session.add(registration)
            db.session.commit()
            return user_id, registration.id

    return make


def run(app, now):
    from activity_hub.messages.reminders import queue_due_reminders

    with app.app_context():
        return queue_due_reminders(now)


def reminders(app, kind="event_reminder"):
    """[(user id, subject, body)] of the reminders written, oldest first."""
    from activity_hub.messages.models import OutboxMessage

    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)
                                  .order_by(OutboxMessage.id))
        return [(m.user_id, m.subject, m.body) for m in rows]


def test_the_day_before_reminder_says_when_where_how_to_get_in_what_was_arranged_and_the_check_in_code(
        app, event_at, registrant):
    from activity_hub.events.checkin_tokens import checkin_token
    from activity_hub.events.models import Registration

    event_id = event_at(provisions=("sign_language", "captions"))
    chinese, chinese_registration = registrant(event_id, needs=("wheelchair_space", "sign_language"))
    english, _ = registrant(event_id, needs=("wheelchair_space",), locale="en")

    assert run(app, DAY_BEFORE_RUN) == {"day": 2, "2h": 0, "shift": 0}

    [(_, subject, body)] = [r for r in reminders(app) if r[0] == chinese]
    assert subject == "活动提醒：无障碍电影放映，2030年5月18日星期六 09:30"
    assert "时间：2030年5月18日星期六 09:30 – 11:30" in body
    assert "地点：武昌区残疾人活动中心, 武昌区中山路1号" in body
    assert "无障碍入口：东门坡道，按门铃有人接" in body
    assert "怎么去：地铁2号线中南路站C出口，向东200米" in body
    assert "场地设施：无障碍通道（无台阶）、助听环路" in body
    assert "您报名时提出的需求：轮椅位 / 无障碍通道、手语翻译（国家通用手语）。" in body
    assert "本次活动已安排：手语翻译（国家通用手语）、实时字幕。" in body
    with app.app_context():
        code = checkin_token(db.session.get(Registration, chinese_registration))
    assert f"您的签到码：{code}。" in body
    assert "有问题请联系：赵磊 027-87654321。" in body

    [(_, subject, body)] = [r for r in reminders(app) if r[0] == english]
    assert subject.startswith("Reminder: 无障碍电影放映, Saturday, May 18, 2030 9:30")
    # The labels of the taxonomy follow the message's language, though no request is running.
    assert "You asked for: Wheelchair space / step-free access." in body
    assert "Arranged at this event: Sign-language interpreter (Chinese Sign Language), Live captions." in body
    assert "At the venue: Step-free access, Hearing loop" in body
    assert "Accessible entrance: 东门坡道，按门铃有人接" in body
    assert "Your check-in code:" in body


def test_each_resident_gets_the_reminders_they_chose(app, event_at, registrant):
    event_id = event_at()
    day_only, _ = registrant(event_id)  # the default: the day before only
    two_hours_only, _ = registrant(event_id, remind_day_before=False, remind_two_hours_before=True)
    both, _ = registrant(event_id, remind_two_hours_before=True)
    neither, _ = registrant(event_id, remind_day_before=False)

    run(app, DAY_BEFORE_RUN)
    assert sorted(r[0] for r in reminders(app)) == sorted([day_only, both])
    run(app, TWO_HOURS_RUN)
    assert sorted(r[0] for r in reminders(app)) == sorted([day_only, both, two_hours_only, both])
    assert neither not in [r[0] for r in reminders(app)]


def test_only_confirmed_residents_of_published_events_are_reminded(app, event_at, registrant, make_user):
    published = event_at()
    confirmed, _ = registrant(published)
    for status in ("pending", "waitlisted", "cancelled", "rejected"):
        registrant(published, status=status)
    registrant(published, is_active_account=False)
    registrant(event_at(status="cancelled"))
    registrant(event_at(status="draft"))

    run(app, DAY_BEFORE_RUN)
    assert [r[0] for r in reminders(app)] == [confirmed]


@pytest.mark.parametrize("starts_in, due", [
    (timedelta(hours=24), True),                        # the window opens: exactly 24 h before
    (timedelta(hours=24, minutes=1), False),            # not yet
    (timedelta(hours=12, minutes=1), True),             # late, but still the day before
    (timedelta(hours=12), False),                       # half the lead has passed: too late
    (timedelta(hours=1), False),                        # registered an hour before: no "day before" reminder
])
def test_the_day_before_window(app, event_at, registrant, starts_in, due):
    now = datetime(2030, 5, 1, 8, 0, tzinfo=SHANGHAI)
    user_id, _ = registrant(event_at(start=now + starts_in))
    run(app, now)
    assert [r[0] for r in reminders(app)] == ([user_id] if due else [])


@pytest.mark.parametrize("starts_in, due", [
    (timedelta(hours=2), True),
    (timedelta(hours=2, minutes=1), False),
    (timedelta(hours=1, minutes=1), True),
    (timedelta(hours=1), False),
    (timedelta(minutes=10), False),
])
def test_the_two_hours_window(app, event_at, registrant, starts_in, due):
    now = datetime(2030, 5, 1, 8, 0, tzinfo=SHANGHAI)
    user_id, _ = registrant(event_at(start=now + starts_in), remind_day_before=False, remind_two_hours_before=True)
    run(app, now)
    assert [r[0] for r in reminders(app)] == ([user_id] if due else [])


def test_run_every_ten_minutes_each_reminder_is_written_once_and_a_missed_one_is_never_sent_late(
        app, event_at, registrant):
    on_time = event_at()
    missed = event_at(start=START + timedelta(hours=6))  # its day-before window passes while beat is down
    early, _ = registrant(on_time, remind_two_hours_before=True)
    late, _ = registrant(missed)

    def beat(now, until):
        while now < until:
            run(app, now)
            now += timedelta(minutes=10)

    beat(START - timedelta(hours=26), START - timedelta(hours=23))
    run(app, START - timedelta(hours=23))  # twice at the same moment
    run(app, START - timedelta(hours=23))
    # Beat is down from 23 h to 2 h before: the missed event's window (18 h to 6 h before it) closes.
    beat(START - timedelta(hours=2), START + timedelta(hours=6))

    assert [r[0] for r in reminders(app)] == [early, early]  # the day before, then two hours before


def test_a_moved_event_is_reminded_of_again_at_its_new_time(app, event_at, registrant):
    event_id = event_at()
    user_id, _ = registrant(event_id)
    run(app, DAY_BEFORE_RUN)
    move(app, event_id, START + timedelta(days=7))
    run(app, DAY_BEFORE_RUN)
    run(app, DAY_BEFORE_RUN + timedelta(days=7))
    bodies = [r[2] for r in reminders(app)]
    assert len(bodies) == 2 and "2030年5月18日" in bodies[0] and "2030年5月25日" in bodies[1]


def test_the_database_refuses_a_second_reminder_with_the_same_key(app, event_at, registrant):
    from activity_hub.auth.models import User
    from activity_hub.messages.models import OutboxMessage
    from activity_hub.messages.outbox import queue_message

    event_id = event_at()
    user_id, _ = registrant(event_id)
    run(app, DAY_BEFORE_RUN)
    with app.app_context():
        [key] = db.session.scalars(sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "event_reminder"))
        queue_message(db.session.get(User, user_id), "event_reminder", lambda: ("again", "again"), dedupe_key=key)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
    assert len(reminders(app)) == 1


def test_a_worker_that_read_before_another_wrote_skips_what_was_written_meanwhile(app, event_at, registrant):
    """The key check before rendering can be overtaken by another worker: the INSERT skips those rows."""
    from activity_hub.auth.models import User
    from activity_hub.messages.outbox import insert_unless_written, message_values

    event_id = event_at()
    first, _ = registrant(event_id)
    second, _ = registrant(event_id)
    run(app, DAY_BEFORE_RUN)  # the other worker
    with app.app_context():
        from activity_hub.messages.models import OutboxMessage
        taken = db.session.scalar(sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.user_id == first))
        rows = [message_values(db.session.get(User, first), "event_reminder", lambda: ("s", "b"), dedupe_key=taken),
                message_values(db.session.get(User, second), "event_reminder", lambda: ("s", "b"),
                               dedupe_key="reminder:day:new")]
        written = insert_unless_written(rows)
        db.session.commit()
    assert len(written) == 1
    assert sorted(r[0] for r in reminders(app)) == sorted([first, second, second])


def test_two_workers_at_the_same_moment_write_each_reminder_once(app, event_at, registrant, monkeypatch):
    """Both read that nothing was written and render; then both insert (PostgreSQL, where transactions
    interleave; SQLite runs one writing transaction at a time, which the test above stands in for)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite serialises whole transactions (BEGIN IMMEDIATE): no interleaving to test")
    from activity_hub.messages import reminders as module

    event_id = event_at()
    residents = [registrant(event_id)[0] for _ in range(5)]
    both_rendered = threading.Barrier(2, timeout=30)
    insert = module.insert_unless_written

    def insert_after_the_other_has_rendered(rows):
        if rows:
            both_rendered.wait()
        return insert(rows)

    monkeypatch.setattr(module, "insert_unless_written", insert_after_the_other_has_rendered)
    results, errors = [], []

    def worker():
        try:
            results.append(run(app, DAY_BEFORE_RUN))
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r[0] for r in reminders(app)) == sorted(residents)
    assert sorted(result["day"] for result in results) == [0, 5]


def test_volunteers_with_an_accepted_shift_are_reminded_the_day_before(app, event_at, make_user, make_shift):
    event_id = event_at()
    accepted = make_user(roles=("volunteer",), locale="en")
    proposed = make_user(roles=("volunteer",))
    declined = make_user(roles=("volunteer",))
    opted_out = make_user(roles=("volunteer",), remind_day_before=False)
    make_shift(event_id, accepted, status="accepted", role="手语翻译")
    make_shift(event_id, proposed, status="proposed")
    make_shift(event_id, declined, status="declined")
    make_shift(event_id, opted_out, status="accepted")

    # The shift starts half an hour before the event: its day-before window opens at START - 24.5 h.
    assert run(app, START - timedelta(hours=24, minutes=31))["shift"] == 0
    assert run(app, START - timedelta(hours=24, minutes=30))["shift"] == 1
    assert run(app, START - timedelta(hours=20))["shift"] == 0
    [(user_id, subject, body)] = reminders(app, "assignment_reminder")
    assert user_id == accepted
    assert subject.startswith("Reminder: your shift at “无障碍电影放映”, Saturday, May 18, 2030 9:00")
    assert "as 手语翻译" in body and "Accessible entrance: 东门坡道，按门铃有人接" in body
    assert "Your shift: Saturday, May 18, 2030 9:00" in body


def test_the_number_of_statements_does_not_grow_with_the_people_reminded(app, event_at, registrant, make_user,
                                                                          make_shift):
    from tests.conftest import recorded_statements

    def statements_to_remind(people):
        event_id = event_at(provisions=("captions",))
        for n in range(people):
            registrant(event_id, needs=("wheelchair_space", "captions"), remind_two_hours_before=True,
                       locale="en" if n % 2 else "zh_CN")
            make_shift(event_id, make_user(roles=("volunteer",)), status="accepted")
        with recorded_statements(app) as statements:
            written = run(app, START - timedelta(hours=20))
        assert written == {"day": people, "2h": 0, "shift": people}
        return len(statements)

    few = statements_to_remind(2)
    db_cleanup(app)
    assert statements_to_remind(6) == few


def db_cleanup(app):
    from activity_hub.messages.models import OutboxMessage
    from activity_hub.volunteers.models import Assignment
    from activity_hub.events.models import Event, Registration, RegistrationNeed

    with app.app_context():
        for table in (OutboxMessage, Assignment, RegistrationNeed, Registration):
            db.session.execute(sa.delete(table))
        db.session.execute(sa.update(Event).values(status="draft"))
        db.session.commit()
