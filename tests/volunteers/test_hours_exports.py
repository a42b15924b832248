"""Hours totals per volunteer and per team, and their CSV and XLSX exports."""
import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from activity_hub.extensions import db
from activity_hub.volunteers import hours
from activity_hub.volunteers.years import current_year
from tests.conftest import login


def _scene(make_user, make_volunteer, make_team, make_event, make_shift):
    """Two Wuchang volunteers in one team, one Hongshan volunteer; served and unserved shifts."""
    leader = make_user(roles=("team_leader", "volunteer"), name="王队长")
    li = make_volunteer(name="李四")
    zhou = make_volunteer(name="=周五", district_code="hongshan")  # a name that looks like a formula
    team = make_team(leader, members=[li], name="武昌阳光助残队")
    # Events a few hours ago, so they fall in this year unless the test runs in the first hours of January.
    e1 = make_event(starts_in=timedelta(hours=-3))
    e2 = make_event(starts_in=timedelta(hours=-6))
    far = make_event(starts_in=timedelta(hours=-3), district_code="hongshan")
    make_shift(e1, li, status="accepted", served_minutes=150, team_id=team)
    make_shift(e2, li, status="accepted", served_minutes=90, team_id=team)
    make_shift(e1, leader, status="accepted", served_minutes=60, team_id=team)
    make_shift(e2, leader, status="accepted")  # not confirmed: no hours
    make_shift(far, zhou, status="accepted", served_minutes=120)
    return leader, li, zhou, team


def test_hours_totals(app, app_ctx, make_user, make_volunteer, make_team, make_event, make_shift):
    leader, li, zhou, _team = _scene(make_user, make_volunteer, make_team, make_event, make_shift)
    year = current_year()
    rows = {r.name: (r.shifts, r.hours) for r in hours.hours_by_volunteer(db.session, year)}
    assert rows == {"李四": (2, 4.0), "=周五": (1, 2.0), "王队长": (1, 1.0)}
    teams = [(r.name, r.shifts, r.hours) for r in hours.hours_by_team(db.session, year)]
    assert teams[0] == ("武昌阳光助残队", 3, 5.0) and teams[1][1:] == (1, 2.0)
    wuchang_only = {r.name for r in hours.hours_by_volunteer(db.session, year, {_wuchang()})}
    assert wuchang_only == {"李四", "王队长"}
    assert hours.volunteer_year_hours(db.session, li, year) == (2, 240)
    assert hours.hours_by_volunteer(db.session, year - 1) == []


def _wuchang():
    import sqlalchemy as sa

    from activity_hub.districts import District

    return db.session.scalar(sa.select(District.id).where(District.code == "wuchang"))


def test_csv_export_has_a_bom_and_chinese(app, client, make_user, make_volunteer, make_team, make_event, make_shift):
    _scene(make_user, make_volunteer, make_team, make_event, make_shift)
    login(client, make_user(roles=("organizer",)))
    response = client.get(f"/volunteers/hours/export.csv?by=volunteer&year={current_year()}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["志愿者", "服务班次", "小时"]
    assert ["李四", "2", "4.0"] in rows
    assert ["'=周五", "1", "2.0"] in rows  # formula-like text is defused
    by_team = client.get(f"/volunteers/hours/export.csv?by=team&year={current_year()}").data.decode("utf-8-sig")
    assert "武昌阳光助残队,3,5.0" in by_team


def test_xlsx_export_rows(app, client, make_user, make_volunteer, make_team, make_event, make_shift):
    _scene(make_user, make_volunteer, make_team, make_event, make_shift)
    login(client, make_user(roles=("organizer",), role_district_code="wuchang"))
    response = client.get(f"/volunteers/hours/export.xlsx?by=team&year={current_year()}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows == [("队伍", "服务班次", "小时"), ("武昌阳光助残队", 3, 5.0)]  # Hongshan hours are not theirs
    response = client.get(f"/volunteers/hours/export.xlsx?by=volunteer&year={current_year()}")
    rows = [tuple(cell.value for cell in row) for row in load_workbook(io.BytesIO(response.data)).active.iter_rows()]
    assert rows[1:] == [("李四", 2, 4.0), ("王队长", 1, 1.0)]


def test_export_rejects_unknown_kinds(app, client, make_user):
    login(client, make_user(roles=("organizer",)))
    assert client.get("/volunteers/hours/export.pdf").status_code == 404
    assert client.get("/volunteers/hours/export.csv?by=district").status_code == 404
    assert client.get("/volunteers/hours/export.csv?year=abc").status_code == 400
    assert client.get("/volunteers/hours?year=1900").status_code == 400
