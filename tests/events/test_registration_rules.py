"""The registration rules as a resident and an organizer meet them: places, waitlist, refusals, messages."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from activity_hub.events import registration
from activity_hub.events.models import CONFIRMED, PENDING, REG_CANCELLED, REJECTED, WAITLISTED, Registration
from activity_hub.events.registration import RegistrationRefused
from activity_hub.extensions import db

from tests.conftest import recorded_statements


def user(user_id):
    from activity_hub.auth.models import User

    return db.session.get(User, user_id)


def refusal(app, event_id, user_id, **kwargs):
    kwargs.setdefault("consent", True)
    with app.app_context():
        with pytest.raises(RegistrationRefused) as caught:
            registration.register(event_id, user(user_id), **kwargs)
        return caught.value


def places(app, event_id):
    with app.app_context():
        return registration.availability([event_id])[event_id]


# --- places --------------------------------------------------------------------


def test_companions_take_places_and_a_smaller_newcomer_may_use_what_a_big_entry_cannot(
        app, make_event, residents, sign_up):
    event = make_event(capacity=5, max_companions=2)
    a, b, c = residents(3)
    assert sign_up(event, a, companions=2)[1] == CONFIRMED     # 3 places
    assert sign_up(event, b, companions=2)[1] == WAITLISTED    # 3 more do not fit in 2
    assert sign_up(event, c, companions=1)[1] == CONFIRMED     # 2 fit: the waiting entry could not use them
    left = places(app, event)
    assert (left.places_taken, left.places_left, left.waitlist_length) == (5, 0, 1)


def test_a_wheelchair_need_takes_one_of_the_wheelchair_spaces(app, make_event, residents, sign_up):
    event = make_event(capacity=10, wheelchair_spaces=1)
    a, b, c = residents(3)
    assert sign_up(event, a, needs=["wheelchair_space", "braille"])[1] == CONFIRMED
    assert sign_up(event, b, needs=["wheelchair_space"])[1] == WAITLISTED
    assert sign_up(event, c, needs=["braille"])[1] == CONFIRMED
    left = places(app, event)
    assert (left.places_taken, left.wheelchair_taken, left.wheelchair_left, left.places_left) == (2, 1, 0, 8)


def test_registrations_waiting_for_approval_hold_their_places(app, make_event, residents, sign_up, organizer,
                                                              statuses):
    event = make_event(capacity=2, requires_approval=True, max_companions=0)
    a, b, c = residents(3)
    first = sign_up(event, a)
    second = sign_up(event, b)
    third = sign_up(event, c)
    assert [first[1], second[1], third[1]] == [PENDING, PENDING, WAITLISTED]
    assert places(app, event).places_left == 0
    with app.app_context():
        promoted = registration.reject(first[0], user(organizer))
        assert [r.id for r in promoted] == [third[0]]
        registration.approve(second[0], user(organizer))
    # On an event that needs approval, a place that becomes free is held for approval again.
    assert statuses(event) == {first[0]: REJECTED, second[0]: CONFIRMED, third[0]: PENDING}


def test_the_waitlist_is_served_in_arrival_order(app, make_event, residents, sign_up, statuses):
    event = make_event(capacity=1, wheelchair_spaces=0, max_companions=0)
    ids = [sign_up(event, resident)[0] for resident in residents(4)]
    with app.app_context():
        waiting = db.session.scalars(sa.select(Registration).where(Registration.id.in_(ids[1:])))
        assert registration.waitlist_positions(list(waiting)) == {ids[1]: 1, ids[2]: 2, ids[3]: 3}
        promoted = registration.cancel_registration(ids[0], user_of(ids[0]))
        assert [r.id for r in promoted] == [ids[1]]
        assert registration.waitlist_position(db.session.get(Registration, ids[3])) == 2
    assert statuses(event)[ids[1]] == CONFIRMED


def user_of(registration_id):
    return db.session.get(Registration, registration_id).user


def test_an_entry_is_promoted_whole_and_a_big_one_keeps_its_place_while_smaller_ones_go(
        app, make_event, residents, sign_up, statuses, organizer):
    event = make_event(capacity=4, max_companions=2)
    holders = [sign_up(event, r)[0] for r in residents(4)]
    family, single_1, single_2 = residents(3)
    family = sign_up(event, family, companions=2)[0]           # needs 3 places together
    single_1 = sign_up(event, single_1)[0]
    single_2 = sign_up(event, single_2)[0]
    assert {statuses(event)[i] for i in (family, single_1, single_2)} == {WAITLISTED}

    with app.app_context():
        promoted = registration.cancel_registration(holders[0], user_of(holders[0]))
        assert [r.id for r in promoted] == [single_1]          # 1 free: the family does not fit, keeps its place
        assert registration.waitlist_position(db.session.get(Registration, family)) == 1
        promoted = registration.cancel_registration(holders[1], user_of(holders[1]))
        assert [r.id for r in promoted] == [single_2]
        assert registration.set_capacity(event, capacity=6, by_user=user(organizer)) == []  # 2 free, not 3
        promoted = registration.set_capacity(event, capacity=7, by_user=user(organizer))
        assert [r.id for r in promoted] == [family]
    left = places(app, event)
    assert (left.places_taken, left.places_left, left.waitlist_length) == (7, 0, 0)
    assert statuses(event)[family] == CONFIRMED


def test_capacity_cannot_go_below_the_places_taken(app, make_event, residents, sign_up, organizer):
    event = make_event(capacity=4, wheelchair_spaces=2, max_companions=2)
    a, b = residents(2)
    sign_up(event, a, companions=2, needs=["wheelchair_space"])
    sign_up(event, b, needs=["wheelchair_space"])
    with app.app_context():
        with pytest.raises(RegistrationRefused) as caught:
            registration.set_capacity(event, capacity=3, by_user=user(organizer))
        assert caught.value.code == "capacity_below_taken" and "4" in caught.value.message
        with pytest.raises(RegistrationRefused) as caught:
            registration.set_capacity(event, wheelchair_spaces=1, by_user=user(organizer))
        assert caught.value.code == "capacity_below_taken" and caught.value.field == "wheelchair_spaces"
        with pytest.raises(RegistrationRefused) as caught:
            registration.set_capacity(event, capacity=-1, by_user=user(organizer))
        assert caught.value.code == "invalid_capacity"
        assert registration.set_capacity(event, capacity=4, by_user=user(organizer)) == []
    assert places(app, event).places_taken == 4


def test_an_organizer_can_move_up_one_entry_out_of_turn_only_if_it_fits(
        app, make_event, residents, sign_up, organizer, move_event, statuses):
    event = make_event(capacity=1, wheelchair_spaces=0, max_companions=2)
    sign_up(event, residents(1)[0])
    big = sign_up(event, residents(1)[0], companions=2)[0]
    small = sign_up(event, residents(1)[0])[0]
    with app.app_context():
        with pytest.raises(RegistrationRefused) as caught:
            registration.move_up(small, user(organizer))
        assert caught.value.code == "does_not_fit"
    move_event(event, capacity=2)   # e.g. a seat found by hand, before the waitlist is served
    with app.app_context():
        with pytest.raises(RegistrationRefused) as caught:
            registration.move_up(big, user(organizer))
        assert caught.value.code == "does_not_fit"
        registration.move_up(small, user(organizer))
    assert statuses(event)[small] == CONFIRMED and statuses(event)[big] == WAITLISTED


# --- refusals --------------------------------------------------------------------


def test_registration_is_refused_outside_the_window(app, make_event, residents, move_event):
    now = datetime.now(timezone.utc)
    later, over = make_event(), make_event()
    move_event(later, registration_opens_at=now + timedelta(days=2))
    move_event(over, registration_closes_at=now - timedelta(minutes=1))
    resident = residents(1)[0]
    assert refusal(app, later, resident).code == "not_open_yet"
    assert refusal(app, over, resident).code == "closed"


def test_registration_is_refused_for_cancelled_past_and_draft_events(app, make_event, residents, move_event):
    resident = residents(1)[0]
    cancelled = make_event(status="cancelled")
    draft = make_event(status="draft")
    past = make_event()
    now = datetime.now(timezone.utc)
    move_event(past, starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1),
               registration_closes_at=None)
    assert refusal(app, cancelled, resident).code == "event_cancelled"
    assert refusal(app, draft, resident).code == "not_published"
    assert refusal(app, past, resident).code == "event_past"


def test_registering_twice_is_refused_but_registering_again_after_cancelling_is_not(
        app, make_event, residents, sign_up):
    event = make_event()
    resident = residents(1)[0]
    first, _ = sign_up(event, resident)
    assert refusal(app, event, resident).code == "already_registered"
    with app.app_context():
        registration.cancel_registration(first, user(resident))
        with pytest.raises(RegistrationRefused) as caught:
            registration.cancel_registration(first, user(resident))
        assert caught.value.code == "not_active"
    assert sign_up(event, resident)[1] == CONFIRMED


def test_the_database_refuses_a_second_active_registration_even_if_the_check_is_skipped(
        app, make_event, residents, sign_up, monkeypatch):
    event = make_event()
    resident = residents(1)[0]
    sign_up(event, resident)
    monkeypatch.setattr(registration, "active_registration", lambda event_id, user_id: None)
    assert refusal(app, event, resident).code == "already_registered"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1


@pytest.mark.parametrize("companions", [3, -1, "two", 1.5])
def test_companions_outside_what_the_event_allows_are_refused(app, make_event, residents, companions):
    event = make_event(max_companions=2)
    refused = refusal(app, event, residents(1)[0], companions=companions)
    assert refused.code == "too_many_companions" and refused.field == "companions"
    assert "0" in refused.message and "2" in refused.message


def test_every_input_problem_is_reported_at_once_and_nothing_is_written(app, make_event, residents):
    event = make_event(max_companions=1)
    refused = refusal(app, event, residents(1)[0], companions=5, needs=["wheelchair_space", "teleport"],
                      note="x" * 1001, consent=False)
    assert [(code, field) for code, field, _message in refused.errors] == [
        ("too_many_companions", "companions"), ("unknown_need", "needs"), ("invalid_note", "note"),
        ("consent_required", "consent"),
    ]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_only_organizers_of_the_district_manage_registrations(app, make_event, residents, sign_up, make_user):
    event = make_event(requires_approval=True)
    resident, other_resident = residents(2)
    elsewhere = make_user(roles=("organizer",), role_district_code="jiangan")
    city_wide = make_user(roles=("organizer",))
    reg_id, _ = sign_up(event, resident)
    with app.app_context():
        for who in (other_resident, elsewhere):
            for action in (registration.approve, registration.reject, registration.cancel_registration,
                           registration.check_in):
                with pytest.raises(RegistrationRefused) as caught:
                    action(reg_id, user(who))
                assert caught.value.code == "not_allowed"
        with pytest.raises(RegistrationRefused) as caught:
            registration.register(event, user(other_resident), consent=True, registered_by=user(elsewhere))
        assert caught.value.code == "not_allowed"
        assert registration.approve(reg_id, user(city_wide)).status == CONFIRMED


def test_an_organizer_can_register_a_resident_on_their_behalf(app, make_event, residents, organizer):
    event = make_event()
    resident = residents(1)[0]
    with app.app_context():
        made = registration.register(event, user(resident), needs=["sign_language"], consent=True,
                                     registered_by=user(organizer))
        assert (made.status, made.registered_by_id, made.needs) == (CONFIRMED, organizer, ["sign_language"])


def test_the_registration_returned_is_what_the_database_holds(app, make_event, residents):
    """The new registration is written with plain INSERTs and handed back as a loaded object: it
    says what a fresh read says, its needs included, and the session has nothing left to write
    (a later change to it is saved as usual)."""
    from activity_hub.messages.models import OutboxMessage

    event = make_event(capacity=3, wheelchair_spaces=1, max_companions=2)
    first, second = residents(2)
    with app.app_context():
        made = registration.register(event, user(first), needs=["wheelchair_space", "braille"], companions=1,
                                     note=" by the door ", consent=True)
        waiting = registration.register(event, user(second), needs=["sign_language"], companions=2,
                                        consent=True)
        assert not (db.session.new or db.session.dirty)
        assert db.session.get(Registration, made.id) is made
        answers = [(r.id, r.event_id, r.user_id, r.status, r.companions, r.wheelchair_space, r.note, r.needs,
                    r.event.id, r.user.id, r.registered_by) for r in (made, waiting)]
        waiting.note = "changed"
        db.session.commit()
    with app.app_context():
        fresh = [db.session.get(Registration, answer[0]) for answer in answers]
        assert [(r.id, r.event_id, r.user_id, r.status, r.companions, r.wheelchair_space, r.note, r.needs,
                 r.event.id, r.user.id, r.registered_by) for r in fresh] == [
            answers[0], answers[1][:6] + ("changed",) + answers[1][7:]]
        assert answers[0][3:7] == (CONFIRMED, 1, True, "by the door")
        assert sorted(answers[0][7]) == ["braille", "wheelchair_space"] and answers[1][7] == ["sign_language"]
        assert answers[1][3] == WAITLISTED
        kinds = db.session.scalars(sa.select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
        assert kinds == ["registration_confirmed", "registration_waitlisted"]


# --- check-in ------------------------------------------------------------------------


def test_check_in_codes_are_short_signed_and_forgiving_to_type(app, make_event, residents, sign_up, organizer):
    event = make_event()
    reg_id, _ = sign_up(event, residents(1)[0])
    with app.app_context():
        made = db.session.get(Registration, reg_id)
        token = registration.checkin_token(made)
        assert len(token) <= 16
        assert registration.registration_from_token(token).id == reg_id
        typed = token.lower().replace("-", " ").replace("0", "o")
        assert registration.registration_from_token(typed).id == reg_id
        forged = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert registration.registration_from_token(forged) is None
        assert registration.registration_from_token("") is None
        assert registration.registration_from_token("not a code at all!") is None
        assert registration.check_in(reg_id, user(organizer)).checked_in_at is not None
        again = registration.check_in(reg_id, user(organizer))
        assert again.checked_in_at is not None


def test_check_in_codes_already_given_out_stay_valid(app):
    """A code is the id and an itsdangerous HMAC (salt "checkin", SHA-256) of it: codes sent in messages
    and printed on paper must keep working however the signature is computed, and follow SECRET_KEY."""
    import hashlib
    from types import SimpleNamespace

    from itsdangerous import Signer
    from itsdangerous.encoding import base64_decode

    from activity_hub.events.registration import checkin as checkin_tokens

    def expected(secret, registration_id):
        id_part = checkin_tokens._base32(registration_id)
        signer = Signer(secret, salt="checkin", digest_method=hashlib.sha256)
        raw = base64_decode(signer.get_signature(id_part.encode()))
        signature = checkin_tokens._base32(int.from_bytes(raw[:8], "big")).rjust(10, "0")[-10:]
        return f"{id_part}-{signature[:5]}-{signature[5:]}"

    for secret in ("first secret", "second secret"):
        app.config["SECRET_KEY"] = secret
        with app.app_context():
            for registration_id in (1, 31, 32, 12345, 2**31 - 1):
                token = registration.checkin_token(SimpleNamespace(id=registration_id))
                assert token == expected(secret, registration_id)
                assert checkin_tokens.registration_id_from_token(token) == registration_id


def test_only_confirmed_registrations_check_in_and_no_shows_are_marked_after_the_start(
        app, make_event, residents, sign_up, organizer, move_event):
    event = make_event(capacity=2, max_companions=0)
    came, stayed_away, waiting = (sign_up(event, r)[0] for r in residents(3))
    with app.app_context():
        with pytest.raises(RegistrationRefused) as caught:
            registration.check_in(waiting, user(organizer))
        assert caught.value.code == "not_confirmed"
        with pytest.raises(RegistrationRefused) as caught:
            registration.mark_no_shows(event, user(organizer))
        assert caught.value.code == "event_not_started"
        registration.check_in(came, user(organizer))
    now = datetime.now(timezone.utc)
    move_event(event, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1),
               registration_closes_at=now - timedelta(hours=2))
    with app.app_context():
        marked = registration.mark_no_shows(event, user(organizer))
        assert [r.id for r in marked] == [stayed_away]
        assert db.session.get(Registration, came).no_show is False


# --- messages ------------------------------------------------------------------------


def test_each_step_queues_a_message_in_the_residents_language(app, make_event, make_user, sign_up, outbox,
                                                              organizer):
    event = make_event(capacity=1, wheelchair_spaces=0, max_companions=1, title="手语诗歌音乐会", contact_phone="027-88886666")
    zh = make_user(locale="zh_CN")
    en = make_user(login="reader@example.com", locale="en")
    zh_reg, _ = sign_up(event, zh, companions=1)   # 2 places do not fit in 1: waits
    en_reg, _ = sign_up(event, en)
    assert outbox(zh)[0][0] == "registration_waitlisted"
    kind, subject, body, channel = outbox(zh)[0]
    assert "候补" in subject and "手语诗歌音乐会" in subject and "1" in body and channel == "sms"
    kind, subject, body, channel = outbox(en)[0]
    assert kind == "registration_confirmed" and channel == "email"
    assert subject == "Registration confirmed: 手语诗歌音乐会"
    assert "check-in code" in body and "027-88886666" in body
    with app.app_context():
        token = registration.checkin_token(db.session.get(Registration, en_reg))
        assert token in body
        registration.set_capacity(event, capacity=3, by_user=user(organizer))
        registration.cancel_registration(en_reg, user(en))
        registration.cancel_registration(zh_reg, user(organizer))
    assert [m[0] for m in outbox(zh)] == ["registration_waitlisted", "registration_promoted", "registration_cancelled"]
    assert "名额" in outbox(zh)[1][1] and "签到码" in outbox(zh)[1][2] and "组织者" in outbox(zh)[2][2]
    assert [m[0] for m in outbox(en)] == ["registration_confirmed", "registration_cancelled"]
    assert outbox(en)[1][1] == "Registration cancelled: 手语诗歌音乐会"


def test_approval_and_rejection_are_told_to_the_resident(app, make_event, make_user, sign_up, outbox, organizer):
    event = make_event(requires_approval=True)
    yes = make_user(login="yes@example.com", locale="en")
    no = make_user(locale="zh_CN")
    yes_reg, status = sign_up(event, yes)
    no_reg, _ = sign_up(event, no)
    assert status == PENDING
    with app.app_context():
        registration.approve(yes_reg, user(organizer))
        registration.reject(no_reg, user(organizer))
    assert [m[0] for m in outbox(yes)] == ["registration_pending", "registration_approved"]
    assert outbox(yes)[1][1].startswith("Registration approved")
    assert [m[0] for m in outbox(no)] == ["registration_pending", "registration_rejected"]
    assert "未" in outbox(no)[1][1]


def test_cancelling_someone_elses_registration_is_refused(app, make_event, residents, sign_up, statuses):
    event = make_event()
    owner, stranger = residents(2)
    reg_id, _ = sign_up(event, owner)
    with app.app_context():
        with pytest.raises(RegistrationRefused) as caught:
            registration.cancel_registration(reg_id, user(stranger))
        assert caught.value.code == "not_allowed"
    assert statuses(event)[reg_id] == CONFIRMED
    assert REG_CANCELLED not in statuses(event).values()


def test_places_freed_by_hand_are_given_out_by_promote_from_waitlist(app, make_event, residents, sign_up,
                                                                    move_event, statuses):
    event = make_event(capacity=1, wheelchair_spaces=0, max_companions=0)
    ids = [sign_up(event, person)[0] for person in residents(4)]
    move_event(event, capacity=3)
    with app.app_context():
        promoted = registration.promote_from_waitlist(event)
        assert [r.id for r in promoted] == ids[1:3]
    assert [statuses(event)[i] for i in ids] == [CONFIRMED, CONFIRMED, CONFIRMED, WAITLISTED]
    move_event(event, capacity=4, status="cancelled")
    with app.app_context():
        assert registration.promote_from_waitlist(event) == []   # nobody is promoted into a cancelled event


def test_availability_of_many_events_is_one_query(app, make_event, residents, sign_up):
    events = [make_event(capacity=2, wheelchair_spaces=1, max_companions=1) for _ in range(5)]
    people = residents(3)
    for event in events[:3]:
        sign_up(event, people[0], companions=1, needs=["wheelchair_space"])
        sign_up(event, people[1])
    with app.app_context(), recorded_statements(app) as statements:
        places = registration.availability(events)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    full, empty = places[events[0]], places[events[4]]
    assert (full.places_taken, full.wheelchair_taken, full.waitlist_length, full.places_left) == (2, 1, 1, 0)
    assert (empty.places_taken, empty.places_left, empty.wheelchair_left) == (0, 2, 1)
