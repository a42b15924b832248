"""Sign-up, log-in, log-out, remember me, language, password change, role checks and CSRF."""
import re

import pytest
import sqlalchemy as sa

from activity_hub.auth.models import User
from activity_hub.extensions import db
from tests.conftest import login, messages_to, sent_code

PASSWORD = "correct horse 1"


def log_in(client, login_name, password=PASSWORD, remember=False, **kwargs):
    data = {"login": login_name, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data, **kwargs)


def user_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(User.id)))


def get_user(app, **where):
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(**where))
        if user is not None:
            db.session.expunge(user)
        return user


def page_text(response):
    return response.get_data(as_text=True)


def test_sign_up_with_a_mobile_number_keeps_the_account_and_logs_in_with_the_code_sent(app, client):
    response = client.post("/signup", data={
        "login": "138 0013 8000", "display_name": "张敏", "password": PASSWORD, "confirm": PASSWORD, "district": "",
    })
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login/code/enter")
    page = page_text(client.get("/login/code/enter"))
    assert "13800138000" in page or "138 0013 8000" in page
    response = client.post("/login/code/enter", data={"login": "13800138000", "code": sent_code(app, "13800138000")})
    assert response.status_code == 302
    user = get_user(app, phone="13800138000")
    assert user is not None and user.display_name == "张敏"
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash
    with app.app_context():
        assert db.session.get(User, user.id).roles == {"resident"}
    assert "张敏" in page_text(client.get("/account"))


def test_sign_up_with_an_email_address_and_a_district(app, client):
    with app.app_context():
        from activity_hub.districts import District
        hongshan = db.session.scalar(sa.select(District.id).where(District.code == "hongshan"))
    response = client.post("/signup", data={
        "login": "Li.Qiang@Example.com", "display_name": "Li Qiang", "password": PASSWORD, "confirm": PASSWORD,
        "district": str(hongshan),
    })
    assert response.status_code == 302
    user = get_user(app, email="li.qiang@example.com")
    assert user.phone is None and user.district_id == hongshan


def test_sign_up_with_an_existing_number_reads_the_same_and_tells_the_owner(app, client, make_user):
    make_user(login="13800138001")
    data = {"login": "13800138001", "display_name": "又一个", "password": PASSWORD, "confirm": PASSWORD, "district": ""}
    taken = client.post("/signup", data=data)
    taken_page = page_text(client.get("/login/code/enter"))
    fresh_client = app.test_client()
    fresh = fresh_client.post("/signup", data={**data, "login": "13800138091"})
    fresh_page = page_text(fresh_client.get("/login/code/enter"))
    assert (taken.status_code, taken.headers["Location"]) == (fresh.status_code, fresh.headers["Location"]) == (
        302, "/login/code/enter")
    assert taken_page.replace("13800138001", "N") == fresh_page.replace("13800138091", "N")
    assert "already" not in taken_page and "已存在" not in taken_page
    assert user_count(app) == 2
    # The owner hears of it, and is sent no code: the stranger cannot get in.
    assert [kind for kind, _subject, _body in messages_to(app, "13800138001")] == ["signup_attempt_on_existing"]
    # A stranger repeating it does not flood the owner.
    client.post("/signup", data=data)
    assert len(messages_to(app, "13800138001")) == 1


def test_sign_up_page_remembers_the_chosen_language_on_the_new_account(app, client):
    client.get("/language?lang=en&next=/signup")
    client.post("/signup", data={
        "login": "13800138002", "display_name": "Wang", "password": PASSWORD, "confirm": PASSWORD, "district": "",
    })
    assert get_user(app, phone="13800138002").locale == "en"


def test_log_in_and_log_out(app, client, make_user):
    make_user(login="13800138003", name="赵磊")
    response = log_in(client, "13800138003")
    assert response.status_code == 302
    assert "赵磊" in page_text(client.get("/account"))
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_log_out_is_a_post_only(client, make_user):
    user_id = make_user()
    login(client, user_id)
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_log_in_with_email_in_any_case_and_phone_with_country_code(client, make_user):
    make_user(login="chen.jing@example.com")
    assert log_in(client, "Chen.Jing@EXAMPLE.com").status_code == 302
    client.post("/logout")
    make_user(login="13800138004")
    assert log_in(client, "+86 138-0013-8004").status_code == 302


def test_wrong_password_is_refused_with_a_message_beside_the_field(client, make_user):
    make_user(login="13800138005")
    response = log_in(client, "13800138005", "wrong password")
    assert response.status_code == 400
    html = page_text(response)
    assert 'id="password-error"' in html
    assert 'aria-invalid="true"' in html
    assert client.get("/account").status_code == 302


def test_unknown_account_gets_the_same_answer_as_a_wrong_password(client, make_user):
    make_user(login="13800138006")
    wrong_password = log_in(client, "13800138006", "wrong password")
    no_account = log_in(client, "13900000000", "wrong password")
    assert wrong_password.status_code == no_account.status_code == 400
    message = re.compile(r'id="password-error">(.*?)</p>', re.S)
    assert message.search(page_text(wrong_password)).group(1) == message.search(page_text(no_account)).group(1)


def test_inactive_account_cannot_log_in(client, make_user):
    make_user(login="13800138007", is_active_account=False)
    assert log_in(client, "13800138007").status_code == 400


def test_next_parameter_is_followed_only_within_the_site(client, make_user):
    make_user(login="13800138008")
    response = log_in(client, "13800138008", query_string={"next": "/account/password"})
    assert response.headers["Location"].endswith("/account/password")
    client.post("/logout")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "/\t/evil.example"):
        response = log_in(client, "13800138008", query_string={"next": target})
        assert "evil" not in response.headers["Location"], target
        client.post("/logout")


def test_remember_me_sets_a_lasting_httponly_cookie_that_logs_in_again(client, make_user):
    make_user(login="13800138009")
    response = log_in(client, "13800138009", remember=True)
    remember = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert remember, response.headers.getlist("Set-Cookie")
    assert "HttpOnly" in remember[0] and "Expires=" in remember[0]
    # The browser is closed: the session cookie is gone, the remember cookie stays.
    client.delete_cookie("session")
    assert client.get("/account").status_code == 200


def test_without_remember_me_closing_the_browser_logs_out(client, make_user):
    make_user(login="13800138010")
    response = log_in(client, "13800138010")
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    session_cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")][0]
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "Expires=" not in session_cookie  # ends with the browser session
    client.delete_cookie("session")
    assert client.get("/account").status_code == 302


def test_log_out_forgets_the_remember_cookie(client, make_user):
    make_user(login="13800138011")
    log_in(client, "13800138011", remember=True)
    client.post("/logout")
    client.delete_cookie("session")
    assert client.get("/account").status_code == 302


def test_change_password(app, client, make_user):
    make_user(login="13800138012")
    log_in(client, "13800138012")
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "password": "a new long password", "confirm": "a new long password",
    })
    assert response.status_code == 302
    client.post("/logout")
    assert log_in(client, "13800138012", PASSWORD).status_code == 400
    assert log_in(client, "13800138012", "a new long password").status_code == 302


def test_changing_the_password_logs_out_other_devices_but_not_this_one(app, make_user):
    make_user(login="13800138015")
    phone, laptop = app.test_client(), app.test_client()
    log_in(phone, "13800138015", remember=True)
    log_in(laptop, "13800138015", remember=True)
    response = laptop.post("/account/password", data={
        "current_password": PASSWORD, "password": "a new long password", "confirm": "a new long password",
    })
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200
    laptop.delete_cookie("session")
    assert laptop.get("/account").status_code == 200  # its renewed remember-me cookie still works
    assert phone.get("/account").status_code == 302
    phone.delete_cookie("session")
    assert phone.get("/account").status_code == 302  # the old remember-me cookie no longer does


def test_switched_off_account_is_logged_out(app, client, make_user):
    user_id = make_user(login="13800138016")
    log_in(client, "13800138016")
    with app.app_context():
        db.session.get(User, user_id).is_active_account = False
        db.session.commit()
    assert client.get("/account").status_code == 302


def test_change_password_needs_the_current_password(app, client, make_user):
    user_id = make_user(login="13800138013")
    login(client, user_id)
    before = get_user(app, id=user_id).password_hash
    response = client.post("/account/password", data={
        "current_password": "not my password", "password": "a new long password", "confirm": "a new long password",
    })
    assert response.status_code == 400
    assert 'id="current_password-error"' in page_text(response)
    assert get_user(app, id=user_id).password_hash == before


def test_profile_saves_details_and_needs(app, client, make_user):
    user_id = make_user()
    login(client, user_id)
    page = client.get("/account")
    assert page.status_code == 200
    response = client.post("/account", data={
        "display_name": "刘洋", "district": "", "locale": "en", "default_needs": ["sign_language", "captions"],
        "default_needs_note": "请安排靠前的座位", "text_only_contact": "y",
        "emergency_contact_name": "刘妈妈", "emergency_contact_phone": "13912345678",
    })
    assert response.status_code == 302
    user = get_user(app, id=user_id)
    assert user.display_name == "刘洋"
    assert user.default_needs == ["sign_language", "captions"]
    assert user.text_only_contact is True
    assert user.emergency_contact_phone == "13912345678"
    assert user.locale == "en"
    assert '<html lang="en"' in page_text(client.get("/account"))


def test_account_pages_need_a_login(client):
    for url in ("/account", "/account/password"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login?next=" in response.headers["Location"]


# --- language ---------------------------------------------------------------------------------

def test_default_language_is_chinese_with_the_right_html_lang(client):
    html = page_text(client.get("/login"))
    assert '<html lang="zh-CN"' in html


def test_language_switch_is_remembered_in_a_cookie(client):
    response = client.get("/language?lang=en&next=/signup")
    assert response.status_code == 302 and response.headers["Location"].endswith("/signup")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert '<html lang="en"' in page_text(client.get("/signup"))
    client.get("/language?lang=zh_CN&next=/signup")
    assert '<html lang="zh-CN"' in page_text(client.get("/signup"))


def test_language_switch_is_remembered_on_the_account(app, client, make_user):
    user_id = make_user(login="13800138014")
    log_in(client, "13800138014")
    client.get("/language?lang=en&next=/account")
    assert get_user(app, id=user_id).locale == "en"
    # On another device (no language cookie) the account's choice applies after logging in.
    other = app.test_client()
    log_in(other, "13800138014")
    assert '<html lang="en"' in page_text(other.get("/account"))


def test_language_switch_refuses_offsite_next(client):
    response = client.get("/language?lang=en&next=https://evil.example/")
    assert "evil" not in response.headers["Location"]


def test_unknown_language_falls_back_to_chinese(client):
    client.get("/language?lang=xx&next=/login")
    assert '<html lang="zh-CN"' in page_text(client.get("/login"))


# --- role checks ------------------------------------------------------------------------------

ADMIN_PAGES = ("/admin/users", "/admin/users/{id}", "/admin/users/{id}/roles/resident/withdraw")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_resident_gets_403_on_admin_pages(client, make_user, path):
    resident = make_user(roles=("resident",))
    login(client, resident)
    response = client.get(path.format(id=resident))
    assert response.status_code == 403
    assert "<h1>" in page_text(response)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, make_user, path):
    resident = make_user()
    response = client.get(path.format(id=resident))
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_organizer_is_not_an_admin(client, make_user):
    organizer = make_user(roles=("organizer",))
    login(client, organizer)
    assert client.get("/admin/users").status_code == 403
    assert client.post(f"/admin/users/{organizer}/roles", data={"role": "admin", "district": ""}).status_code == 403


def test_admin_link_appears_only_for_admins(client, make_user):
    resident, admin = make_user(), make_user(roles=("admin",))
    login(client, resident)
    assert "/admin/users" not in page_text(client.get("/account"))
    login(client, admin)
    assert "/admin/users" in page_text(client.get("/account"))


# --- CSRF -------------------------------------------------------------------------------------

@pytest.fixture
def csrf_client(make_app):
    return make_app(WTF_CSRF_ENABLED=True).test_client()


def test_forged_sign_up_without_token_is_rejected_and_creates_nothing(app, csrf_client):
    response = csrf_client.post("/signup", data={
        "login": "13800138020", "display_name": "伪造", "password": PASSWORD, "confirm": PASSWORD, "district": "",
    })
    assert response.status_code == 400
    assert "<h1>" in page_text(response)
    assert user_count(app) == 0


def test_forged_role_grant_is_rejected_and_changes_nothing(app, csrf_client, make_user):
    admin, resident = make_user(roles=("admin",)), make_user()
    login(csrf_client, admin)
    response = csrf_client.post(f"/admin/users/{resident}/roles", data={"role": "admin", "district": ""})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, resident).roles == {"resident"}


def test_forged_log_out_and_password_change_are_rejected(app, csrf_client, make_user):
    user_id = make_user()
    login(csrf_client, user_id)
    before = get_user(app, id=user_id).password_hash
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.post("/account/password", data={
        "current_password": PASSWORD, "password": "hijacked password", "confirm": "hijacked password",
    }).status_code == 400
    assert get_user(app, id=user_id).password_hash == before
    assert csrf_client.get("/account").status_code == 200  # still logged in


def test_form_with_its_token_is_accepted(app, csrf_client):
    page = page_text(csrf_client.get("/signup"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post("/signup", data={
        "csrf_token": token, "login": "13800138021", "display_name": "真实", "password": PASSWORD,
        "confirm": PASSWORD, "district": "",
    })
    assert response.status_code == 302
    assert user_count(app) == 1
