"""Every answer under /api/v1 is JSON, errors included, and bad input is never a 500."""
import pytest

from .conftest import error_code


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/api/v1/no-such-thing", 404),
    ("GET", "/api/v1/events/abc", 404),
    ("PUT", "/api/v1/events/1", 405),
    ("DELETE", "/api/v1/auth/token", 405),
])
def test_routing_errors_are_json(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert error_code(response) == f"http_{status}"


def test_unknown_query_parameters_are_refused(client, make_user, api):
    user = make_user()
    response = api("GET", "/api/v1/me/registrations?status=everything&colour=red", user)
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {"status", "colour"}


def test_huge_path_numbers_are_404_not_500(client):
    response = client.get("/api/v1/events/" + "9" * 40)
    assert response.status_code == 404
    assert response.mimetype == "application/json"


def test_json_body_with_wrong_content_type_or_empty_body(api, make_user, make_event):
    user = make_user()
    event = make_event()
    empty = api("POST", f"/api/v1/events/{event}/registrations", user, data="", content_type="application/json")
    assert empty.status_code == 400 and "consent" in empty.get_json()["error"]["fields"]
    text = api("POST", f"/api/v1/events/{event}/registrations", user, data='{"consent": true}',
               content_type="text/plain")
    assert (text.status_code, error_code(text)) == (415, "unsupported_media_type")
