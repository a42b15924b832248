"""Editing plan targets: administrators only, validated input (400 with messages beside the
fields, nothing written), a confirmation page before removing one."""
import pytest
import sqlalchemy as sa

from activity_hub.dashboard.models import PlanTarget
from activity_hub.extensions import db
from tests.conftest import login

GOOD = {
    "year": "2021", "key": "legal_sessions", "label_zh": "举办残疾人普法宣传教育活动",
    "label_en": "Legal-awareness sessions held", "target": "50", "unit": "sessions",
    "measure": "legal_sessions_held", "manual_actual": "", "source": "武残联〔2021〕6号 （十二）",
}


def targets(app):
    with app.app_context():
        return [(t.year, t.key, t.target, t.measure, t.manual_actual) for t in
                db.session.scalars(sa.select(PlanTarget).order_by(PlanTarget.id))]


@pytest.fixture
def admin(client, make_user):
    client.set_cookie("lang", "en")
    login(client, make_user(roles=("admin",)))


def test_admin_adds_a_computed_and_a_manual_target(app, client, admin):
    response = client.post("/dashboard/targets/new", data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard/targets?year=2021")
    manual = dict(GOOD, key="job_placements", label_zh="推荐残疾人上岗就业", label_en="Job placements",
                  target="1000", unit="people", measure="manual", manual_actual="420")
    assert client.post("/dashboard/targets/new", data=manual).status_code == 302

    assert targets(app) == [(2021, "legal_sessions", 50, "legal_sessions_held", None),
                            (2021, "job_placements", 1000, "manual", 420)]
    page = client.get("/dashboard/targets?year=2021", follow_redirects=True).get_data(as_text=True)
    assert "Job placements" in page and "Entered by hand: 420" in page


def test_admin_changes_and_removes_a_target_after_confirming(app, client, admin):
    client.post("/dashboard/targets/new", data=GOOD)
    with app.app_context():
        target_id = db.session.scalar(sa.select(PlanTarget.id))
    form = client.get(f"/dashboard/targets/{target_id}/edit").get_data(as_text=True)
    assert 'value="legal_sessions"' in form
    assert client.post(f"/dashboard/targets/{target_id}/edit", data=dict(GOOD, target="60")).status_code == 302
    assert targets(app)[0][2] == 60

    confirm = client.get(f"/dashboard/targets/{target_id}/delete")
    assert confirm.status_code == 200 and "Yes, remove this target" in confirm.get_data(as_text=True)
    assert targets(app) != []
    assert client.post(f"/dashboard/targets/{target_id}/delete").status_code == 302
    assert targets(app) == []


def test_only_admins_edit_targets(app, client, make_user):
    login(client, make_user(roles=("admin",)))
    client.post("/dashboard/targets/new", data=GOOD)
    with app.app_context():
        target_id = db.session.scalar(sa.select(PlanTarget.id))
    for roles in (("organizer",), ("resident",)):
        login(client, make_user(roles=roles))
        assert client.get("/dashboard/targets/new").status_code == 403
        assert client.post("/dashboard/targets/new", data=dict(GOOD, key="other")).status_code == 403
        assert client.post(f"/dashboard/targets/{target_id}/edit", data=dict(GOOD, target="1")).status_code == 403
        assert client.post(f"/dashboard/targets/{target_id}/delete").status_code == 403
    assert targets(app) == [(2021, "legal_sessions", 50, "legal_sessions_held", None)]
    # Organizers see the list of targets, without the links to change them.
    login(client, make_user(roles=("organizer",)))
    page = client.get("/dashboard/targets?year=2021").get_data(as_text=True)
    assert "legal_sessions" in page and "/edit" not in page


@pytest.mark.parametrize("changes, field, message", [
    ({"label_zh": "  "}, "label_zh", "Enter the name of the target in this language"),
    ({"label_en": "x" * 201}, "label_en", "The name must be 200 characters or fewer"),
    ({"target": "abc"}, "target", "Enter the target as a whole number, like 50"),
    ({"target": "0"}, "target", "Enter a whole number from 1 to 100,000,000"),
    ({"target": "12.5"}, "target", "Enter the target as a whole number, like 50"),
    ({"target": ""}, "target", "Enter the target as a whole number, like 50"),
    ({"year": "1999"}, "year", "Enter a year between 2000 and 2100, like 2021"),
    ({"year": "二〇二一"}, "year", "Enter the year as four digits, like 2021"),
    ({"key": "Legal Sessions"}, "key", "Use lower-case letters, digits and underscores, starting with a letter"),
    ({"unit": "kilograms"}, "unit", "Choose a unit from the list"),
    ({"measure": "drop table"}, "measure", "Choose how progress is measured from the list"),
    ({"manual_actual": "7"}, "manual_actual", "Leave this empty: only targets entered by hand have a figure typed in"),
    ({"measure": "manual", "manual_actual": "-3"}, "manual_actual", "Enter a whole number from 0 to 100,000,000"),
    ({"source": "bad\x07text"}, "source", "Remove the invisible control characters"),
])
def test_bad_input_is_a_400_with_the_message_beside_the_field(app, client, admin, changes, field, message):
    response = client.post("/dashboard/targets/new", data=dict(GOOD, **changes))
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "<title>Error:" in html
    assert f'<p class="field-error" id="{field}-error">' in html
    error = html.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert f'<a href="#{field}">' in html                  # the error summary links to the field
    assert targets(app) == []


def test_a_key_is_used_once_per_year(app, client, admin):
    client.post("/dashboard/targets/new", data=GOOD)
    response = client.post("/dashboard/targets/new", data=dict(GOOD, target="10"))
    assert response.status_code == 400
    assert "Another target of this year already has this key" in response.get_data(as_text=True)
    assert client.post("/dashboard/targets/new", data=dict(GOOD, year="2022")).status_code == 302
    assert len(targets(app)) == 2


def test_missing_target_is_404(client, admin):
    assert client.get("/dashboard/targets/999/edit").status_code == 404
    assert client.post("/dashboard/targets/999/delete").status_code == 404
