"""The hot event: many distinct residents register at once for few places, through both
instances; afterwards the places, the duplicates and the waitlist order are checked."""
import json

import sqlalchemy as sa

from .load import Request, burst


class HotEventFailed(AssertionError):
    pass


def run_hot_event(bases, event_id, tokens, concurrency=None, cpu=None):
    requests = [
        Request("POST", f"/api/v1/events/{event_id}/registrations",
                headers={"Authorization": f"Bearer {token}"}, json={"consent": True, "companions": 0},
                expect=(201,))
        for token in tokens
    ]
    return burst("hot_event", bases, requests, concurrency or len(requests), cpu)


def check_hot_event(app, event_id, residents, places, result):
    """Every check of the hot event; returns a dict of what was found, raises HotEventFailed if any fails."""
    from activity_hub.events.models import HOLDING_STATUSES, Registration
    from activity_hub.extensions import db

    problems = []
    with app.app_context():
        rows = db.session.execute(
            sa.select(Registration.id, Registration.user_id, Registration.status, Registration.companions,
                      Registration.created_at)
            .where(Registration.event_id == event_id).order_by(Registration.created_at, Registration.id)
        ).all()
        db.session.remove()
    taken = sum(1 + r.companions for r in rows if r.status in HOLDING_STATUSES)
    confirmed = [r for r in rows if r.status in HOLDING_STATUSES]
    waitlisted = [r for r in rows if r.status == "waitlisted"]
    users = [r.user_id for r in rows]
    if result.errors:
        problems.append(f"{result.errors} requests were not answered 201: {result.statuses}")
    if taken != places:
        problems.append(f"{taken} places taken, expected exactly {places}")
    if len(rows) != residents or len(set(users)) != len(users):
        problems.append(f"{len(rows)} registrations for {len(set(users))} residents, expected {residents} distinct")
    if len(waitlisted) != residents - places:
        problems.append(f"{len(waitlisted)} on the waiting list, expected {residents - places}")
    # Arrival order: everyone confirmed arrived before everyone waiting, and ids follow the times.
    order = [(r.created_at, r.id) for r in rows]
    if confirmed and waitlisted and max((r.created_at, r.id) for r in confirmed) > min(
            (r.created_at, r.id) for r in waitlisted):
        problems.append("someone on the waiting list arrived before someone who got a place")
    if [key[1] for key in order] != sorted(key[1] for key in order):
        problems.append("registration ids do not follow their arrival times")
    # What each waiting resident was told is their place in that order, each position once.
    told = {}
    confirmed_answers = 0
    for _, status, body in result.answers:
        if status != 201 or not body:
            continue
        answer = json.loads(body)
        if answer["status"] == "waitlisted":
            told[answer["id"]] = answer["waitlist_position"]
        elif answer["status"] == "confirmed":
            confirmed_answers += 1
    expected = {r.id: n for n, r in enumerate(waitlisted, start=1)}
    if told != expected:
        wrong = sum(1 for key in expected if told.get(key) != expected[key])
        problems.append(f"{wrong} waiting residents were told a wrong waiting-list position")
    if confirmed_answers != places:
        problems.append(f"{confirmed_answers} residents were told they have a place, expected {places}")
    found = {"residents": residents, "places": places, "places_taken": taken, "registrations": len(rows),
             "distinct_residents": len(set(users)), "waitlisted": len(waitlisted),
             "told_confirmed": confirmed_answers, "ok": not problems, "problems": problems}
    if problems:
        raise HotEventFailed("HOT EVENT CHECK FAILED: " + "; ".join(problems))
    return found
