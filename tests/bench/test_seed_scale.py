"""`flask seed-scale` writes consistent data: the same rules as the registration service."""
import sqlalchemy as sa

from activity_hub.auth.models import User
from activity_hub.bench_data import seed_scale
from activity_hub.events.models import (
    CONFIRMED, HOLDING_STATUSES, PENDING, WAITLISTED, Event, Registration, RegistrationNeed,
)
from activity_hub.extensions import db
from activity_hub.volunteers.models import Assignment, TeamMembership


def test_seed_scale_fills_every_table_by_the_rules(app_ctx):
    counts = seed_scale(db.session, users=300, events=8, registrations=1200, log=lambda message: None)

    assert counts["users"] == 300 and counts["events"] == 8 and counts["registrations"] == 1200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1200
    # One password hash for every generated account.
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(User.password_hash)))) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegistrationNeed)) > 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TeamMembership)) > 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)) > 0

    for event in db.session.scalars(sa.select(Event)):
        rows = list(db.session.scalars(
            sa.select(Registration).where(Registration.event_id == event.id)
            .order_by(Registration.created_at, Registration.id)))
        holding = [r for r in rows if r.status in HOLDING_STATUSES]
        assert sum(r.places for r in holding) <= event.capacity
        assert sum(r.wheelchair_space for r in holding) <= event.wheelchair_spaces
        active = [r.user_id for r in rows if r.is_active]
        assert len(active) == len(set(active))
        for waiting in (r for r in rows if r.status == WAITLISTED):
            # Whoever waits did not fit when they arrived.
            before = [r for r in holding if (r.created_at, r.id) < (waiting.created_at, waiting.id)]
            assert (sum(r.places for r in before) + waiting.places > event.capacity
                    or waiting.wheelchair_space and sum(r.wheelchair_space for r in before) >= event.wheelchair_spaces)
    statuses = set(db.session.scalars(sa.select(Registration.status).distinct()))
    assert {CONFIRMED, WAITLISTED} <= statuses | {PENDING}


def test_seed_scale_refuses_a_database_it_already_filled(app_ctx):
    import click
    import pytest

    seed_scale(db.session, users=20, events=3, registrations=10, log=lambda message: None)
    with pytest.raises(click.ClickException):
        seed_scale(db.session, users=20, events=3, registrations=10, log=lambda message: None)


def test_the_command_is_registered(runner):
    result = runner.invoke(args=["seed-scale", "--help"])
    assert result.exit_code == 0 and "--registrations" in result.output
