"""`flask seed-scale`: fill a database with data the size of a city, for the benchmark (bench/).

Bulk inserts only (COPY on PostgreSQL): one password hash for every generated account,
ids chosen here, sequences moved on afterwards, statistics refreshed at the end. Meant for
an empty (migrated) database: it refuses to run twice on the same one.
"""
import random
import time

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from ..extensions import db


def seed_scale(session, users=5000, events=200, registrations=10000, seed=2026, now=None, log=print):
    """Generate and write everything; returns a dict of counts and the seconds taken."""
    from ..auth.accounts import hash_password
    from ..auth.models import RoleGrant, User
    from ..dashboard.demo import _seed_targets
    from ..db_types import utcnow
    from ..districts import ensure_districts
    from ..events.models import Event, Registration, Venue
    from ..volunteers.models import (
        AssistanceProject, Assignment, Qualification, TeamMembership, TeamTrainingCompletion, VolunteerTeam,
    )
    from . import events as event_data, people
    from .bulk import reset_sequences

    started = time.perf_counter()
    rng = random.Random(seed)
    now = now or utcnow()
    if session.scalar(sa.select(User.id).where(User.phone == people.phone_of(0))) is not None:
        raise click.ClickException("this database already holds generated data: use a fresh one")
    district_ids = [d.id for d in ensure_districts(session)]
    password_hash = hash_password(people.PASSWORD)  # one hash for every generated account
    organizer = people.insert_organizer(session, password_hash, now)

    def step(message, since=[started]):  # noqa: B006 (a tiny stopwatch)
        log(f"{message} ({time.perf_counter() - since[0]:.1f}s)")
        since[0] = time.perf_counter()

    user_first = people.insert_users(session, rng, users, district_ids, password_hash, now)
    step(f"users: {users}")
    user_ids = range(user_first, user_first + users)
    teams = people.insert_teams(session, rng, list(user_ids), district_ids, organizer.id, now)
    step(f"volunteer teams: {len(teams)}")
    venues, series_ids = event_data.insert_venues_and_series(
        session, rng, district_ids, max(16, min(2000, events // 10)), now)
    generated = event_data.insert_events(session, rng, events, venues, series_ids, organizer.id, now)
    step(f"events: {len(generated)}")
    written = event_data.insert_registrations(session, rng, generated, registrations, user_first, users,
                                              organizer.id, now, log)
    step(f"registrations: {written}")
    assignments = event_data.insert_assignments(session, rng, generated, teams, organizer.id, now)
    _seed_targets(session, now.year)
    reset_sequences(session, [User, RoleGrant, VolunteerTeam, TeamMembership, Qualification,
                              TeamTrainingCompletion, AssistanceProject, Venue, Event, Registration, Assignment])
    session.commit()
    step(f"assignments: {assignments}; committed")
    if session.get_bind().dialect.name == "postgresql":
        with session.get_bind().connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        step("analyzed")
    return {"users": users, "events": len(generated), "registrations": written, "teams": len(teams),
            "assignments": assignments, "seconds": round(time.perf_counter() - started, 1)}


@click.command("seed-scale")
@click.option("--users", default=5000, show_default=True, type=click.IntRange(1, 99_999_999))
@click.option("--events", default=200, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--registrations", default=10000, show_default=True, type=click.IntRange(0, 100_000_000))
@click.option("--seed", default=2026, show_default=True, help="Random seed: the same seed gives the same data.")
@with_appcontext
def seed_scale_command(users, events, registrations, seed):
    """Fill an empty, migrated database with generated residents, events, registrations, teams and shifts."""
    counts = seed_scale(db.session, users=users, events=events, registrations=registrations, seed=seed,
                        log=lambda message: click.echo(message))
    click.echo("seed-scale done: " + ", ".join(f"{key} {value}" for key, value in counts.items()))
    from .people import ORGANIZER_EMAIL, PASSWORD
    click.echo(f"Generated residents log in as 13900000001… and the organizer as {ORGANIZER_EMAIL}, "
               f"password {PASSWORD}.")
