"""Invitations: an account staff made gets a link to set its own password (7 days, once)."""
import re
import time

import sqlalchemy as sa
from itsdangerous.timed import TimestampSigner

from activity_hub.auth.models import User
from activity_hub.extensions import db
from tests.conftest import login, messages_to

GOOD = "a quiet river 42"


def page(response):
    return response.get_data(as_text=True)


def invitation_path(app, recipient):
    """The path of the newest invitation link sent to ``recipient``."""
    sent = messages_to(app, recipient, "invitation")
    assert sent, f"no invitation to {recipient}"
    return re.search(r"https?://[^/\s]+(/invitation/[^\s]+)", sent[-1][2]).group(1)


def test_users_create_sends_an_invitation_that_works_once(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "wang@example.com", "--name", "王芳"])
    assert result.exit_code == 0, result.output
    assert "invitation" in result.output
    path = invitation_path(app, "wang@example.com")
    client = app.test_client()
    form = client.get(path)
    assert form.status_code == 200 and "王芳" in page(form)
    response = client.post(path, data={"password": GOOD, "confirm": GOOD})
    assert response.status_code == 302 and client.get("/account").status_code == 200
    assert app.test_client().post("/login", data={"login": "wang@example.com", "password": GOOD}).status_code == 302
    # Used: the same link no longer works, for anyone.
    again = app.test_client().get(path)
    assert again.status_code == 404 and ("only once" in page(again) or "只能用一次" in page(again))
    assert app.test_client().post(path, data={"password": "another river 43", "confirm": "another river 43"}
                                  ).status_code == 404


def test_an_invitation_expires_after_seven_days(app, runner, monkeypatch):
    runner.invoke(args=["users", "create", "--phone", "13700000201", "--name", "李强"])
    path = invitation_path(app, "13700000201")
    assert app.test_client().get(path).status_code == 200
    eight_days_later = int(time.time()) + 8 * 24 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: eight_days_later)
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert "7" in page(response) and 'href="/login/code"' in page(response)


def test_a_tampered_invitation_is_refused(app, runner):
    runner.invoke(args=["users", "create", "--phone", "13700000202", "--name", "赵磊"])
    path = invitation_path(app, "13700000202")
    assert app.test_client().get(path[:-3] + "xyz").status_code == 404


def test_the_invitation_page_applies_the_password_policy(app, runner):
    runner.invoke(args=["users", "create", "--phone", "13700000203", "--name", "陈静"])
    path = invitation_path(app, "13700000203")
    client = app.test_client()
    for password in ("password1", "x13700000203", "short"):
        response = client.post(path, data={"password": password, "confirm": password})
        assert response.status_code == 400 and 'id="password-error"' in page(response), password
    assert client.post(path, data={"password": GOOD, "confirm": GOOD}).status_code == 302


def test_users_import_invites_every_new_account(app, runner, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("phone,email,name\n13700000211,,张敏\n,li@example.com,李强\n", encoding="utf-8")
    result = runner.invoke(args=["users", "import", str(register)])
    assert result.exit_code == 0, result.output
    assert len(messages_to(app, "li@example.com", "invitation")) == 1
    with app.app_context():
        zhang = db.session.scalar(sa.select(User).where(User.phone == "13700000211"))
        assert [message.kind for message in _messages_of(zhang)] == ["invitation"]


def _messages_of(user):
    from activity_hub.messages.models import OutboxMessage

    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.user_id == user.id)))


def test_a_resident_registered_by_an_organizer_is_invited(app, client, make_user, make_event):
    organizer = make_user(roles=("resident", "organizer"), role_district_code="wuchang")
    event_id = make_event()
    login(client, organizer)
    response = client.post(f"/organize/events/{event_id}/register-resident", data={
        "phone": "13700000221", "display_name": "刘奶奶", "companions": "0", "consent": "y"})
    assert response.status_code == 302
    with app.app_context():
        resident = db.session.scalar(sa.select(User).where(User.phone == "13700000221"))
        assert "invitation" in [message.kind for message in _messages_of(resident)]


def test_staff_send_the_invitation_again_from_the_user_page(app, client, make_user):
    admin = make_user(roles=("admin",))
    resident = make_user(login="13700000231")
    login(client, admin)
    assert "/admin/users/%d/invitation" % resident in page(client.get(f"/admin/users/{resident}"))
    response = client.post(f"/admin/users/{resident}/invitation")
    assert response.status_code == 302
    assert len(messages_to(app, "13700000231", "invitation")) == 1
    # Not for a resident to do.
    other = app.test_client()
    login(other, make_user())
    assert other.post(f"/admin/users/{resident}/invitation").status_code == 403
    assert len(messages_to(app, "13700000231", "invitation")) == 1
