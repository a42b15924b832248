"""Which status changes an organizer or a resident can make: cancelled and turned-down registrations
stay so, and every refusal leaves the registration as it was."""
import pytest

from activity_hub.auth.models import User
from activity_hub.events import registration
from activity_hub.events.models import CONFIRMED, PENDING, REG_CANCELLED, REJECTED, WAITLISTED, Registration
from activity_hub.events.registration.transitions import TRANSITIONS
from activity_hub.extensions import db

ACTIONS = {
    "approve": (registration.approve, "not_pending"),
    "reject": (registration.reject, "not_pending"),
    "move_up": (registration.move_up, "not_waitlisted"),
    "cancel": (registration.cancel_registration, "not_active"),
}


@pytest.fixture
def registration_in(app, make_event, residents, sign_up, organizer, move_event):
    """registration_in(status) -> a registration id in that status, made through the operations."""
    def make(status):
        event = make_event(capacity=1, wheelchair_spaces=0, max_companions=0,
                           requires_approval=status in (PENDING, REJECTED))
        first, second = residents(2)
        held, _ = sign_up(event, first)
        if status == WAITLISTED:
            waiting, _ = sign_up(event, second)
            move_event(event, capacity=2)   # a place an organizer may give out of turn
            return waiting
        with app.app_context():
            by = db.session.get(User, organizer)
            if status == REJECTED:
                registration.reject(held, by)
            elif status == REG_CANCELLED:
                registration.cancel_registration(held, by)
        return held

    return make


@pytest.mark.parametrize("status", [CONFIRMED, PENDING, WAITLISTED, REG_CANCELLED, REJECTED])
@pytest.mark.parametrize("action", ACTIONS)
def test_an_organizer_can_change_a_status_only_as_the_rules_allow(app, registration_in, organizer, status, action):
    made = registration_in(status)
    operation, refusal = ACTIONS[action]
    with app.app_context():
        assert db.session.get(Registration, made).status == status
        by = db.session.get(User, organizer)
        if (action, status) in TRANSITIONS:
            operation(made, by)
            expected = TRANSITIONS[(action, status)]
        else:
            with pytest.raises(registration.RegistrationRefused) as refused:
                operation(made, by)
            assert refused.value.code == refusal
            expected = status
    with app.app_context():
        assert db.session.get(Registration, made).status == expected
    if status in (REG_CANCELLED, REJECTED):
        assert expected == status   # final: nothing moves a cancelled or turned-down registration
