"""Cost guards of registering: the statements a registration runs through the API and through the
residents' form, what the query under the event lock binds, and what the lock reads."""

from activity_hub.events import registration
from activity_hub.events.models import CONFIRMED, WAITLISTED
from activity_hub.events.registration import store
from activity_hub.extensions import db
from tests.api.conftest import bearer
from tests.conftest import login, recorded_statements


def is_postgresql(app):
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def kinds(statements):
    """The first words of each statement (three for an INSERT: it names its table)."""
    words = [statement.split(None, 3)[:3] for statement in statements]
    return [" ".join(w[:3] if w[0] == "INSERT" else w[:2]) for w in words]


def test_one_registration_is_a_few_statements_in_one_transaction(app, make_event, make_user, make_token, client):
    """Find the token with its user; lock the event (with its venue); count its places, whether the
    resident is registered already and take the new registration's id; insert the registration, its
    needs and the resident's message (one statement on PostgreSQL, three on SQLite), and, as the
    registration has needs, the record of the resident's consent to them (PIPL art. 29: a separate
    consent to sensitive information, kept as proof; a registration without needs writes none). The
    token's first use in a while is saved in the same transaction. Cannot grow back unnoticed."""
    postgresql = is_postgresql(app)
    writes = ["WITH new_registration"] if postgresql else [
        "INSERT INTO registrations", "INSERT INTO registration_needs", "INSERT INTO outbox_messages"]
    event, other = make_event(capacity=5), make_event(capacity=5)
    headers = bearer(make_token(make_user()))
    body = {"consent": True, "needs": ["sign_language", "braille"]}
    with recorded_statements(app, transaction_control=False, commits=True) as first:
        answer = client.post(f"/api/v1/events/{event}/registrations", json=body, headers=headers)
    assert answer.status_code == 201 and answer.get_json()["status"] == CONFIRMED
    assert kinds(first) == [
        "SELECT api_tokens.id,", "UPDATE api_tokens", "SELECT events.id,", "SELECT coalesce(sum(CASE",
    ] + writes + ["INSERT INTO consent_records", "COMMIT"], first

    # The token was used a moment ago: nothing written for it; no needs: no needs row.
    with recorded_statements(app, transaction_control=False, commits=True) as second:
        answer = client.post(f"/api/v1/events/{other}/registrations", json={"consent": True}, headers=headers)
    assert answer.status_code == 201
    assert len(second) == (5 if postgresql else 6) and second.count("COMMIT") == 1, second


def test_a_waitlisted_registration_costs_no_more_than_a_confirmed_one(app, make_event, make_user, make_token, client):
    """Its waitlist position comes from the same query as the places (no query of its own)."""
    postgresql = is_postgresql(app)
    event = make_event(capacity=1, wheelchair_spaces=0)
    for _ in range(2):
        headers = bearer(make_token(make_user()))
        client.get("/api/v1/me/registrations", headers=headers)  # the token's use is saved here
        with recorded_statements(app, transaction_control=False, commits=True) as statements:
            answer = client.post(f"/api/v1/events/{event}/registrations", json={"consent": True}, headers=headers)
    assert answer.get_json()["status"] == WAITLISTED and answer.get_json()["waitlist_position"] == 1
    assert len(statements) == (5 if postgresql else 6) and statements.count("COMMIT") == 1, statements


def test_the_residents_form_costs_no_more_than_the_api(app, make_event, make_user, make_token, client):
    """The same registration (needs, no companions) through the residents' form and through the API,
    on the same database: the form's POST runs no more statements (it used to run three more: the
    register page's own load of the event, its provisions and the resident's registrations, all of
    which the operation decides under the lock anyway)."""
    needs = ["sign_language", "braille"]
    resident = make_user()
    login(client, resident)
    by_form = make_event(capacity=5)
    with recorded_statements(app) as html:
        answer = client.post(f"/events/{by_form}/register", data={"needs": needs, "companions": "0", "consent": "y"})
    assert answer.status_code == 302, answer.get_data(as_text=True)

    api_client = app.test_client()
    headers = bearer(make_token(make_user()))
    api_client.get("/api/v1/me/registrations", headers=headers)  # the token's first use is saved here
    by_api = make_event(capacity=5)
    with recorded_statements(app) as api:
        answer = api_client.post(f"/api/v1/events/{by_api}/registrations", json={"needs": needs, "consent": True},
                                 headers=headers)
    assert answer.status_code == 201
    print(f"\nstatements: form {len(html)}, API {len(api)}")
    assert len(html) <= len(api), (html, api)


def test_the_places_query_under_the_lock_binds_only_what_varies(app):
    """Built once per process, it binds the event, the resident and the arrival time; the statuses and
    constants are written into it (an expanding IN parameter would have it written anew every time)."""
    with app.app_context():
        dialect = db.engine.dialect
        for next_id in (None, dialect.name):
            compiled = store._newcomer_statement(next_id).compile(dialect=dialect)
            assert set(compiled.binds) == {"event_id", "user_id", "arrived"}
            assert not any(bind.expanding for bind in compiled.binds.values())


def test_registering_locks_only_the_columns_it_reads_and_the_rest_still_load(app, make_event, make_user):
    """Under the lock a registration reads the event's rules, message and answer columns (not its
    long texts); the registration's event still gives every field, current, when something asks."""
    from activity_hub.auth.models import User
    from activity_hub.events.models import Event

    event_id = make_event(capacity=5, description="Bring water.", easy_read_summary="We walk.", summary="A walk")
    person = make_user()
    with app.app_context(), recorded_statements(app) as statements:
        made, _position = registration.register_with_position(event_id, db.session.get(User, person), consent=True)
        locked = next(s for s in statements if "FROM events LEFT OUTER JOIN venues" in s)  # the lock
        event = made.event
        assert isinstance(event, Event) and event.title and event.venue.name
        count = len(statements)
        assert (event.description, event.easy_read_summary, event.summary) == ("Bring water.", "We walk.", "A walk")
        assert len(statements) > count  # the long texts were not read under the lock: loaded now
    assert "description" not in locked and "easy_read_summary" not in locked and "directions" not in locked
