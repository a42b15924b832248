"""``/healthz`` for load balancers: 200 while the database (and Redis and the broker, when set)
answer, 503 naming what failed; no login, nothing personal, never cached."""
from tests.conftest import login

from tests.redis_server import free_port, redis_server  # noqa: F401 (a fixture)


def test_healthy_site_answers_200_with_each_part(client, make_user):
    login(client, make_user())  # a session changes nothing: no user is loaded, nothing personal shown
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "checks": {
        "database": "ok", "redis": "not configured", "broker": "not configured"}}
    assert answer.headers["Cache-Control"] == "no-store"


def test_redis_and_broker_that_do_not_answer_make_it_503_naming_them(make_app):
    nobody = f"redis://127.0.0.1:{free_port()}/0"
    answer = make_app(REDIS_URL=nobody, CELERY_BROKER_URL=nobody).test_client().get("/healthz")
    assert answer.status_code == 503
    body = answer.get_json()
    assert body["status"] == "unavailable" and body["failed"] == ["broker", "redis"]
    assert body["checks"]["database"] == "ok"


def test_a_database_that_does_not_answer_makes_it_503(make_app, tmp_path):
    broken = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    answer = broken.test_client().get("/healthz")
    assert answer.status_code == 503 and answer.get_json()["failed"] == ["database"]


def test_a_running_redis_is_ok(make_app, redis_server):
    answer = make_app(REDIS_URL=redis_server.url).test_client().get("/healthz")
    assert answer.status_code == 200 and answer.get_json()["checks"]["redis"] == "ok"
