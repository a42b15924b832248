"""CSV (UTF-8 with a byte-order mark, for Excel) and XLSX exports of the report's tables."""
import csv
import io

from openpyxl import load_workbook

from activity_hub.extensions import db
from tests.conftest import login

from .conftest import PlanData, at


def seed(app):
    with app.app_context():
        plan = PlanData()
        event = plan.event(at(2021, 5, 16), district_code="jianghan", provisions=["sign_language"])
        for n in range(7):
            plan.attend(event, companions=n % 2, needs=["sign_language"])
        small = plan.event(at(2021, 6, 9), category="legal", district_code="qingshan")
        plan.attend(small, needs=["braille"])
        plan.target("legal_sessions", "legal_sessions_held", target=50, label_zh="举办残疾人普法宣传教育活动")
        db.session.commit()


def test_csv_has_a_byte_order_mark_and_the_chinese_names(app, client, make_user):
    seed(app)
    login(client, make_user(roles=("organizer",)))
    response = client.get("/dashboard/export/districts.csv?year=2021")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="plan-progress-2021-districts.csv"' in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["区", "已举办活动"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["江汉区"][1:6] == ["1", "1", "0", "7", "10"]   # 7 residents + 3 companions
    assert by_name["合计"][5] == "11"

    targets = client.get("/dashboard/export/targets.csv?year=2021").data.decode("utf-8-sig")
    assert "举办残疾人普法宣传教育活动,1,50,场,2,尚未完成" in targets


def test_xlsx_holds_every_table_with_its_rows(app, client, make_user):
    seed(app)
    client.set_cookie("lang", "en")
    login(client, make_user(roles=("admin",)))
    response = client.get("/dashboard/export/all.xlsx?year=2021")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Progress against the plan", "By district", "By month",
                                   "Accessibility needs served", "Volunteer hours by team"]
    months = list(workbook["By month"].iter_rows(values_only=True))
    assert months[0] == ("Month", "Events held", "Person-times")
    assert months[5] == ("May 2021", 1, 10) and months[6] == ("Jun 2021", 1, 1)
    assert months[-1] == ("Total", 2, 11)
    needs = list(workbook["Accessibility needs served"].iter_rows(values_only=True))
    assert ("Braille materials", 1, 0, 1) in needs

    single = load_workbook(io.BytesIO(client.get("/dashboard/export/needs.xlsx?year=2021").data))
    assert single.sheetnames == ["Accessibility needs served"]


def test_public_exports_hide_small_groups_like_the_public_page(app, client):
    seed(app)
    client.set_cookie("lang", "en")
    text = client.get("/dashboard/results/export/needs.csv?year=2021").data.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert rows["Braille materials"][1:] == ["not shown"] * 3
    assert rows["Sign-language interpreter (Chinese Sign Language)"][1:] == ["7", "7", "0"]
    workbook = load_workbook(io.BytesIO(client.get("/dashboard/results/export/all.xlsx?year=2021").data))
    districts = {row[0]: row for row in workbook["By district"].iter_rows(values_only=True)}
    assert districts["Qingshan District"][4] == "not shown"


def test_text_that_looks_like_a_formula_stays_text(app, client, make_user):
    with app.app_context():
        plan = PlanData()
        team = plan.team(name="=HYPERLINK(\"http://example.com\",\"点我\")")
        plan.assignment(plan.held(at(2021, 3, 3)), team=team, served_minutes=60)
        db.session.commit()
    login(client, make_user(roles=("organizer",)))

    text = client.get("/dashboard/export/volunteer_hours.csv?year=2021").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(client.get("/dashboard/export/volunteer_hours.xlsx?year=2021").data)).active
    cell = sheet["A2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
