"""Demo data: the 2021 plan's measurable targets for the plan year, a hand-entered one,
attendance at past events, and running it twice adds nothing."""
from datetime import date

import sqlalchemy as sa

from activity_hub.dashboard.models import PlanTarget
from activity_hub.dashboard.targets import target_progress
from activity_hub.demo_data import seed_demo
from activity_hub.events.models import Registration
from activity_hub.extensions import db


def counts():
    return (db.session.scalar(sa.select(sa.func.count(PlanTarget.id))),
            db.session.scalar(sa.select(sa.func.count(Registration.id))))


def test_demo_loads_the_plan_targets_and_a_year_in_progress_once(app_ctx):
    today = date(2021, 7, 15)
    seed_demo(db.session, today=today)
    db.session.commit()
    first = counts()
    seed_demo(db.session, today=today)
    db.session.commit()

    assert counts() == first
    _figures, progress = target_progress(db.session, 2021)
    by_key = {p.target.key: p for p in progress}
    assert {"culture_sports_events", "legal_sessions", "volunteer_teams_trained", "assistance_projects",
            "person_times", "job_placements"} <= set(by_key)
    assert by_key["culture_sports_events"].target.target == 15
    assert by_key["legal_sessions"].target.target == 50
    assert by_key["volunteer_teams_trained"].target.target == 30
    assert by_key["assistance_projects"].target.target == 5
    assert by_key["job_placements"].target.is_manual and by_key["job_placements"].actual == 420
    # Half the year has gone: events have been held and people have come, but not everything is done.
    assert 0 < by_key["legal_sessions"].actual < 50
    assert 0 < by_key["culture_sports_events"].actual < 15
    assert by_key["person_times"].actual > 100
