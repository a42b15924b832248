"""Many residents at once: no overbooking, no duplicates, the waitlist in arrival order.

Each worker is a thread with its own app context, so its own session and database
connection, started together behind a barrier. The HTTP variant sends real
simultaneous requests to a threaded werkzeug server. Run on PostgreSQL by setting
TEST_DATABASE_URL; SQLite (a file database) is used otherwise.
"""
import http.client
import threading
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from activity_hub.events import registration
from activity_hub.events.models import CONFIRMED, REG_CANCELLED, WAITLISTED, Registration
from activity_hub.extensions import db

WORKERS = 50


def run_together(app, jobs):
    """Run every job (a function of no arguments) in its own thread and app context, all at once."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        with app.app_context():
            try:
                barrier.wait()
                results[index] = job()
            except Exception as error:  # the test inspects what each worker got
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def registrations_in_arrival_order(app, event_id):
    with app.app_context():
        rows = db.session.execute(
            sa.select(Registration.id, Registration.user_id, Registration.status, Registration.companions,
                      Registration.wheelchair_space, Registration.created_at)
            .where(Registration.event_id == event_id)
            .order_by(Registration.created_at, Registration.id)
        ).all()
        return rows


def assert_no_overbooking(app, event_id):
    with app.app_context():
        left = registration.availability([event_id])[event_id]
        assert left.places_taken <= left.capacity
        assert left.wheelchair_taken <= left.wheelchair_spaces
        return left


def register_job(event_id, user_id, **kwargs):
    def job():
        from activity_hub.auth.models import User

        made = registration.register(event_id, db.session.get(User, user_id), consent=True, **kwargs)
        return made.id, made.status

    return job


def cancel_job(registration_id, user_id):
    def job():
        from activity_hub.auth.models import User

        return [r.id for r in registration.cancel_registration(registration_id, db.session.get(User, user_id))]

    return job


def test_fifty_simultaneous_registrations_for_ten_places(app, make_event, residents):
    event = make_event(capacity=10, wheelchair_spaces=0, max_companions=0)
    people = residents(WORKERS)
    results = run_together(app, [register_job(event, person) for person in people])

    assert not [r for r in results if isinstance(r, Exception)]
    rows = registrations_in_arrival_order(app, event)
    assert len(rows) == WORKERS and len({row.user_id for row in rows}) == WORKERS
    # Arrival order is the order the event lock was granted: ids and times agree.
    assert [row.id for row in rows] == sorted(row.id for row in rows)
    assert [row.status for row in rows] == [CONFIRMED] * 10 + [WAITLISTED] * (WORKERS - 10)
    assert dict(results) == {row.id: row.status for row in rows}
    with app.app_context():
        waiting = list(db.session.scalars(sa.select(Registration).where(Registration.status == WAITLISTED)))
        positions = registration.waitlist_positions(waiting)
    assert [positions[row.id] for row in rows[10:]] == list(range(1, WORKERS - 9))
    left = assert_no_overbooking(app, event)
    assert (left.places_taken, left.waitlist_length) == (10, WORKERS - 10)


def test_the_same_resident_registering_many_times_at_once_gets_one_registration(app, make_event, residents):
    event = make_event(capacity=10)
    person = residents(1)[0]
    results = run_together(app, [register_job(event, person) for _ in range(12)])
    made = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, registration.RegistrationRefused)]
    assert len(made) == 1 and len(refused) == 11
    assert {r.code for r in refused} == {"already_registered"}
    assert len(registrations_in_arrival_order(app, event)) == 1


def test_simultaneous_registrations_with_companions_and_wheelchairs_never_overbook(app, make_event, residents):
    event = make_event(capacity=10, wheelchair_spaces=2, max_companions=2)
    people = residents(30)
    jobs = [
        register_job(event, person, companions=i % 3, needs=["wheelchair_space"] if i % 4 == 0 else [])
        for i, person in enumerate(people)
    ]
    results = run_together(app, jobs)
    assert not [r for r in results if isinstance(r, Exception)]
    left = assert_no_overbooking(app, event)
    # Whatever is still waiting does not fit in what is left (the waitlist was served).
    rows = registrations_in_arrival_order(app, event)
    assert len(rows) == 30
    for row in rows:
        if row.status == WAITLISTED:
            assert not left.fits(1 + row.companions, row.wheelchair_space)


def test_simultaneous_cancellations_promote_exactly_the_next_entries(app, make_event, residents):
    event = make_event(capacity=10, wheelchair_spaces=0, max_companions=2)
    holders = residents(10)
    family = residents(1)[0]
    waiting = residents(10)
    made = run_together(app, [register_job(event, person) for person in holders])
    holder_regs = dict(zip(holders, (r[0] for r in made)))
    # A family of three waits first; ten single residents wait behind it.
    with app.app_context():
        from activity_hub.auth.models import User

        family_reg = registration.register(event, db.session.get(User, family), companions=2, consent=True).id
        single_regs = [registration.register(event, db.session.get(User, p), consent=True).id for p in waiting]
        db.session.remove()

    # Five holders cancel at the same moment: each frees one place, which the family cannot use,
    # so exactly the first five single residents behind it are promoted, whatever the interleaving.
    results = run_together(app, [cancel_job(holder_regs[h], h) for h in holders[:5]])
    assert not [r for r in results if isinstance(r, Exception)]
    promoted = sorted(reg_id for result in results for reg_id in result)
    assert promoted == single_regs[:5]
    statuses = {row.id: row.status for row in registrations_in_arrival_order(app, event)}
    assert statuses[family_reg] == WAITLISTED
    assert [statuses[r] for r in single_regs] == [CONFIRMED] * 5 + [WAITLISTED] * 5
    assert [statuses[holder_regs[h]] for h in holders] == [REG_CANCELLED] * 5 + [CONFIRMED] * 5
    left = assert_no_overbooking(app, event)
    assert (left.places_taken, left.waitlist_length) == (10, 6)
    with app.app_context():
        assert registration.waitlist_position(db.session.get(Registration, family_reg)) == 1


def test_simultaneous_cancellations_and_registrations_keep_the_count_right(app, make_event, residents):
    event = make_event(capacity=10, wheelchair_spaces=0, max_companions=0)
    holders = residents(10)
    made = run_together(app, [register_job(event, person) for person in holders])
    newcomers = residents(20)
    jobs = [cancel_job(reg_id, person) for person, (reg_id, _status) in zip(holders, made)]
    jobs += [register_job(event, person) for person in newcomers]
    results = run_together(app, jobs)
    assert not [r for r in results if isinstance(r, Exception)]
    rows = registrations_in_arrival_order(app, event)
    newcomer_rows = [row for row in rows if row.user_id in set(newcomers)]
    # All ten places went to newcomers: the first ten to arrive or to be promoted in arrival order.
    assert [row.status for row in newcomer_rows].count(CONFIRMED) == 10
    waiting = [row for row in newcomer_rows if row.status == WAITLISTED]
    confirmed = [row for row in newcomer_rows if row.status == CONFIRMED]
    assert max(row.id for row in confirmed) < min(row.id for row in waiting)
    left = assert_no_overbooking(app, event)
    assert (left.places_taken, left.waitlist_length) == (10, 10)


# --- real simultaneous HTTP requests -------------------------------------------------------


@pytest.fixture
def live_server(app):
    """A threaded werkzeug server on a free port, for real concurrent requests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join()


def session_cookie(app, user_id):
    from tests.conftest import session_id_for

    serializer = app.session_interface.get_signing_serializer(app)
    data = {"_user_id": session_id_for(app, user_id), "_fresh": True}
    return f"{app.config['SESSION_COOKIE_NAME']}={serializer.dumps(data)}"


def post(server, path, cookie, form):
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=120)
    try:
        body = urlencode(form, doseq=True)
        connection.request("POST", path, body=body, headers={
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
        })
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def test_fifty_simultaneous_http_registrations_for_ten_places(app, make_event, residents, live_server):
    event = make_event(capacity=10, wheelchair_spaces=0, max_companions=0)
    people = residents(WORKERS)
    cookies = {person: session_cookie(app, person) for person in people}
    barrier = threading.Barrier(WORKERS)
    answers = {}

    def send(person):
        barrier.wait()
        answers[person] = post(live_server, f"/events/{event}/register", cookies[person],
                               {"consent": "y", "companions": "0"})

    threads = [threading.Thread(target=send, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert {status for status, _location in answers.values()} == {302}
    assert all("/registrations/" in location for _status, location in answers.values())
    rows = registrations_in_arrival_order(app, event)
    assert len(rows) == WORKERS and len({row.user_id for row in rows}) == WORKERS
    assert [row.id for row in rows] == sorted(row.id for row in rows)
    assert [row.status for row in rows] == [CONFIRMED] * 10 + [WAITLISTED] * (WORKERS - 10)
    left = assert_no_overbooking(app, event)
    assert (left.places_taken, left.waitlist_length) == (10, WORKERS - 10)


def test_simultaneous_http_cancellations_promote_the_next_in_line(app, make_event, residents, live_server):
    event = make_event(capacity=5, wheelchair_spaces=0, max_companions=0)
    holders = residents(5)
    waiting = residents(10)
    with app.app_context():
        from activity_hub.auth.models import User

        held = {p: registration.register(event, db.session.get(User, p), consent=True).id for p in holders}
        queue = [registration.register(event, db.session.get(User, p), consent=True).id for p in waiting]
        db.session.remove()
    barrier = threading.Barrier(len(holders))
    answers = []

    def cancel(person):
        barrier.wait()
        answers.append(post(live_server, f"/registrations/{held[person]}/cancel", session_cookie(app, person), {}))

    threads = [threading.Thread(target=cancel, args=(person,)) for person in holders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _location in answers] == [302] * len(holders)
    statuses = {row.id: row.status for row in registrations_in_arrival_order(app, event)}
    assert [statuses[r] for r in queue] == [CONFIRMED] * 5 + [WAITLISTED] * 5
    assert {statuses[r] for r in held.values()} == {REG_CANCELLED}
    assert_no_overbooking(app, event)
