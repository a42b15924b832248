"""Who sees and manages what: volunteers, leaders, organizers of a district, admins."""
import sqlalchemy as sa

from activity_hub.extensions import db
from activity_hub.volunteers.models import TeamMembership
from tests.conftest import login


def test_a_volunteer_cannot_touch_another_volunteers_assignment(app, client, make_event, make_volunteer, make_shift):
    me, other = make_volunteer(), make_volunteer(name="别的志愿者")
    event_id = make_event(title="别人的活动")
    theirs = make_shift(event_id, other, role="秘密角色")
    login(client, me)
    assert client.post(f"/volunteers/my/{theirs}/accept").status_code == 404
    assert client.get(f"/volunteers/my/{theirs}/decline").status_code == 404
    assert client.post(f"/volunteers/my/{theirs}/decline", data={"reason": "x"}).status_code == 404
    html = client.get("/volunteers/my").get_data(as_text=True)
    assert "别人的活动" not in html and "秘密角色" not in html


def test_a_volunteer_sees_no_roster_coverage_or_team_pages(app, client, make_user, make_event, make_volunteer,
                                                           make_team, make_shift):
    volunteer = make_volunteer()
    leader = make_user(roles=("team_leader", "volunteer"))
    team = make_team(leader, members=[volunteer])
    event_id = make_event()
    make_shift(event_id, volunteer)  # even on the event's team
    login(client, volunteer)
    for url in (f"/volunteers/events/{event_id}", f"/volunteers/events/{event_id}/suggestions",
                f"/volunteers/events/{event_id}/assign", f"/volunteers/events/{event_id}/served",
                "/volunteers/events", "/volunteers/teams", f"/volunteers/teams/{team}", "/volunteers/hours",
                "/volunteers/hours/export.csv", "/volunteers/projects", "/volunteers/training"):
        assert client.get(url).status_code == 403, url


def test_residents_and_anonymous_visitors(app, client, make_user):
    assert client.get("/volunteers/my").status_code == 302  # to the login page
    login(client, make_user(roles=("resident",)))
    assert client.get("/volunteers/my").status_code == 403
    nav = client.get("/volunteers/my").get_data(as_text=True)
    assert "/volunteers/teams" not in nav


def test_a_leader_manages_only_their_own_team(app, client, make_user, make_volunteer, make_team):
    leader = make_user(roles=("team_leader", "volunteer"))
    other_leader = make_user(roles=("team_leader", "volunteer"))
    newcomer = make_volunteer(login="13900001111")
    own = make_team(leader, name="我的队")
    other = make_team(other_leader, name="别人的队")
    login(client, leader)
    assert client.get(f"/volunteers/teams/{own}").status_code == 200
    assert client.get(f"/volunteers/teams/{other}").status_code == 403
    assert client.post(f"/volunteers/teams/{other}/members/new", data={"login": "13900001111"}).status_code == 403
    assert client.post(f"/volunteers/teams/{own}/members/new",
                       data={"login": "13900001111", "skills": ["sighted_guide"]}).status_code == 302
    # Leaders do not decide on training completion, names or leaders: organizers do.
    assert client.get(f"/volunteers/teams/{own}/edit").status_code == 403
    assert client.post(f"/volunteers/teams/{own}/training/2026/complete").status_code == 403
    # The team list is visible (no personal data beyond leaders' names), linking to the own team only.
    html = client.get("/volunteers/teams").get_data(as_text=True)
    assert f'/volunteers/teams/{own}' in html and f'/volunteers/teams/{other}"' not in html
    with app.app_context():
        assert db.session.scalar(sa.select(TeamMembership.team_id).where(TeamMembership.user_id == newcomer)) == own


def test_organizers_manage_their_district_only_admins_everything(app, client, make_user, make_event, make_team):
    wuchang = make_user(roles=("organizer",), role_district_code="wuchang")
    hongshan = make_user(roles=("organizer",), role_district_code="hongshan")
    city = make_user(roles=("organizer",))
    admin = make_user(roles=("admin",))
    leader = make_user(roles=("team_leader", "volunteer"))
    team = make_team(leader, district_code="wuchang")
    event_id = make_event(district_code="wuchang")
    urls = [f"/volunteers/teams/{team}", f"/volunteers/teams/{team}/edit", f"/volunteers/events/{event_id}",
            f"/volunteers/events/{event_id}/suggestions", f"/volunteers/events/{event_id}/assign",
            f"/volunteers/teams/{team}/training/2026/complete"]
    for user_id, expected in ((wuchang, 200), (hongshan, 403), (city, 200), (admin, 200)):
        login(client, user_id)
        for url in urls:
            assert client.get(url).status_code == expected, (user_id, url)
    login(client, hongshan)
    assert client.post(f"/volunteers/events/{event_id}/assign", data={}).status_code == 403
