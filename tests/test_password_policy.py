"""The password policy: at least 8 characters, not one of the 10,000 most common passwords, not the
account's own phone number, e-mail address or name; applied wherever a password is set."""
import pytest

from activity_hub.auth import password_policy
from tests.conftest import login, sent_code

ACCOUNT = {"phone": "13800138000", "email": "zhang.min@example.com", "name": "Zhang Min"}


@pytest.mark.parametrize("password", [
    "short1",                 # too short
    "password", "12345678", "iloveyou", "Qwerty123",  # common (any case)
    "13800138000", "my13800138000!",                  # the phone number, or containing it
    "zhang.min@example.com", "zhang.min",             # the e-mail address or its name part
    "zhang min", "ZhangMin",                          # the name
])
def test_refused(app_ctx, password):
    assert password_policy.problem(password, **ACCOUNT) is not None


@pytest.mark.parametrize("password", ["a quiet river 42", "长江大桥上的风很大", "13800138001x but long"])
def test_accepted(app_ctx, password):
    assert password_policy.problem(password, **ACCOUNT) is None


def test_the_list_shipped_has_the_10000_most_common(app_ctx):
    common = password_policy.common_passwords()
    assert len(common) == 10000
    assert {"123456", "password", "qwerty", "111111"} <= common


def test_the_list_is_package_data():
    text = open("pyproject.toml", encoding="utf-8").read()
    assert '"auth/data/*.txt"' in text


SIGNUP = {"login": "13500000901", "display_name": "王小明", "district": ""}


@pytest.mark.parametrize("lang, words", [("en", "most common passwords"), ("zh_CN", "最常见的密码")])
def test_sign_up_says_why_beside_the_field_in_both_languages(app, client, lang, words):
    client.get(f"/language?lang={lang}&next=/")
    response = client.post("/signup", data={**SIGNUP, "password": "password1", "confirm": "password1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="password-error"' in html and words in html


def test_sign_up_refuses_the_phone_number_as_password(app, client):
    response = client.post("/signup", data={**SIGNUP, "password": "13500000901", "confirm": "13500000901"})
    assert response.status_code == 400 and 'id="password-error"' in response.get_data(as_text=True)


def test_change_password_applies_the_policy(app, client, make_user):
    user_id = make_user(login="13500000902", name="赵磊")
    login(client, user_id)
    for password in ("12345678", "赵磊", "x13500000902y"):
        response = client.post("/account/password", data={
            "current_password": "correct horse 1", "password": password, "confirm": password})
        assert response.status_code == 400 and 'id="password-error"' in response.get_data(as_text=True), password


def test_reset_applies_the_policy_and_keeps_the_code(app, client, make_user):
    make_user(login="13500000903")
    client.post("/password/forgot", data={"login": "13500000903"})
    code = sent_code(app, "13500000903")
    weak = client.post("/password/reset", data={"login": "13500000903", "code": code, "password": "13500000903",
                                                "confirm": "13500000903"})
    assert weak.status_code == 400 and 'id="password-error"' in weak.get_data(as_text=True)
    good = client.post("/password/reset", data={"login": "13500000903", "code": code, "password": "a quiet river 42",
                                                "confirm": "a quiet river 42"})
    assert good.status_code == 302


def test_users_create_applies_the_policy(app, runner):
    result = runner.invoke(args=["users", "create", "--phone", "13500000904", "--name", "陈静",
                                 "--password", "qwerty123"])
    assert result.exit_code != 0 and "most common passwords" in result.output
    result = runner.invoke(args=["users", "create", "--phone", "13500000904", "--name", "陈静",
                                 "--password", "13500000904"])
    assert result.exit_code != 0 and "mobile number" in result.output


def test_users_import_reports_weak_passwords_by_line_and_creates_nothing(app, runner, tmp_path):
    from tests.test_cli_users import count_users

    register = tmp_path / "register.csv"
    register.write_text("phone,name,password\n13500000911,张敏,a quiet river 42\n13500000912,李强,password\n"
                        "13500000913,王芳,13500000913\n", encoding="utf-8")
    result = runner.invoke(args=["users", "import", str(register)])
    assert result.exit_code != 0
    assert "line 3: password:" in result.output and "most common" in result.output
    assert "line 4: password:" in result.output and "mobile number" in result.output
    assert "line 2" not in result.output
    assert count_users(app) == 0
