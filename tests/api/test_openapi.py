"""The OpenAPI document validates and describes every /api/v1 route."""
from openapi_spec_validator import validate

from activity_hub.api.framework import openapi_path


def test_openapi_document_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    validate(response.get_json())


def test_every_api_route_is_in_the_document(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = openapi_path(rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method.lower() not in document["paths"].get(path, {}):
                missing.append(f"{method} {path}")
    assert missing == []


def test_documented_operations_exist(app, client):
    """No stale documentation either: every documented operation has a route."""
    document = client.get("/api/v1/openapi.json").get_json()
    routes = {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")
        for method in rule.methods
    }
    documented = {(path, method) for path, operations in document["paths"].items() for method in operations}
    assert documented - routes == set()


def test_the_document_names_the_required_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in [
        ("/api/v1/auth/token", "post"), ("/api/v1/events", "get"), ("/api/v1/events", "post"),
        ("/api/v1/events/{event_id}", "get"), ("/api/v1/events/{event_id}", "patch"),
        ("/api/v1/events/{event_id}/registrations", "post"), ("/api/v1/me/registrations", "get"),
        ("/api/v1/registrations/{registration_id}", "delete"), ("/api/v1/events/{event_id}/roster", "get"),
        ("/api/v1/events/{event_id}/needs-summary", "get"), ("/api/v1/events/{event_id}/check-ins", "post"),
    ]:
        assert method in paths.get(path, {}), f"{method.upper()} {path}"
    security = paths["/api/v1/me/registrations"]["get"]["security"]
    assert {"bearerAuth": []} in security
