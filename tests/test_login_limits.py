"""Failed logins are limited per account and per address, with counters every app process shares."""
import os
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from activity_hub.auth.models import LoginFailure
from activity_hub.db_types import utcnow
from activity_hub.extensions import db

PASSWORD = "correct horse 1"


def attempt(client, login, password=PASSWORD, address="198.51.100.1"):
    return client.post("/login", data={"login": login, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def is_lockout(response):
    return response.status_code == 429


@pytest.fixture
def limits(app, monkeypatch):
    """Small limits so the tests stay short: 3 per account, 5 per address."""
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ACCOUNT", 3)
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 5)
    monkeypatch.setitem(app.config, "LOGIN_FAILURE_WINDOW_SECONDS", 900)
    return app


def test_account_is_paused_after_its_failures_even_from_new_addresses(limits, client, make_user):
    make_user(login="13600000001")
    for number in range(3):
        assert attempt(client, "13600000001", "wrong", address=f"198.51.100.{number}").status_code == 400
    response = attempt(client, "13600000001", PASSWORD, address="198.51.100.99")
    assert is_lockout(response)
    assert client.get("/account").status_code == 302  # the right password did not log in


def test_lockout_message_is_plain_says_what_to_do_and_has_no_captcha(limits, client, make_user):
    make_user(login="13600000002")
    for _ in range(3):
        attempt(client, "13600000002", "wrong")
    response = attempt(client, "13600000002", "wrong")
    html = response.get_data(as_text=True)
    assert is_lockout(response)
    assert "15" in html  # how long to wait
    assert limits.config["HELP_PHONE"] in html  # whom to call
    assert "<title>Error:" in html or "<title>错误" in html
    assert "captcha" not in html.lower()
    assert 'role="alert"' in html


def test_other_accounts_are_not_affected_by_one_accounts_lockout(limits, client, make_user):
    make_user(login="13600000003")
    make_user(login="13600000004")
    for _ in range(3):
        attempt(client, "13600000003", "wrong", address="198.51.100.7")
    assert attempt(client, "13600000004", address="198.51.100.8").status_code == 302


def test_address_is_paused_after_failures_on_many_accounts(limits, client, make_user):
    make_user(login="13600000005")
    for number in range(5):
        attempt(client, f"1361000000{number}", "wrong", address="203.0.113.5")
    assert is_lockout(attempt(client, "13600000005", address="203.0.113.5"))
    # The same account from another address is fine: only the address was limited.
    assert attempt(client, "13600000005", address="203.0.113.6").status_code == 302


def test_success_clears_the_account_counter(limits, client, make_user):
    make_user(login="13600000006")
    for _ in range(2):
        attempt(client, "13600000006", "wrong")
    assert attempt(client, "13600000006").status_code == 302
    client.post("/logout")
    for _ in range(2):
        attempt(client, "13600000006", "wrong")
    assert attempt(client, "13600000006").status_code == 302


def test_lockout_ends_when_the_window_has_passed(limits, client, make_user):
    make_user(login="13600000007")
    for _ in range(3):
        attempt(client, "13600000007", "wrong")
    assert is_lockout(attempt(client, "13600000007"))
    with limits.app_context():  # move the failures back in time instead of waiting
        db.session.execute(sa.update(LoginFailure).values(failed_at=utcnow() - timedelta(seconds=901)))
        db.session.commit()
    assert attempt(client, "13600000007").status_code == 302


def test_different_spellings_of_one_account_share_a_counter(limits, client, make_user):
    make_user(login="li.na@example.com")
    for spelling in ("li.na@example.com", "LI.NA@example.com", " Li.Na@Example.COM "):
        attempt(client, spelling, "wrong")
    assert is_lockout(attempt(client, "li.na@example.com"))


def test_counter_is_shared_by_two_app_processes_on_one_database(make_app, make_user):
    """Two app instances stand in for two processes (or hosts) behind a load balancer."""
    overrides = dict(LOGIN_MAX_FAILURES_PER_ACCOUNT=4, LOGIN_MAX_FAILURES_PER_ADDRESS=100)
    first, second = make_app(**overrides).test_client(), make_app(**overrides).test_client()
    make_user(login="13600000008")
    for number in range(4):
        attempt(first if number % 2 else second, "13600000008", "wrong")
    assert is_lockout(attempt(first, "13600000008"))
    assert is_lockout(attempt(second, "13600000008"))


@pytest.fixture
def redis_apps(make_app):
    """Two app instances counting in Redis (its own database number and key prefix, emptied afterwards)."""
    import redis

    url = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
    prefix = f"activity_hub_test_{uuid.uuid4().hex}:"
    overrides = dict(REDIS_URL=url, REDIS_KEY_PREFIX=prefix,
                     LOGIN_MAX_FAILURES_PER_ACCOUNT=3, LOGIN_MAX_FAILURES_PER_ADDRESS=5)
    client = redis.Redis.from_url(url)
    yield make_app(**overrides), make_app(**overrides), client, prefix
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_redis_counter_is_shared_by_two_app_processes(redis_apps, make_user):
    first_app, second_app, redis_client, prefix = redis_apps
    first, second = first_app.test_client(), second_app.test_client()
    make_user(login="13600000009")
    attempt(first, "13600000009", "wrong")
    attempt(second, "13600000009", "wrong")
    attempt(first, "13600000009", "wrong")
    assert is_lockout(attempt(second, "13600000009"))
    # The counters are in Redis, with an expiry, and none went to the database.
    key = prefix + "login-failures:account:13600000009"
    assert int(redis_client.get(key)) == 3
    assert 0 < redis_client.ttl(key) <= 900
    with first_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LoginFailure.id))) == 0


def test_redis_counter_limits_the_address_and_clears_on_success(redis_apps, make_user):
    first_app, second_app, redis_client, prefix = redis_apps
    first, second = first_app.test_client(), second_app.test_client()
    make_user(login="13600000010")
    attempt(first, "13600000010", "wrong", address="192.0.2.1")
    assert attempt(second, "13600000010", address="192.0.2.1").status_code == 302
    assert redis_client.get(prefix + "login-failures:account:13600000010") is None
    for number in range(5):
        attempt(first, f"1362000000{number}", "wrong", address="192.0.2.2")
    other_device = second_app.test_client()
    assert is_lockout(attempt(other_device, "13600000010", address="192.0.2.2"))
    # Ending the window (the key expires) ends the lockout.
    redis_client.delete(prefix + "login-failures:address:192.0.2.2")
    assert attempt(other_device, "13600000010", address="192.0.2.2").status_code == 302


def test_when_redis_is_down_the_database_counts_instead(make_app, make_user):
    """Logging in must not break because Redis is away; the limit still holds."""
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0", LOGIN_MAX_FAILURES_PER_ACCOUNT=2)
    client = app.test_client()
    make_user(login="13600000011")
    assert attempt(client, "13600000011", "wrong").status_code == 400
    assert attempt(client, "13600000011", "wrong").status_code == 400
    assert is_lockout(attempt(client, "13600000011"))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LoginFailure.id))) >= 2
