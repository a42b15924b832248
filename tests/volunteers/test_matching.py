"""Matching volunteers to needs: optimal on crafted cases, and the suggestions page end to end."""
import itertools
import random
from datetime import date, timedelta

import sqlalchemy as sa

from activity_hub.events.models import Event
from activity_hub.extensions import db
from activity_hub.volunteers import coverage, matching
from activity_hub.volunteers.matching import Slot, solve
from activity_hub.volunteers.models import Assignment, Qualification

from tests.conftest import login


def greedy(slots, candidates, load):
    """What a hand-written greedy would do: each place in turn takes the least busy volunteer able to fill it."""
    taken, pairs = set(), []
    for row, slot in enumerate(slots):
        able = [v for v in sorted(candidates) if slot.skill in candidates[v] and v not in taken]
        if able:
            best = min(able, key=lambda v: load.get(v, 0))
            taken.add(best)
            pairs.append((row, best))
    return pairs


def objective(pairs, slots, in_district, load):
    """The lexicographic goal: people covered, then volunteers from the district, then least total load."""
    return (sum(slots[row].people for row, _v in pairs), sum(1 for _r, v in pairs if v in in_district),
            -round(sum(load.get(v, 0) for _r, v in pairs), 9))


def brute_force(slots, candidates, in_district, load):
    best = (0, 0, 0)
    volunteers = sorted(candidates)
    options = [None] + volunteers
    for choice in itertools.product(options, repeat=len(slots)):
        chosen = [v for v in choice if v is not None]
        if len(chosen) != len(set(chosen)):
            continue
        if any(v is not None and slots[row].skill not in candidates[v] for row, v in enumerate(choice)):
            continue
        pairs = [(row, v) for row, v in enumerate(choice) if v is not None]
        best = max(best, objective(pairs, slots, in_district, load))
    return best


def test_the_solver_finds_the_optimum_where_greedy_fails():
    slots = [Slot("sign_language", 1), Slot("sighted_guide", 1)]
    # Volunteer 1 can do both and is the least busy; volunteer 2 only signs.
    candidates = {1: {"sign_language", "sighted_guide"}, 2: {"sign_language"}}
    load = {1: 0, 2: 5}
    assert greedy(slots, candidates, load) == [(0, 1)]  # the guide's place stays empty
    assert sorted(solve(slots, candidates, {1, 2}, load)) == [(0, 2), (1, 1)]


def test_bigger_places_are_filled_first():
    slots = [Slot("sighted_guide", 2), Slot("sighted_guide", 1), Slot("sign_language", 3)]
    candidates = {1: {"sighted_guide"}, 2: {"sighted_guide", "sign_language"}}
    pairs = solve(slots, candidates, set(), {})
    assert sorted(pairs) == [(0, 1), (2, 2)]  # 5 people covered; the 1-person place is left


def test_the_event_district_comes_before_a_lighter_load():
    slots = [Slot("sighted_guide", 1)]
    candidates = {1: {"sighted_guide"}, 2: {"sighted_guide"}}
    assert solve(slots, candidates, {2}, {1: 0, 2: 40}) == [(0, 2)]


def test_the_load_is_spread_to_those_who_did_less_this_year():
    slots = [Slot("sighted_guide", 1), Slot("mobility_assist", 1)]
    candidates = {1: {"sighted_guide", "mobility_assist"}, 2: {"sighted_guide"}, 3: {"mobility_assist"}}
    assert sorted(solve(slots, candidates, {1, 2, 3}, {1: 12, 2: 3, 3: 0})) == [(0, 2), (1, 3)]


def test_matches_exhaustive_search_on_random_cases():
    skills = ["sign_language", "sighted_guide", "mobility_assist"]
    rng = random.Random(20260516)
    for _case in range(60):
        slots = [Slot(rng.choice(skills), rng.randint(1, 3)) for _ in range(rng.randint(1, 4))]
        candidates = {v: set(rng.sample(skills, rng.randint(1, 2))) for v in range(1, rng.randint(2, 6))}
        in_district = {v for v in candidates if rng.random() < 0.5}
        load = {v: rng.randint(0, 20) for v in candidates}
        pairs = solve(slots, candidates, in_district, load)
        assert len({v for _r, v in pairs}) == len(pairs)
        assert all(slots[row].skill in candidates[v] for row, v in pairs)
        assert objective(pairs, slots, in_district, load) == brute_force(slots, candidates, in_district, load)


def test_slot_sizes_follow_the_planning_ratios():
    assert coverage.slot_sizes("sign_language", 3) == [3]
    assert coverage.slot_sizes("sighted_guide", 5) == [2, 2, 1]
    assert coverage.slot_sizes("mobility_assist", 7) == [3, 2, 2]
    assert coverage.slot_sizes("mobility_assist", 0) == []


def _staffing_scene(make_user, make_event, make_volunteer, register, make_shift):
    """An event in Wuchang: 3 deaf registrants, 3 blind, 1 wheelchair user; volunteers with traps."""
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    event_id = make_event(title="助残日活动", starts_in=timedelta(days=10))
    other_event = make_event(title="同一时间的另一个活动", starts_in=timedelta(days=10, hours=1))
    for _ in range(3):
        register(event_id, ["sign_language"])
        register(event_id, ["sighted_guide"])
    register(event_id, ["mobility_assist", "wheelchair_space"], name="轮椅居民王某")
    register(event_id, ["sign_language"], status="waitlisted")
    register(event_id, ["sighted_guide"], status="cancelled")
    people = {
        "signer": make_volunteer("sign_language", name="手语甲"),
        "expired_signer": make_volunteer("sign_language", name="手语过期"),
        "unqualified_signer": make_volunteer("sign_language", qualified=False, name="手语无证"),
        "guide_near": make_volunteer("sighted_guide", name="引导本区"),
        "guide_far": make_volunteer("sighted_guide", district_code="hongshan", name="引导外区"),
        "guide_busy": make_volunteer("sighted_guide", name="引导已排班"),
        "mover_declined": make_volunteer("mobility_assist", name="协助已拒绝"),
        "mover_far": make_volunteer("mobility_assist", district_code="jiangan", name="协助江岸"),
    }
    make_shift(other_event, people["guide_busy"], status="accepted")
    make_shift(event_id, people["mover_declined"], status="declined")
    db.session.execute(sa.update(Qualification).where(Qualification.user_id == people["expired_signer"])
                       .values(expires_on=date.today() - timedelta(days=1)))
    db.session.commit()
    return organizer, event_id, people


def test_suggestions_cover_needs_with_valid_free_volunteers(app, app_ctx, make_user, make_event, make_volunteer,
                                                           register, make_shift):
    _organizer, event_id, people = _staffing_scene(make_user, make_event, make_volunteer, register, make_shift)
    event = db.session.get(Event, event_id)
    result = matching.suggest_assignments(db.session, event)
    got = sorted((s.skill, s.people, s.volunteer_id) for s in result.suggestions)
    assert got == sorted([
        ("sign_language", 3, people["signer"]),
        ("sighted_guide", 2, people["guide_near"]),
        ("sighted_guide", 1, people["guide_far"]),
        ("mobility_assist", 1, people["mover_far"]),
    ])
    assert result.unfilled == []


def test_organizer_staffs_an_event_from_the_suggestions_in_a_few_clicks(app, client, make_user, make_event,
                                                                       make_volunteer, register, make_shift):
    with app.app_context():
        organizer, event_id, people = _staffing_scene(make_user, make_event, make_volunteer, register, make_shift)
    login(client, organizer)
    client.set_cookie("lang", "en")
    page = client.get(f"/volunteers/events/{event_id}/suggestions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "covers 3 Sign language needs" in html
    assert "covers 2 Sighted guide needs" in html
    assert "from the event&#39;s district" in html or "from the event's district" in html
    assert "手语过期" not in html and "手语无证" not in html and "引导已排班" not in html and "协助已拒绝" not in html

    picks = [f"{people['signer']}:sign_language", f"{people['guide_near']}:sighted_guide",
             f"{people['guide_far']}:sighted_guide", f"{people['mover_far']}:mobility_assist"]
    response = client.post(f"/volunteers/events/{event_id}/suggestions", data={"picks": picks})
    assert response.status_code == 302
    with app.app_context():
        live = db.session.scalars(sa.select(Assignment).where(Assignment.event_id == event_id,
                                                              Assignment.status == "proposed")).all()
        assert sorted(a.volunteer_id for a in live) == sorted(
            [people["signer"], people["guide_near"], people["guide_far"], people["mover_far"]])
        event = db.session.get(Event, event_id)
        rows = {row.need_code: row for row in coverage.event_coverage(db.session, event)}
        assert rows["sign_language"].state == "awaiting" and rows["sighted_guide"].gap == 0
        assert matching.suggest_assignments(db.session, event).suggestions == []

    staffing = client.get(f"/volunteers/events/{event_id}").get_data(as_text=True)
    assert "Covered once the volunteers asked accept" in staffing
    assert "Gap:" not in staffing


def test_coverage_shows_gaps_in_words(app, client, make_user, make_event, register):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    event_id = make_event()
    for _ in range(3):
        register(event_id, ["sighted_guide", "large_print"])
    login(client, organizer)
    client.set_cookie("lang", "en")
    html = client.get(f"/volunteers/events/{event_id}").get_data(as_text=True)
    assert "Gap: 2 more volunteers needed" in html
    assert "coverage-gap" in html  # colour only in addition to the words
    assert "No volunteer skill: the organizer arranges it." in html


def test_a_stale_pick_is_refused_and_nothing_is_written(app, client, make_user, make_event, make_volunteer,
                                                        register, make_shift):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    event_id = make_event()
    other = make_event(starts_in=timedelta(days=10, minutes=30))
    register(event_id, ["sighted_guide"])
    register(event_id, ["sign_language"])
    guide = make_volunteer("sighted_guide")
    signer = make_volunteer("sign_language")
    make_shift(other, guide, status="accepted")  # booked elsewhere after the page was shown
    login(client, organizer)
    response = client.post(f"/volunteers/events/{event_id}/suggestions",
                           data={"picks": [f"{signer}:sign_language", f"{guide}:sighted_guide"]})
    assert response.status_code == 400
    assert 'class="field-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)
                                 .where(Assignment.event_id == event_id)) == 0
