"""Bad input on every account form: a message beside the field, HTTP 400, never a 500, nothing half-written."""
import pytest
import sqlalchemy as sa

from activity_hub.auth.models import RoleGrant, User
from activity_hub.extensions import db
from tests.conftest import login, sent_code

PASSWORD = "correct horse 1"
SIGNUP_OK = {"login": "13500000001", "display_name": "王小明", "password": PASSWORD, "confirm": PASSWORD, "district": ""}


def assert_error_beside(response, *fields):
    html = response.get_data(as_text=True)
    assert response.status_code == 400, (response.status_code, html[:500])
    assert 'class="error-summary"' in html
    for field in fields:
        assert f'id="{field}-error"' in html, field
        assert f'href="#{field}"' in html, field
    assert "<title>" in html and ("<title>Error:" in html or "<title>错误" in html)
    return html


def sign_up_and_enter_the_code(app, client, **data):
    """Sign up, then log in with the code the sign-up sent (as a new resident does)."""
    response = client.post("/signup", data={**SIGNUP_OK, **data})
    assert response.status_code == 302
    login_name = data.get("login", SIGNUP_OK["login"])
    assert client.post("/login/code/enter", data={"login": login_name, "code": sent_code(app, login_name)}).status_code == 302
    return response


def users(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(User.id)))


def user_row(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        return {"name": user.display_name, "needs": list(user.default_needs), "district": user.district_id,
                "note": user.default_needs_note, "phone": user.emergency_contact_phone, "locale": user.locale,
                "hash": user.password_hash, "roles": {(g.role, g.district_id) for g in user.role_grants}}


# --- sign-up ----------------------------------------------------------------------------------

def test_empty_sign_up(app, client):
    response = client.post("/signup", data={"login": "", "display_name": "", "password": "", "confirm": "", "district": ""})
    assert_error_beside(response, "login", "display_name", "password", "confirm")
    assert users(app) == 0


def test_whitespace_only_is_empty(app, client):
    response = client.post("/signup", data={**SIGNUP_OK, "login": "   ", "display_name": "  \u3000 "})
    assert_error_beside(response, "login", "display_name")
    assert users(app) == 0


@pytest.mark.parametrize("field, value", [
    ("login", "1" * 255),
    ("login", "a" * 250 + "@example.com"),
    ("display_name", "名" * 81),
    ("password", "p" * 129),
])
def test_too_long_sign_up_fields(app, client, field, value):
    data = {**SIGNUP_OK, field: value}
    if field == "password":
        data["confirm"] = value
    assert_error_beside(client.post("/signup", data=data), field)
    assert users(app) == 0


@pytest.mark.parametrize("value", [
    "1380013800",  # 10 digits
    "138001380001",  # 12 digits
    "23800138000",  # does not start with 1
    "12800138000",  # no mobile prefix 12
    "138-0013-800a",
    "١٣٨٠٠١٣٨٠٠٠",  # Arabic-Indic digits
    "name@",
    "@example.com",
    "name@example",
    "name@@example.com",
    "na me@example.com",
    "name@exa\u0000mple.com",
    "<script>@x.com",
])
def test_malformed_phone_or_email(app, client, value):
    assert_error_beside(client.post("/signup", data={**SIGNUP_OK, "login": value}), "login")
    assert users(app) == 0


def test_full_width_digits_from_a_chinese_keyboard_are_understood(app, client):
    response = client.post("/signup", data={**SIGNUP_OK, "login": "１３５０００００００２"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(User.phone)) == "13500000002"


def test_mismatched_passwords(app, client):
    html = assert_error_beside(client.post("/signup", data={**SIGNUP_OK, "confirm": "something else"}), "confirm")
    assert 'id="password-error"' not in html
    assert users(app) == 0


def test_short_password(app, client):
    assert_error_beside(client.post("/signup", data={**SIGNUP_OK, "password": "short", "confirm": "short"}), "password")


def test_unknown_district(app, client):
    assert_error_beside(client.post("/signup", data={**SIGNUP_OK, "district": "99999"}), "district")
    assert_error_beside(client.post("/signup", data={**SIGNUP_OK, "district": "not-a-number"}), "district")
    assert users(app) == 0


def test_control_characters_in_a_name(app, client):
    assert_error_beside(client.post("/signup", data={**SIGNUP_OK, "display_name": "王\u0000小明"}), "display_name")
    assert_error_beside(client.post("/signup", data={**SIGNUP_OK, "display_name": "王\u0007小明"}), "display_name")
    assert users(app) == 0


def test_chinese_and_emoji_in_a_name_are_kept_exactly(app, client):
    name = "王小明😀 👩‍🦽 ①"
    sign_up_and_enter_the_code(app, client, display_name=name)
    with app.app_context():
        assert db.session.scalar(sa.select(User.display_name)) == name
    assert name in client.get("/account").get_data(as_text=True)


def test_html_in_a_name_is_stored_as_text_and_shown_escaped(app, client):
    name = '<script>alert("x")</script><b>粗体</b>'
    sign_up_and_enter_the_code(app, client, display_name=name)
    with app.app_context():
        assert db.session.scalar(sa.select(User.display_name)) == name
    html = client.get("/account").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>粗体</b>" not in html
    assert "&lt;script&gt;alert" in html


def test_errors_keep_what_was_typed_except_passwords(client):
    html = client.post("/signup", data={**SIGNUP_OK, "confirm": "different"}).get_data(as_text=True)
    assert 'value="13500000001"' in html and 'value="王小明"' in html
    assert PASSWORD not in html


# --- log-in -----------------------------------------------------------------------------------

def test_empty_log_in(client):
    assert_error_beside(client.post("/login", data={"login": "", "password": ""}), "login", "password")


@pytest.mark.parametrize("login_value, password", [
    ("1" * 255, PASSWORD),
    ("13500000001", "p" * 129),
    ("13500000\u000001", PASSWORD),
])
def test_bad_log_in_values(client, login_value, password):
    response = client.post("/login", data={"login": login_value, "password": password})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)


@pytest.mark.parametrize("login_value", ["王小明😀", "<b>13500000001</b>", "' OR 1=1 --", "name@example.com\u3000"])
def test_odd_log_in_text_is_just_a_failed_login(client, make_user, login_value):
    make_user(login="13500000003")
    assert_error_beside(client.post("/login", data={"login": login_value, "password": PASSWORD}), "password")
    assert client.get("/account").status_code == 302


# --- profile ----------------------------------------------------------------------------------

@pytest.fixture
def resident(app, client, make_user):
    user_id = make_user(name="原名", default_needs=["captions"], default_needs_note="原来的说明")
    login(client, user_id)
    return user_id


PROFILE_OK = {"display_name": "新名字", "district": "", "locale": "zh_CN", "default_needs": ["braille"],
              "default_needs_note": "新的说明", "emergency_contact_name": "", "emergency_contact_phone": ""}


@pytest.mark.parametrize("field, value", [
    ("display_name", ""),
    ("display_name", "名" * 81),
    ("display_name", "<b>\u0000</b>"),
    ("default_needs_note", "长" * 501),
    ("emergency_contact_name", "名" * 81),
    ("emergency_contact_phone", "12345"),
    ("emergency_contact_phone", "1" * 21),
    ("emergency_contact_phone", "help@example.com"),
    ("district", "99999"),
    ("locale", "fr"),
    ("default_needs", ["braille", "x-ray-vision"]),
])
def test_bad_profile_input_changes_nothing(app, client, resident, field, value):
    before = user_row(app, resident)
    assert_error_beside(client.post("/account", data={**PROFILE_OK, field: value}), field)
    assert user_row(app, resident) == before


def test_profile_accepts_html_and_emoji_as_text(app, client, resident):
    response = client.post("/account", data={**PROFILE_OK, "display_name": "<i>李</i>🙂",
                                             "default_needs_note": "<script>x</script> 需要轮椅🦽"})
    assert response.status_code == 302
    row = user_row(app, resident)
    assert row["name"] == "<i>李</i>🙂" and row["note"] == "<script>x</script> 需要轮椅🦽"
    html = client.get("/account").get_data(as_text=True)
    assert "<i>李</i>" not in html and "<script>x</script>" not in html


# --- change password --------------------------------------------------------------------------

@pytest.mark.parametrize("data, fields", [
    ({"current_password": "", "password": "", "confirm": ""}, ("current_password", "password", "confirm")),
    ({"current_password": PASSWORD, "password": "short", "confirm": "short"}, ("password",)),
    ({"current_password": PASSWORD, "password": "p" * 129, "confirm": "p" * 129}, ("password",)),
    ({"current_password": PASSWORD, "password": "a new password", "confirm": "another one"}, ("confirm",)),
    ({"current_password": "wrong!", "password": "a new password", "confirm": "a new password"}, ("current_password",)),
])
def test_bad_password_change_changes_nothing(app, client, resident, data, fields):
    before = user_row(app, resident)["hash"]
    assert_error_beside(client.post("/account/password", data=data), *fields)
    assert user_row(app, resident)["hash"] == before


# --- administrators' forms --------------------------------------------------------------------

@pytest.fixture
def admin_client(client, make_user):
    login(client, make_user(roles=("admin",)))
    return client


@pytest.mark.parametrize("data, field", [
    ({"role": "", "district": ""}, "role"),
    ({"role": "superuser", "district": ""}, "role"),
    ({"role": "organizer", "district": "99999"}, "district"),
    ({"role": "organizer", "district": "abc"}, "district"),
    ({"role": "volunteer", "district": "1"}, "district"),  # only organizers and team leaders have a district
    ({"role": "admin", "district": "1"}, "district"),
])
def test_bad_role_grant_changes_nothing(app, admin_client, make_user, data, field):
    target = make_user()
    before = user_row(app, target)["roles"]
    assert_error_beside(admin_client.post(f"/admin/users/{target}/roles", data=data), field)
    assert user_row(app, target)["roles"] == before
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(RoleGrant.id)).where(RoleGrant.user_id == target)) == 1


def test_search_that_is_too_long_or_has_control_characters(admin_client):
    assert_error_beside(admin_client.get("/admin/users", query_string={"q": "x" * 101}), "q")
    assert_error_beside(admin_client.get("/admin/users", query_string={"q": "a\u0000b"}), "q")


@pytest.mark.parametrize("query", ["%", "_", "\\", "😀", "<script>", "' OR 1=1 --", "王"])
def test_odd_search_text_is_searched_for_literally(admin_client, make_user, query):
    make_user(name="普通用户")
    response = admin_client.get("/admin/users", query_string={"q": query})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "普通用户" not in html
    assert "<script>" not in html.split("<main", 1)[1].replace('<script src="/static/js/site.js" defer></script>', "")


def test_unknown_role_filter_is_an_error_beside_the_field(admin_client):
    assert_error_beside(admin_client.get("/admin/users", query_string={"role": "superuser"}), "role")


def test_withdrawing_an_unknown_role_is_not_found(admin_client, make_user):
    target = make_user()
    assert admin_client.get(f"/admin/users/{target}/roles/superuser/withdraw").status_code == 404
    assert admin_client.post(f"/admin/users/{target}/roles/organizer/withdraw").status_code == 404
    assert admin_client.get("/admin/users/999999").status_code == 404
