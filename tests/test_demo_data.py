"""`flask seed-demo`: the demo the README promises, loaded once however often it runs."""
import re

import sqlalchemy as sa

from activity_hub.auth.models import ROLES, User
from activity_hub.demo_data import DEMO_PASSWORD
from activity_hub.districts import DISTRICTS, District
from activity_hub.events.models import Event, Venue
from activity_hub.extensions import db


def row_counts(app):
    with app.app_context():
        return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
                for table in db.metadata.sorted_tables}


def seed(runner, *args):
    result = runner.invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_seeding_twice_leaves_the_same_rows_as_once(app, runner):
    seed(runner)
    once = row_counts(app)
    seed(runner)
    assert row_counts(app) == once
    assert once["users"] >= len(ROLES)


def test_demo_has_the_programme_of_the_plan(app, runner):
    seed(runner)
    with app.app_context():
        assert sorted(db.session.scalars(sa.select(District.name_zh))) == sorted(zh for _c, zh, _e in DISTRICTS)
        assert len(DISTRICTS) == 16
        assert 8 <= db.session.scalar(sa.select(sa.func.count(Venue.id))) <= 15
        culture_and_sports = db.session.scalar(
            sa.select(sa.func.count(Event.id)).where(Event.category.in_(("culture", "sports"))))
        assert culture_and_sports >= 15
        legal = list(db.session.scalars(sa.select(Event).where(Event.category == "legal")))
        assert len(legal) >= 50
        assert len({event.district_id for event in legal}) >= 5  # spread over the districts
        months = {(event.starts_at.year, event.starts_at.month) for event in legal}
        assert len(months) >= 10  # and over the year
        titles = " ".join(db.session.scalars(sa.select(Event.title)))
        for name in ("残疾人文化周", "特奥", "健身周", "轮椅舞蹈", "手语", "无障碍电影", "助残日", "国际残疾人日"):
            assert name in titles, name


def test_one_demo_account_per_role_printed_with_its_password(app, runner):
    output = seed(runner)
    assert DEMO_PASSWORD in output
    with app.app_context():
        demo_logins = set(re.findall(r"^\s+(\S+@\S+|1\d{10})\s", output, re.M))
        assert len(demo_logins) >= len(ROLES)
        users = list(db.session.scalars(sa.select(User).where(
            sa.or_(User.phone.in_(demo_logins), User.email.in_(demo_logins)))))
        assert len(users) == len(demo_logins)
        held = set().union(*(user.roles for user in users))
        assert held >= set(ROLES)
    client = app.test_client()
    for login in demo_logins:
        response = client.post("/login", data={"login": login, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login
        client.post("/logout")


def test_if_empty_loads_nothing_into_a_database_with_data(app, runner):
    before = row_counts(app)  # the districts are always there in the tests
    output = seed(runner, "--if-empty")
    assert "not loaded" in output
    assert DEMO_PASSWORD in output  # the accounts are still listed, for `make run`
    assert row_counts(app) == before
