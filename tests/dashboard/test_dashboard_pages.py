"""The dashboard and public results pages: who may see them, what they show, small cells
hidden on the public page, the charts' text alternatives, and a fixed number of queries."""
import re

import pytest

from activity_hub.dashboard.report import HIDDEN, suppress
from activity_hub.extensions import db

from tests.conftest import login, recorded_statements
from .conftest import PlanData, at


@pytest.fixture
def year_2021(app):
    """A small 2021: events held in two districts, needs asked, a team with hours, targets."""
    with app.app_context():
        plan = PlanData()
        big = plan.event(at(2021, 5, 16), category="culture", district_code="jianghan",
                         provisions=["sign_language", "captions"])
        for n in range(12):
            plan.attend(big, companions=1 if n < 4 else 0, needs=["sign_language"] if n < 7 else ["captions"])
        small = plan.event(at(2021, 6, 9), category="legal", district_code="qingshan")
        plan.attend(small, needs=["braille"], user=plan.resident(name="秘密居民"))
        plan.attend(small)
        team = plan.team(name="江汉区手语志愿者队")
        plan.trained(team, 2021)
        for minutes in (120, 60, 60, 90, 30, 45):
            plan.assignment(big, team=team, served_minutes=minutes, skill="sign_language")
        plan.target("culture_sports_events", "culture_sports_events_held", target=15, unit="events",
                    label_zh="举办群众性文化体育活动", label_en="Mass cultural and sports events held")
        plan.target("legal_sessions", "legal_sessions_held", target=50, label_zh="普法宣传教育活动")
        plan.target("person_times", "person_times", target=3000, unit="person_times", label_zh="参加活动人次")
        plan.target("jobs", "manual", target=1000, unit="people", manual_actual=420, label_zh="推荐残疾人上岗就业")
        db.session.commit()


def test_resident_and_volunteer_may_not_see_the_dashboard(client, make_user, year_2021):
    for roles in (("resident",), ("volunteer", "resident"), ("team_leader", "volunteer")):
        login(client, make_user(roles=roles))
        assert client.get("/dashboard/?year=2021").status_code == 403
        assert client.get("/dashboard/export/districts.csv?year=2021").status_code == 403
        assert client.get("/dashboard/targets?year=2021").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_for_the_dashboard_but_see_the_public_page(client, year_2021):
    response = client.get("/dashboard/?year=2021")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/dashboard/results?year=2021").status_code == 200
    assert client.get("/dashboard/results/export/districts.csv?year=2021").status_code == 200


def test_organizer_sees_each_target_with_figure_percentage_bar_and_definition(client, make_user, year_2021):
    login(client, make_user(roles=("organizer",), role_district_code="wuchang"))
    html = client.get("/dashboard/?year=2021").get_data(as_text=True)

    assert "<h1>计划进度 2021</h1>" in html
    assert html.count("<h1") == 1
    assert "举办群众性文化体育活动" in html
    assert "已完成 1，目标 15 场" in html
    assert "已完成目标的 6%" in html                        # 1 of 15 events, rounded down
    assert '<progress class="progress" aria-hidden="true" max="100" value="6' in html
    assert "已完成 420，目标 1,000 人" in html and "已完成目标的 42%" in html   # the hand-entered figure
    assert "至少有一名报名居民签到" in html                    # the definition, beside the figure


def test_the_dashboard_in_english_shows_figures_and_definitions(client, make_user, year_2021):
    client.set_cookie("lang", "en")
    login(client, make_user(roles=("organizer",)))
    html = client.get("/dashboard/?year=2021").get_data(as_text=True)

    assert "<title>Plan progress 2021" in html
    assert "1 of 15 events" in html
    assert "6% reached" in html and "Not yet reached" in html
    assert "at least one registered resident was checked in" in html
    # person-times: 12 residents + 4 companions at the culture event, 2 at the legal session
    assert "18 of 3,000 person-times" in html


def test_charts_are_svg_images_with_a_title_a_summary_and_the_same_numbers_in_a_table(client, make_user,
                                                                                      year_2021):
    client.set_cookie("lang", "en")
    login(client, make_user(roles=("admin",)))
    html = client.get("/dashboard/?year=2021").get_data(as_text=True)

    svgs = re.findall(r"<svg[^>]*>", html)
    assert len(svgs) == 5
    for svg in svgs:
        assert 'role="img"' in svg and "aria-labelledby" in svg
    assert '<title id="months-events-title">Events held by month</title>' in html
    assert "Person-times: 18 in all. Highest Person-times: Jianghan District (16)." in html
    assert '<th scope="col"' in html and '<th scope="row">Jianghan District</th>' in html
    # The needs chart tells "asked" from "met" by a hatched pattern and a legend, not colour alone.
    assert 'fill="url(#needs-served-hatch)"' in html
    assert "Volunteer hours by team" in html and "江汉区手语志愿者队" in html
    assert ">6.8<" in html                                # 405 minutes of confirmed hours


def test_public_page_hides_groups_of_fewer_than_five_people(client, year_2021):
    client.set_cookie("lang", "en")
    html = client.get("/dashboard/results?year=2021").get_data(as_text=True)

    assert "fewer than 5 people" in html
    assert "秘密居民" not in html
    districts = re.search(r'<table class="data-table">\s*<caption id="table-districts-caption">.*?</table>', html,
                          re.S).group(0)
    qingshan = re.search(r"Qingshan District</th>(.*?)</tr>", districts, re.S).group(1)
    assert "not shown" in qingshan                         # 2 residents checked in there
    # The total (18) would give Qingshan away by subtraction, so Jianghan's 16 is hidden too.
    jianghan = re.search(r"Jianghan District</th>(.*?)</tr>", districts, re.S).group(1)
    assert jianghan.count("not shown") == 2 and ">1<" in jianghan   # one event held is not a person count
    assert re.search(r"<tfoot>.*>18<.*</tfoot>", districts, re.S)
    assert "Person-times: 18 in all." in html
    needs = re.search(r'<caption id="table-needs-caption">.*?</table>', html, re.S).group(0)
    assert re.search(r"Braille materials</th>\s*<td[^>]*><span class=\"hidden-cell\">not shown", needs)
    # The volunteer team had six volunteers: shown.
    assert "6.8" in html


def test_the_dashboard_itself_shows_every_number(client, make_user, year_2021):
    client.set_cookie("lang", "en")
    login(client, make_user(roles=("organizer",)))
    html = client.get("/dashboard/?year=2021").get_data(as_text=True)
    assert "not shown" not in html
    assert re.search(r"Qingshan District</th>\s*<td class=\"numeric\">1</td>", html)


@pytest.mark.parametrize("values, hidden, total_hidden", [
    ([10, 20, 30], [False, False, False], False),
    ([3, 20, 30], [True, True, False], False),          # one small cell: the smallest other one goes too
    ([3, 4, 30], [True, True, False], False),           # two small cells adding up to 7: enough
    ([1, 2, 30, 40], [True, True, True, False], False),  # 1 + 2 < 5: hide more
    ([0, 3, 0], [False, True, False], True),            # nothing else to hide: the total goes
    ([0, 0, 0], [False, False, False], False),          # zero is nobody
])
def test_small_cell_suppression(values, hidden, total_hidden):
    assert suppress(values) == (hidden, total_hidden)


def test_an_invalid_year_is_a_400_with_the_message_beside_the_field(client, make_user):
    client.set_cookie("lang", "en")
    for url in ("/dashboard/results?year=abc", "/dashboard/results?year=1850"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "<title>Error:" in html
        assert 'class="field-error" id="year-error"' in html
        assert 'aria-invalid="true"' in html
    login(client, make_user(roles=("organizer",)))
    assert client.get("/dashboard/?year=20x1").status_code == 400
    assert client.get("/dashboard/export/districts.csv?year=x").status_code == 400
    assert client.get("/dashboard/export/nothing.csv?year=2021").status_code == 404
    assert client.get("/dashboard/export/districts.pdf?year=2021").status_code == 404


def count_queries(app, client, url):
    with recorded_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_the_pages_run_a_fixed_number_of_queries_whatever_the_data_size(app, client, make_user, year_2021):
    login(client, make_user(roles=("admin",)))
    small = {url: count_queries(app, client, url) for url in ("/dashboard/?year=2021", "/dashboard/results?year=2021",
                                                               "/dashboard/export/all.xlsx?year=2021")}
    with app.app_context():
        plan = PlanData()
        for n in range(25):
            district = ["jiangan", "hanyang", "hongshan", "caidian", "xinzhou"][n % 5]
            event = plan.event(at(2021, n % 12 + 1, 3), category=["culture", "sports", "legal"][n % 3],
                               district_code=district, provisions=["sign_language", "large_print"])
            for k in range(6):
                plan.attend(event, companions=k % 2, needs=["sign_language", "braille", "transport"][: k % 4])
            team = plan.team(district)
            plan.trained(team, 2021)
            plan.assignment(event, team=team, served_minutes=60, skill="sighted_guide")
            plan.project("incubating", incubating_on=at(2021, n % 12 + 1, 5).date())
        plan.target("jobs_2", "manual", target=10, manual_actual=3)
        plan.target("teams", "teams_trained", target=30, unit="teams")
        db.session.commit()
    larger = {url: count_queries(app, client, url) for url in small}
    assert larger == small
    assert small["/dashboard/?year=2021"] <= 12


def test_a_year_without_data_says_so(client, make_user):
    client.set_cookie("lang", "en")
    login(client, make_user(roles=("admin",)))
    html = client.get("/dashboard/?year=2030").get_data(as_text=True)
    assert "No targets have been set for 2030." in html
    assert "Person-times: none yet." in html
    assert "No needs were recorded at events held in 2030 yet." in html
    assert "No volunteer hours have been confirmed for 2030 yet." in html
    assert 'href="/dashboard/targets?year=2030"' in html
