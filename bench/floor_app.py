"""The floor: the least a Flask app under the same gunicorn settings can do.

- ``GET /constant`` returns a constant (what any page costs before it does anything);
- ``POST /take`` runs one transaction that takes a seat with a conditional UPDATE and
  inserts one row (what any registration costs before its rules and its page).

It uses SQLAlchemy Core on the same database and driver as the app, with its own two
tables (``floor_seats``, ``floor_takes``). Run: ``gunicorn 'bench.floor_app:create_app()'``
with ``DATABASE_URL`` set; ``create_tables`` is called by the benchmark beforehand.
"""
import os
import random

import sqlalchemy as sa
from flask import Flask, abort

metadata = sa.MetaData()
seats = sa.Table(
    "floor_seats", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("capacity", sa.Integer, nullable=False),
    sa.Column("taken", sa.Integer, nullable=False, default=0),
)
takes = sa.Table(
    "floor_takes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("seat_id", sa.Integer, sa.ForeignKey("floor_seats.id"), nullable=False),
    sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)
SEAT_ROWS = 200


def create_tables(url):
    """(Re)create the floor's tables with ``SEAT_ROWS`` seats of unlimited capacity."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        metadata.drop_all(connection)
        metadata.create_all(connection)
        connection.execute(seats.insert(), [{"id": n, "capacity": 10**9, "taken": 0} for n in range(1, SEAT_ROWS + 1)])
    engine.dispose()


def create_app():
    from activity_hub import with_psycopg_driver

    app = Flask(__name__)
    engine = sa.create_engine(with_psycopg_driver(os.environ["DATABASE_URL"]), pool_pre_ping=True)

    @app.get("/constant")
    def constant():
        return "ok"

    @app.post("/take")
    def take():
        seat = random.randint(1, SEAT_ROWS)
        with engine.begin() as connection:
            taken = connection.execute(
                seats.update().where(seats.c.id == seat, seats.c.taken < seats.c.capacity)
                .values(taken=seats.c.taken + 1)
            ).rowcount
            if not taken:
                abort(409)
            connection.execute(takes.insert().values(seat_id=seat))
        return {"seat": seat}, 201

    return app
