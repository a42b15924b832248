"""GET /api/v1/targets?year=YYYY: the dashboard's figures as JSON, and in the OpenAPI document."""
from activity_hub.extensions import db
from tests.conftest import login

from .conftest import PlanData, at


def seed(app):
    with app.app_context():
        plan = PlanData()
        for _ in range(3):
            plan.held(at(2021, 4, 7), category="legal")
        plan.target("legal_sessions", "legal_sessions_held", target=50, label_zh="普法宣传教育活动",
                    label_en="Legal-awareness sessions held")
        plan.target("person_times", "person_times", target=3000, unit="person_times")
        plan.target("jobs", "manual", target=1000, unit="people", manual_actual=420)
        plan.target("later", "legal_sessions_held", target=60, year=2022)
        db.session.commit()


def test_targets_with_key_label_target_actual_and_unit(app, client, make_user):
    seed(app)
    login(client, make_user(roles=("organizer",)))
    response = client.get("/api/v1/targets?year=2021", headers={"Accept-Language": "en"})

    assert response.status_code == 200
    body = response.get_json()
    assert body["year"] == 2021
    items = {item["key"]: item for item in body["items"]}
    assert list(items) == ["legal_sessions", "person_times", "jobs"]
    legal = items["legal_sessions"]
    assert (legal["label_zh"], legal["target"], legal["actual"], legal["unit"], legal["percent"]) == (
        "普法宣传教育活动", 50, 3, "sessions", 6)
    assert legal["definition"]
    assert items["person_times"]["actual"] == 3 and items["person_times"]["suppressed"] is False
    assert (items["jobs"]["actual"], items["jobs"]["measure"], items["jobs"]["reached"]) == (420, "manual", False)


def test_anonymous_callers_get_the_public_figures(app, client):
    seed(app)
    items = {item["key"]: item for item in client.get("/api/v1/targets?year=2021").get_json()["items"]}
    # Three person-times are fewer than five people: withheld, as on the public page.
    assert (items["person_times"]["actual"], items["person_times"]["suppressed"]) == (None, True)
    assert items["legal_sessions"]["actual"] == 3           # events, not people
    assert items["legal_sessions"]["label"] == "普法宣传教育活动"  # Chinese by default


def test_bad_year_is_a_400_validation_error(client):
    for value in ("abc", "1999", "2101"):
        response = client.get(f"/api/v1/targets?year={value}")
        assert response.status_code == 400
        body = response.get_json()
        assert body["error"]["code"] == "validation_failed" and "year" in body["error"]["fields"]
    assert client.get("/api/v1/targets?colour=red").status_code == 400
    assert client.get("/api/v1/targets").status_code == 200   # the current year


def test_the_endpoint_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/targets"]["get"]
    assert operation["parameters"][0]["name"] == "year"
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PlanTargetList"}
    assert set(document["components"]["schemas"]["PlanTarget"]["required"]) >= {
        "key", "label", "target", "actual", "unit"}
