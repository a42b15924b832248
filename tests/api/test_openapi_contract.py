"""The OpenAPI document matches the code: schemathesis sends every documented operation
requests generated from the document itself (valid ones, which must be accepted, and
invalid ones, which must be refused with a documented 4xx) and checks every answer against
the document: status codes, content types, headers and response schemas.

It runs on the WSGI app (no network), once with a resident's token and once with an
organizer's, and reads the document the app serves, so an endpoint added later is checked
without touching this file. Generation is derandomized and bounded so the run is the same
every time and stays within a couple of minutes.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from activity_hub import create_app

from .conftest import bearer

# Generated examples per operation (schemathesis adds its explicit edge cases of every field to
# them). Measured: the 66 operation runs cost ~40 s of CPU on SQLite, ~60 s on PostgreSQL.
MAX_EXAMPLES = 30


class TheSessionsApp:
    """The WSGI app schemathesis sends its requests to: the session's ``app`` (on the test database)
    once a test runs. The document is read at collection time, so that each operation is a test of
    its own with its own empty tables; serving it needs no database, so until the first test an app
    on an in-memory SQLite answers."""

    def __init__(self):
        self.target = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")

    def __call__(self, environ, start_response):
        return self.target(environ, start_response)


THE_SESSIONS_APP = TheSessionsApp()
contract = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", THE_SESSIONS_APP)


@pytest.fixture(autouse=True)
def requests_go_to_the_test_database(app):
    THE_SESSIONS_APP.target = app


# Both callers have a mobile number (their login) and an e-mail address, so every channel the
# document lists for their message preferences is one they can choose.
@pytest.fixture
def resident_headers(make_user, make_token):
    return bearer(make_token(make_user(email="resident@example.org")))


@pytest.fixture
def organizer_headers(make_user, make_token):
    """An organizer of the district the residents live in."""
    return bearer(make_token(make_user(roles=("resident", "organizer"), role_district_code="wuchang",
                                       email="organizer@example.org")))


# Rules a JSON schema cannot state: one field against another (the end after the start, wheelchair
# spaces within the capacity, registration closing before the start), against stored data (a venue
# or district that exists, a capacity not below the places taken) or, for `contact_email`, the
# site's e-mail rule (any script, NFKC-normalised, as for logins), which no JSON Schema pattern
# states faithfully; a new password's policy (not one of the 10,000 most common passwords, not the
# account's own number, address or name); and a token asked for with exactly one of a password or a
# code. Schema-valid input that breaks one of them is refused with a 400
# `validation_failed` naming the field. Any other refusal of schema-valid input, or a 400 naming
# another field, fails the test.
RULES_BEYOND_THE_SCHEMA = {
    ("POST", "/api/v1/events"): {"ends_at", "registration_opens_at", "registration_closes_at", "wheelchair_spaces",
                                 "venue_id", "district_id", "starts_at", "contact_email"},
    ("PATCH", "/api/v1/events/{event_id}"): {"ends_at", "registration_opens_at", "registration_closes_at",
                                             "wheelchair_spaces", "venue_id", "district_id", "contact_email",
                                             "starts_at", "capacity"},
    ("POST", "/api/v1/auth/password"): {"new_password"},
    ("POST", "/api/v1/auth/token"): {"password", "code"},
}


def refused_only_by_rules_beyond_the_schema(case, response):
    allowed = RULES_BEYOND_THE_SCHEMA.get((case.method.upper(), case.path), set())
    if response.status_code != 400 or not allowed:
        return False
    error = response.json().get("error", {})
    fields = error.get("fields") or {}
    return error.get("code") == "validation_failed" and bool(fields) and set(fields) <= allowed


def answers_as_documented(case, headers):
    """Send ``case`` and run every check on the answer (status codes, content type, headers, response
    schema, negative data refused, positive data accepted, authentication not ignored, ...)."""
    response = case.call(headers=headers)
    excluded = [positive_data_acceptance] if refused_only_by_rules_beyond_the_schema(case, response) else []
    case.validate_response(response, headers=headers, excluded_checks=excluded)


CONTRACT_SETTINGS = settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck))


@contract.parametrize()
@CONTRACT_SETTINGS
def test_the_api_answers_a_resident_as_its_document_says(case, resident_headers):
    answers_as_documented(case, resident_headers)


@contract.parametrize()
@CONTRACT_SETTINGS
def test_the_api_answers_an_organizer_as_its_document_says(case, organizer_headers):
    answers_as_documented(case, organizer_headers)


# What the contract run found, one example each (each failed before its fix).

def test_a_method_the_address_does_not_take_is_answered_with_the_methods_it_does(api, client):
    response = api("PUT", "/api/v1/openapi.json")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}
    page = client.open("/", method="TRACE")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


def test_a_whole_number_written_with_a_decimal_point_is_a_whole_number(api, make_event, make_user):
    resident = make_user(email="resident@example.org")
    response = api("POST", f"/api/v1/events/{make_event()}/registrations", resident,
                   json={"companions": 1.0, "consent": True})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["companions"] == 1
    half = api("POST", f"/api/v1/events/{make_event()}/registrations", resident,
               json={"companions": 1.5, "consent": True})
    assert half.status_code == 400 and set(half.get_json()["error"]["fields"]) == {"companions"}


@pytest.mark.parametrize("path, parameter", [
    ("/api/v1/events?date_to=", "date_to"), ("/api/v1/events?category=", "category"),
    ("/api/v1/events?page=", "page"), ("/api/v1/me/registrations?status=", "status"),
])
def test_an_empty_query_value_that_is_not_free_text_is_refused(api, make_user, path, parameter):
    response = api("GET", path, make_user())
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {parameter}


def test_an_empty_search_is_still_no_search(api, make_user, make_event):
    make_event()
    response = api("GET", "/api/v1/events?q=", make_user())
    assert response.status_code == 200 and response.get_json()["total"] == 1


def test_a_control_character_at_the_end_of_a_text_is_refused_as_documented(api, make_user, make_event):
    response = api("POST", f"/api/v1/events/{make_event()}/registrations", make_user(),
                   json={"note": "坐轮椅\x0b", "consent": True})
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {"note"}


def test_the_document_states_the_event_rules_it_used_to_leave_out(client):
    schema = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/events"]["post"]
    fields = schema["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert (fields["capacity"]["minimum"], fields["capacity"]["maximum"]) == (1, 100000)
    assert (fields["max_companions"]["minimum"], fields["max_companions"]["maximum"]) == (0, 10)
    assert fields["wheelchair_spaces"]["minimum"] == 0
    assert "pattern" in fields["contact_phone"] and "pattern" in fields["online_url"]
    assert "pattern" in fields["title"]  # no control characters


def test_an_event_with_the_longest_texts_allowed_is_not_too_large(api, make_user, make_venue, app):
    from datetime import datetime, timedelta, timezone

    from tests.conftest import district

    with app.app_context():
        district_id = district("wuchang").id
    organizer = make_user(roles=("resident", "organizer"), role_district_code="wuchang")
    start = (datetime.now(timezone.utc) + timedelta(days=20)).replace(microsecond=0)
    body = {"title": "全国助残日文艺汇演", "category": "culture", "district_id": district_id,
            "venue_id": make_venue(), "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(), "capacity": 20,
            "description": "无障碍" * 6666, "easy_read_summary": "简单易读" * 1250}
    response = api("POST", "/api/v1/events", organizer, json=body)
    assert response.status_code == 201, response.get_json()
    too_long = api("POST", "/api/v1/events", organizer, json={**body, "description": "无障碍" * 6667})
    assert too_long.status_code == 400
    assert set(too_long.get_json()["error"]["fields"]) == {"description"}
