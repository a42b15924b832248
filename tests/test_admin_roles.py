"""Administrators find accounts and grant or withdraw roles (with a district for organizers and team leaders)."""
import re

import pytest
import sqlalchemy as sa

from activity_hub.auth import accounts
from activity_hub.auth.models import RoleGrant, User
from activity_hub.auth.user_directory import PER_PAGE
from activity_hub.districts import District
from activity_hub.extensions import db
from tests.conftest import login, recorded_statements


@pytest.fixture
def admin(client, make_user):
    admin_id = make_user(roles=("admin",), name="管理员")
    login(client, admin_id)
    return admin_id


def district_id(app, code):
    with app.app_context():
        return db.session.scalar(sa.select(District.id).where(District.code == code))


def grants(app, user_id):
    with app.app_context():
        return {(g.role, g.district_id) for g in db.session.get(User, user_id).role_grants}


def html(response):
    return response.get_data(as_text=True)


def listed_names(response):
    return re.findall(r'<th scope="row"><a href="/admin/users/\d+">(.*?)</a></th>', html(response))


# --- finding users ----------------------------------------------------------------------------

def test_search_by_name_phone_and_email(client, admin, make_user):
    make_user(name="张敏", login="13800000101")
    make_user(name="李强", login="li.qiang@example.com")
    make_user(name="王芳", login="13900000202")
    assert listed_names(client.get("/admin/users?q=张")) == ["张敏"]
    assert listed_names(client.get("/admin/users?q=13800000101")) == ["张敏"]
    assert listed_names(client.get("/admin/users?q=0000202")) == ["王芳"]  # some digits of a number
    assert listed_names(client.get("/admin/users?q=LI.QIANG")) == ["李强"]
    assert listed_names(client.get("/admin/users?q=example.com")) == ["李强"]
    assert listed_names(client.get("/admin/users?q=nobody")) == []


def test_filter_by_role(client, admin, make_user):
    make_user(name="组织者甲", roles=("organizer",), role_district_code="wuchang")
    make_user(name="居民乙")
    assert listed_names(client.get("/admin/users?role=organizer")) == ["组织者甲"]
    assert "管理员" in listed_names(client.get("/admin/users?role=admin"))


def test_list_shows_roles_with_their_district(client, admin, make_user):
    make_user(name="赵磊", roles=("organizer",), role_district_code="wuchang")
    make_user(name="陈静", roles=("organizer",), role_district_code=None)
    page = html(client.get("/admin/users?role=organizer"))
    row = page[page.index("赵磊"):]
    assert "武昌区" in row[:row.index("</tr>")]
    row = page[page.index("陈静"):]
    assert "全市" in row[:row.index("</tr>")] or "Whole city" in row[:row.index("</tr>")]


def test_results_are_paginated(client, admin, make_user):
    for number in range(PER_PAGE + 5):
        make_user(name=f"居民{number:03d}")
    first = client.get("/admin/users?q=居民")
    assert len(listed_names(first)) == PER_PAGE
    assert 'rel="next"' in html(first) and 'rel="prev"' not in html(first)
    second = client.get("/admin/users?q=居民&page=2")
    assert len(listed_names(second)) == 5
    assert 'rel="prev"' in html(second)
    assert not set(listed_names(first)) & set(listed_names(second))
    # The search is kept in the page links.
    assert "q=%E5%B1%85%E6%B0%91" in html(first)
    assert client.get("/admin/users?q=居民&page=99").status_code == 200


def count_queries(app, client, url):
    with recorded_statements(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_list_page_uses_a_fixed_number_of_queries(app, client, admin, make_user):
    make_user(name="少", roles=("organizer", "volunteer"), role_district_code="hanyang")
    few = count_queries(app, client, "/admin/users")
    for number in range(PER_PAGE):
        make_user(name=f"多{number}", roles=("team_leader", "volunteer"), role_district_code="qingshan",
                  district_code="hongshan")
    many = count_queries(app, client, "/admin/users")
    assert few == many
    assert many <= 8


# --- one user's page --------------------------------------------------------------------------

def test_user_page_shows_details_and_roles_with_scope(client, admin, make_user):
    user_id = make_user(name="王芳", login="13900000303", roles=("team_leader", "volunteer"),
                        role_district_code="wuchang")
    page = html(client.get(f"/admin/users/{user_id}"))
    assert "<h1>王芳</h1>" in page
    assert "13900000303" in page
    assert "武昌区" in page
    assert f"/admin/users/{user_id}/roles/team_leader/withdraw" in page
    assert f"/admin/users/{user_id}/roles/volunteer/withdraw" in page
    assert 'name="role"' in page and 'name="district"' in page


# --- granting ---------------------------------------------------------------------------------

def test_grant_organizer_for_a_district(app, client, admin, make_user):
    user_id = make_user()
    wuchang, hanyang = district_id(app, "wuchang"), district_id(app, "hanyang")
    response = client.post(f"/admin/users/{user_id}/roles", data={"role": "organizer", "district": str(wuchang)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/users/{user_id}")
    assert grants(app, user_id) == {("resident", None), ("organizer", wuchang)}
    with app.app_context():
        user = db.session.get(User, user_id)
        assert accounts.organizer_scope(user) == {wuchang}
        assert accounts.can_manage_district(user, wuchang)
        assert not accounts.can_manage_district(user, hanyang)
        grant = next(g for g in user.role_grants if g.role == "organizer")
        assert grant.granted_by_id == admin
    assert "武昌区" in html(client.get(f"/admin/users/{user_id}"))  # the flash message and the table


def test_grant_city_wide_organizer(app, client, admin, make_user):
    user_id = make_user()
    client.post(f"/admin/users/{user_id}/roles", data={"role": "organizer", "district": ""})
    assert ("organizer", None) in grants(app, user_id)
    with app.app_context():
        assert accounts.organizer_scope(db.session.get(User, user_id)) is None


def test_grant_team_leader_for_a_district_and_volunteer_without_one(app, client, admin, make_user):
    user_id = make_user()
    hanyang = district_id(app, "hanyang")
    client.post(f"/admin/users/{user_id}/roles", data={"role": "team_leader", "district": str(hanyang)})
    client.post(f"/admin/users/{user_id}/roles", data={"role": "volunteer", "district": ""})
    assert grants(app, user_id) == {("resident", None), ("team_leader", hanyang), ("volunteer", None)}


def test_granting_a_held_role_again_moves_it_to_the_new_district(app, client, admin, make_user):
    user_id = make_user(roles=("organizer",), role_district_code="wuchang")
    hanyang = district_id(app, "hanyang")
    client.post(f"/admin/users/{user_id}/roles", data={"role": "organizer", "district": str(hanyang)})
    assert grants(app, user_id) == {("organizer", hanyang)}
    client.post(f"/admin/users/{user_id}/roles", data={"role": "organizer", "district": ""})
    assert grants(app, user_id) == {("organizer", None)}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(RoleGrant.id)).where(RoleGrant.user_id == user_id)) == 1


def test_granting_a_role_already_held_says_so_and_changes_nothing(app, client, admin, make_user):
    user_id = make_user(roles=("volunteer",))
    response = client.post(f"/admin/users/{user_id}/roles", data={"role": "volunteer", "district": ""},
                           follow_redirects=True)
    assert response.status_code == 200
    assert grants(app, user_id) == {("volunteer", None)}


def test_a_user_can_hold_several_roles(app, client, admin, make_user):
    user_id = make_user()
    for role in ("volunteer", "team_leader", "organizer", "admin"):
        client.post(f"/admin/users/{user_id}/roles", data={"role": role, "district": ""})
    assert {role for role, _d in grants(app, user_id)} == {"resident", "volunteer", "team_leader", "organizer", "admin"}


# --- withdrawing ------------------------------------------------------------------------------

def test_withdraw_asks_first_then_withdraws(app, client, admin, make_user):
    user_id = make_user(name="赵磊", roles=("organizer", "resident"), role_district_code="wuchang")
    confirm = client.get(f"/admin/users/{user_id}/roles/organizer/withdraw")
    assert confirm.status_code == 200
    page = html(confirm)
    assert "<h1>" in page and "赵磊" in page and "武昌区" in page
    assert 'method="post"' in page
    assert ("organizer", district_id(app, "wuchang")) in grants(app, user_id)  # asking changed nothing

    response = client.post(f"/admin/users/{user_id}/roles/organizer/withdraw")
    assert response.status_code == 302
    assert grants(app, user_id) == {("resident", None)}
    with app.app_context():
        assert accounts.organizer_scope(db.session.get(User, user_id)) == set()


def test_admin_cannot_withdraw_their_own_admin_role(app, client, admin):
    page = html(client.get(f"/admin/users/{admin}/roles/admin/withdraw"))
    assert "Yes, withdraw" not in page and "是，收回" not in page
    assert client.post(f"/admin/users/{admin}/roles/admin/withdraw").status_code == 400
    assert ("admin", None) in grants(app, admin)


def test_another_admin_can_withdraw_an_admin_role(app, client, admin, make_user):
    other = make_user(roles=("admin", "resident"))
    assert client.post(f"/admin/users/{other}/roles/admin/withdraw").status_code == 302
    assert grants(app, other) == {("resident", None)}


def test_the_last_role_cannot_be_withdrawn(app, client, admin, make_user):
    user_id = make_user(roles=("resident",))
    response = client.post(f"/admin/users/{user_id}/roles/resident/withdraw")
    assert response.status_code == 400
    assert grants(app, user_id) == {("resident", None)}


def test_withdrawn_admin_loses_access_at_once(app, client, admin, make_user):
    other = make_user(roles=("admin", "resident"))
    other_client = app.test_client()
    login(other_client, other)
    assert other_client.get("/admin/users").status_code == 200
    client.post(f"/admin/users/{other}/roles/admin/withdraw")
    assert other_client.get("/admin/users").status_code == 403
