"""`flask users create / grant / import / deactivate / reactivate`: accounts for operators and scripts."""
import sqlalchemy as sa

from activity_hub.auth.models import RoleGrant, User
from activity_hub.districts import District
from activity_hub.extensions import db

HEADER = "phone,email,name,password,roles,district\n"


def count_users(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(User.id)))


def account(app, login):
    """(name, roles with district codes) of one account, or None."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(sa.or_(User.phone == login, User.email == login)))
        if user is None:
            return None
        return user.display_name, {(g.role, g.district.code if g.district else None) for g in user.role_grants}


def write(tmp_path, text, encoding="utf-8", name="register.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


# --- create -----------------------------------------------------------------------------------

def test_create_with_phone_roles_and_district(app, runner):
    result = runner.invoke(args=["users", "create", "--phone", "13700000001", "--name", "赵磊", "--password",
                                 "long enough", "--role", "organizer", "--role", "resident", "--district", "武昌区"])
    assert result.exit_code == 0, result.output
    assert "created user" in result.output
    assert account(app, "13700000001") == ("赵磊", {("organizer", "wuchang"), ("resident", None)})


def test_create_with_email_defaults_to_resident(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "Staff@Example.com", "--name", "Staff",
                                 "--password", "long enough"])
    assert result.exit_code == 0, result.output
    assert account(app, "staff@example.com") == ("Staff", {("resident", None)})


def test_create_refuses_bad_input_and_creates_nothing(app, runner):
    cases = [
        ["--name", "无号码", "--password", "long enough"],
        ["--phone", "12345", "--name", "坏号码", "--password", "long enough"],
        ["--email", "not-an-address", "--name", "坏地址", "--password", "long enough"],
        ["--phone", "13700000002", "--name", "短密码", "--password", "short"],
        ["--phone", "13700000002", "--name", "名" * 81, "--password", "long enough"],
        ["--phone", "13700000002", "--name", "未知区", "--password", "long enough", "--district", "火星区"],
        ["--phone", "13700000002", "--name", "未知角色", "--password", "long enough", "--role", "king"],
    ]
    for args in cases:
        result = runner.invoke(args=["users", "create", *args])
        assert result.exit_code != 0, args
        assert "Traceback" not in result.output
    assert count_users(app) == 0


def test_create_refuses_a_duplicate(app, runner, make_user):
    make_user(login="13700000003")
    result = runner.invoke(args=["users", "create", "--phone", "13700000003", "--name", "重复", "--password", "long enough"])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert count_users(app) == 1


# --- grant ------------------------------------------------------------------------------------

def test_grant_and_withdraw(app, runner, make_user):
    make_user(login="13700000004", name="王芳")
    result = runner.invoke(args=["users", "grant", "13700000004", "team_leader", "--district", "汉阳区"])
    assert result.exit_code == 0, result.output
    assert ("team_leader", "hanyang") in account(app, "13700000004")[1]
    result = runner.invoke(args=["users", "grant", "13700000004", "organizer"])
    assert ("organizer", None) in account(app, "13700000004")[1]
    result = runner.invoke(args=["users", "grant", "13700000004", "team_leader", "--withdraw"])
    assert result.exit_code == 0, result.output
    assert account(app, "13700000004")[1] == {("resident", None), ("organizer", None)}


def test_grant_errors(app, runner, make_user):
    make_user(login="13700000005")
    assert runner.invoke(args=["users", "grant", "13799999999", "admin"]).exit_code != 0
    assert runner.invoke(args=["users", "grant", "13700000005", "king"]).exit_code != 0
    assert runner.invoke(args=["users", "grant", "13700000005", "organizer", "--district", "火星区"]).exit_code != 0
    assert runner.invoke(args=["users", "grant", "13700000005", "volunteer", "--district", "武昌区"]).exit_code != 0
    assert account(app, "13700000005")[1] == {("resident", None)}


# --- import -----------------------------------------------------------------------------------

GOOD_FILE = HEADER + (
    "13700000011,,张敏,password-1,resident,\n"
    ",li.qiang@example.com,李强,password-2,volunteer;resident,\n"
    "13700000013,wang@example.com,王芳,password-3,team_leader;volunteer,武昌区\n"
    "13700000014,,赵磊,password-4,organizer,hongshan\n"
    "13700000015,,陈静,password-5,organizer,\n"
    '13700000016,,"Smith, Anna",password-6,,\n'
)


def test_import_creates_every_account_with_roles_and_districts(app, runner, tmp_path):
    result = runner.invoke(args=["users", "import", write(tmp_path, GOOD_FILE)])
    assert result.exit_code == 0, result.output
    assert "created 6 account(s)" in result.output
    assert count_users(app) == 6
    assert account(app, "13700000011") == ("张敏", {("resident", None)})
    assert account(app, "li.qiang@example.com") == ("李强", {("volunteer", None), ("resident", None)})
    assert account(app, "wang@example.com") == ("王芳", {("team_leader", "wuchang"), ("volunteer", None)})
    assert account(app, "13700000014") == ("赵磊", {("organizer", "hongshan")})
    assert account(app, "13700000015") == ("陈静", {("organizer", None)})  # empty district: city-wide
    assert account(app, "13700000016") == ("Smith, Anna", {("resident", None)})
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.phone == "13700000013"))
        assert user.district.code == "wuchang"


def test_imported_accounts_can_log_in(app, runner, tmp_path):
    runner.invoke(args=["users", "import", write(tmp_path, GOOD_FILE)])
    client = app.test_client()
    response = client.post("/login", data={"login": "li.qiang@example.com", "password": "password-2"})
    assert response.status_code == 302


def test_import_reads_gbk_files_from_excel(app, runner, tmp_path):
    path = write(tmp_path, "phone,name,password,roles,district\r\n13700000021,刘洋,password-1,organizer,江汉区\r\n",
                 encoding="gbk")
    result = runner.invoke(args=["users", "import", path])
    assert result.exit_code == 0, result.output
    assert account(app, "13700000021") == ("刘洋", {("organizer", "jianghan")})


def test_import_with_a_utf8_bom_and_capitalised_header(app, runner, tmp_path):
    path = write(tmp_path, "Phone,Name,Password\n13700000022,周杰,password-1\n", encoding="utf-8-sig")
    result = runner.invoke(args=["users", "import", path])
    assert result.exit_code == 0, result.output
    assert account(app, "13700000022") == ("周杰", {("resident", None)})


BAD_FILE = HEADER + (
    "13700000031,,好的一行,password-1,resident,\n"  # line 2: fine
    "1370000003,,号码太短,password-1,resident,\n"  # line 3: malformed phone
    ",not-an-address,坏地址,password-1,resident,\n"  # line 4: malformed e-mail
    "13700000034,,未知角色,password-1,king,\n"  # line 5: unknown role
    "13700000035,,未知区,password-1,organizer,火星区\n"  # line 6: unknown district
    "13700000031,,重复号码,password-1,resident,\n"  # line 7: same phone as line 2
    "13700000099,,已有账号,password-1,resident,\n"  # line 8: phone already in the database
    "13700000038,,,password-1,resident,\n"  # line 9: no name
    "13700000039,,短密码,short,resident,\n"  # line 10: short password
    ",,没有号码,password-1,resident,\n"  # line 11: neither phone nor e-mail
    "13700000041,,好的另一行,password-1,volunteer,\n"  # line 12: fine
)


def test_import_with_bad_rows_reports_each_by_line_and_creates_nothing(app, runner, tmp_path, make_user):
    make_user(login="13700000099")
    result = runner.invoke(args=["users", "import", write(tmp_path, BAD_FILE)])
    assert result.exit_code != 0
    output = result.output
    assert "Traceback" not in output
    for line, words in [(3, "1370000003"), (4, "not-an-address"), (5, "king"), (6, "火星区"),
                        (7, "appears twice"), (8, "already exists"), (9, "name is empty"), (10, "password"),
                        (11, "phone number or an e-mail")]:
        reported = [text for text in output.splitlines() if text.startswith(f"line {line}:")]
        assert reported and words in reported[0], (line, output)
    assert "line 2:" not in output and "line 12:" not in output
    assert "9 bad row(s); no account was created" in output
    assert count_users(app) == 1  # only the account that was there before
    assert account(app, "13700000031") is None and account(app, "13700000041") is None


def test_duplicate_email_inside_the_file_in_another_case(app, runner, tmp_path):
    text = HEADER + ",a.b@example.com,甲,password-1,,\n,A.B@Example.COM,乙,password-1,,\n"
    result = runner.invoke(args=["users", "import", write(tmp_path, text)])
    assert result.exit_code != 0
    assert "line 3:" in result.output and "first on line 2" in result.output
    assert count_users(app) == 0


def test_duplicate_against_the_database_by_email(app, runner, tmp_path, make_user):
    make_user(login="taken@example.com")
    result = runner.invoke(args=["users", "import", write(tmp_path, HEADER + ",Taken@Example.com,丙,password-1,,\n")])
    assert result.exit_code != 0 and "line 2:" in result.output and "already exists" in result.output
    assert count_users(app) == 1


def test_import_refuses_a_file_without_the_right_header(app, runner, tmp_path):
    for text in ("13700000051,张三,password-1\n",  # no header at all
                 "name,password\n张三,password-1\n",  # neither phone nor email
                 "phone,name,password,distrct\n13700000051,张三,password-1,武昌区\n"):  # misspelt column
        result = runner.invoke(args=["users", "import", write(tmp_path, text)])
        assert result.exit_code != 0, text
        assert "first line must name the columns" in result.output
    assert count_users(app) == 0


def test_import_refuses_a_binary_file(app, runner, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"PK\x03\x04\xff\xfe\x00\x81\x00" * 20)
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert count_users(app) == 0


def test_import_refuses_a_file_with_nul_characters(app, runner, tmp_path):
    result = runner.invoke(args=["users", "import", write(tmp_path, HEADER + "13700000061,,张\x00三,password-1,,\n")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert count_users(app) == 0


def test_import_is_one_transaction(app, runner, tmp_path, monkeypatch):
    """If the database refuses a row while saving, the rows before it are not kept either."""
    from activity_hub.auth import accounts

    real_create_user = accounts.create_user
    calls = []

    def failing_create_user(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise accounts.AccountError("the database refused this row")
        return real_create_user(*args, **kwargs)

    monkeypatch.setattr(accounts, "create_user", failing_create_user)
    result = runner.invoke(args=["users", "import", write(tmp_path, GOOD_FILE)])
    assert result.exit_code != 0
    assert count_users(app) == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(RoleGrant.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(District.id))) == 16


# --- deactivate / reactivate ------------------------------------------------------------------------

def test_deactivate_ends_every_session_and_token_and_reactivate_lets_them_log_in(app, runner, make_user):
    from activity_hub.api import tokens

    user_id = make_user(login="13800138201")
    device = app.test_client()
    device.post("/login", data={"login": "13800138201", "password": "correct horse 1"})
    with app.app_context():
        _token, plain = tokens.create_token(db.session.get(User, user_id), "phone")
    result = runner.invoke(args=["users", "deactivate", "13800138201"])
    assert result.exit_code == 0, result.output
    assert "switched off" in result.output
    assert device.get("/account").status_code == 302
    assert app.test_client().get("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
    assert "already" in runner.invoke(args=["users", "deactivate", "13800138201"]).output
    result = runner.invoke(args=["users", "reactivate", "13800138201"])
    assert result.exit_code == 0 and "switched on" in result.output
    assert app.test_client().post("/login", data={"login": "13800138201", "password": "correct horse 1"}).status_code == 302


def test_deactivate_an_unknown_account_says_so(runner):
    result = runner.invoke(args=["users", "deactivate", "13800138299"])
    assert result.exit_code != 0 and "no account" in result.output
