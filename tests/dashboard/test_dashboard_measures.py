"""The plan's measures on crafted data: what counts as held, person-times, needs met,
volunteer measures, month and year boundaries in Beijing time, progress of targets."""
from datetime import date

from activity_hub.dashboard.targets import MEASURES, collect_year_figures, target_progress
from activity_hub.extensions import db

from .conftest import at


def measure(figures, key):
    return MEASURES[key].read(figures)


def test_an_event_counts_as_held_only_when_completed_with_someone_checked_in(plan):
    plan.held(at(2021, 3, 10))                                   # held
    plan.held(at(2021, 4, 10), attendees=3)                      # held
    plan.event(at(2021, 5, 10))                                  # completed, nobody came
    no_show = plan.event(at(2021, 5, 11))
    plan.attend(no_show, checked_in=False)                       # registered, not checked in
    plan.held(at(2021, 6, 10), status="published")               # checked in but not marked completed
    plan.held(at(2021, 6, 11), status="cancelled")
    cancelled_registration = plan.event(at(2021, 7, 10))
    plan.attend(cancelled_registration, status="cancelled")      # a cancelled registration does not count
    plan.held(at(2020, 12, 10))                                  # held, but the year before
    db.session.commit()

    figures = collect_year_figures(db.session, 2021)

    assert measure(figures, "events_held") == 2
    assert collect_year_figures(db.session, 2020).events_held() == 1


def test_categories_are_counted_by_their_own_measures(plan):
    plan.held(category="culture")
    plan.held(category="sports")
    for _ in range(3):
        plan.held(category="legal")
    plan.held(category="training")
    db.session.commit()

    figures = collect_year_figures(db.session, 2021)

    assert measure(figures, "culture_sports_events_held") == 2
    assert measure(figures, "legal_sessions_held") == 3
    assert measure(figures, "events_held") == 6


def test_person_times_count_checked_in_residents_and_their_companions(plan):
    event = plan.event()
    plan.attend(event, companions=1)
    plan.attend(event, companions=0)
    plan.attend(event, checked_in=False, companions=2)   # did not come: neither they nor companions count
    other = plan.event(at(2021, 8, 1), district_code="hanyang")
    plan.attend(other, companions=2)
    plan.attend(plan.event(at(2021, 8, 2), status="published"), companions=1)  # not held
    db.session.commit()

    figures = collect_year_figures(db.session, 2021)

    assert measure(figures, "person_times") == 6          # (1+1) + 1 + (1+2)
    assert figures.attendees() == 3 and figures.companions() == 3
    by_district = figures.by_district(lambda g: g.person_times)
    assert (by_district[event.district_id], by_district[other.district_id]) == (3, 3)


def test_months_and_years_follow_beijing_time(plan):
    plan.held(at(2021, 1, 1, 0, 30))     # 2020-12-31 16:30 UTC: still 2021 and January in Wuhan
    plan.held(at(2021, 1, 31, 23, 30))   # 15:30 UTC on the 31st: January
    plan.held(at(2021, 2, 1, 0, 30))     # 2021-01-31 16:30 UTC: February
    plan.held(at(2021, 12, 31, 23, 30))  # December
    plan.held(at(2022, 1, 1, 0, 10))     # next year
    db.session.commit()

    figures = collect_year_figures(db.session, 2021)
    months = figures.by_month(lambda g: g.events)

    assert months[1] == 2 and months[2] == 1 and months[12] == 1
    assert sum(months.values()) == 4


def test_needs_are_met_by_provisions_or_an_accepted_volunteer_with_the_skill(plan):
    event = plan.event(provisions=["sign_language"])
    plan.attend(event, needs=["sign_language"])                    # met by the provision
    plan.attend(event, needs=["sign_language", "braille"])         # braille not provided
    plan.attend(event, needs=["sighted_guide"])                    # met by a volunteer (below)
    plan.attend(event, needs=["mobility_assist"])                  # volunteer only proposed: not met
    plan.attend(event)                                             # asked for nothing
    plan.attend(event, checked_in=False, needs=["braille"])        # did not come: not counted
    plan.assignment(event, skill="sighted_guide", status="accepted")
    plan.assignment(event, skill="mobility_assist", status="proposed")
    # A sighted guide at another event does not help here.
    other = plan.event()
    plan.attend(other, needs=["sighted_guide"])
    db.session.commit()

    figures = collect_year_figures(db.session, 2021)

    assert figures.needs == {
        "sign_language": (2, 2), "braille": (1, 0), "sighted_guide": (2, 1), "mobility_assist": (1, 0),
    }
    assert figures.registrations_with_needs == 5
    assert measure(figures, "registrations_needs_met") == 2


def test_volunteer_measures(plan):
    wuchang, hanyang, idle = plan.team("wuchang"), plan.team("hanyang"), plan.team("jiangan")
    plan.trained(wuchang, 2021)
    plan.trained(hanyang, 2021)
    plan.trained(idle, 2020)
    plan.project("incubating", incubating_on=date(2021, 5, 1))
    plan.project("launched", incubating_on=date(2021, 2, 1), launched_on=date(2021, 9, 1), district_code=None)
    plan.project("launched", launched_on=date(2021, 6, 1))                       # skipped incubation
    plan.project("launched", incubating_on=date(2020, 11, 1), launched_on=date(2021, 3, 1))  # incubated in 2020
    plan.project("proposed")
    plan.project("closed", proposed_on=date(2021, 1, 5))                         # closed without incubating
    event = plan.held()
    plan.assignment(event, team=wuchang, served_minutes=90)
    plan.assignment(event, team=wuchang, served_minutes=45)
    plan.assignment(event, team=hanyang)                                         # hours not confirmed yet
    plan.assignment(plan.held(at(2020, 6, 1)), team=hanyang, served_minutes=600)  # the year before
    plan.assignment(event, served_minutes=60)                                    # served without a team
    db.session.commit()

    figures = collect_year_figures(db.session, 2021)

    assert measure(figures, "teams_trained") == 2
    assert measure(figures, "projects_incubated") == 3
    assert [(t.team_id, t.volunteers, t.hours) for t in figures.team_hours] == [(wuchang.id, 2, 2.2), (None, 1, 1.0)]
    assert measure(figures, "volunteer_hours") == 3                             # 195 minutes


def test_progress_of_targets(plan):
    for _ in range(3):
        plan.held(category="legal")
    plan.target("legal_sessions", "legal_sessions_held", target=50)
    plan.target("jobs", "manual", target=1000, unit="people", manual_actual=1250)
    plan.target("placements_later", "manual", target=10, unit="people")
    plan.target("other_year", "legal_sessions_held", year=2022)
    db.session.commit()

    _figures, progress = target_progress(db.session, 2021)

    legal, jobs, later = progress
    assert (legal.actual, legal.percent, legal.reached) == (3, 6, False)
    assert (jobs.actual, jobs.percent, jobs.reached, jobs.bar_percent) == (1250, 125, True, 100)
    assert (later.actual, later.percent, later.reached) == (None, None, False)
    assert legal.definition is MEASURES["legal_sessions_held"].definition


def test_a_need_met_several_ways_counts_once(plan):
    # Provided by the event and covered by two accepted volunteers: still one need met.
    event = plan.event(provisions=["sighted_guide"])
    plan.attend(event, needs=["sighted_guide"])
    plan.attend(event, needs=["sighted_guide", "braille"])
    plan.assignment(event, skill="sighted_guide", status="accepted")
    plan.assignment(event, skill="sighted_guide", status="accepted")
    db.session.commit()

    figures = collect_year_figures(db.session, 2021)

    assert figures.needs == {"sighted_guide": (2, 2), "braille": (1, 0)}
    assert figures.registrations_with_needs == 2
    assert measure(figures, "registrations_needs_met") == 1
