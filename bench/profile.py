"""Profile requests in-process with pyinstrument, against a benchmark database:

    .venv/bin/python -m bench.profile --database-url postgresql+psycopg://root@127.0.0.1:5432/ah_bench \
        --repeat 20 /events?category=culture /api/v1/events

``--login`` logs in as the generated organizer first (for the dashboard); ``--sql`` also counts queries.
"""
import argparse
import secrets
import time

import sqlalchemy as sa

from .run import DEFAULT_URL


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--login", action="store_true")
    parser.add_argument("--header", action="append", default=[], help="Name: value")
    options = parser.parse_args(argv)

    from pyinstrument import Profiler

    from activity_hub import create_app
    from activity_hub.auth.models import User
    from bench.prepare import SENDS_NOTHING
    from activity_hub.extensions import db

    app = create_app("production", SQLALCHEMY_DATABASE_URI=options.database_url, SECRET_KEY=secrets.token_urlsafe(48),
                     SESSION_COOKIE_SECURE=False, WTF_CSRF_ENABLED=False, **SENDS_NOTHING)
    client = app.test_client()
    headers = dict(h.split(": ", 1) for h in options.header)
    if options.login:
        with app.app_context():
            user = db.session.scalar(sa.select(User).where(User.email == "scale-organizer@activity-hub.local"))
            user_id = user.get_id()
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
    queries = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
    for path in options.paths:
        client.get(path, headers=headers)  # warm
        queries.clear()
        profiler = Profiler()
        started = time.perf_counter()
        with profiler:
            for _ in range(options.repeat):
                response = client.get(path, headers=headers)
        elapsed = (time.perf_counter() - started) / options.repeat
        print(f"== {path}: {response.status_code}, {len(response.data)} bytes, {elapsed * 1000:.1f} ms each, "
              f"{len(queries) / options.repeat:.0f} queries each")
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
