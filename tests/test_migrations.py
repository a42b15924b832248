"""Upgrading an empty database to head yields exactly the models' schema, and downgrading to base works.

Runs on a throwaway SQLite file, and on PostgreSQL too when TEST_DATABASE_URL points at one
(in a database of its own, created next to the test database and dropped afterwards).
"""
import contextlib
import logging
import os
import uuid

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from activity_hub.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL.startswith("postgresql") else [])


@contextlib.contextmanager
def logging_left_alone():
    """Alembic's env.py reconfigures logging from alembic.ini; put it back for the other tests."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    disabled = {name: logger.disabled for name, logger in logging.Logger.manager.loggerDict.items()
                if isinstance(logger, logging.Logger)}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, logger in logging.Logger.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.disabled = disabled.get(name, False)


@pytest.fixture
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    server = sa.make_url(TEST_DATABASE_URL)
    name = f"{server.database}_migrations"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def schema_differences(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, db.metadata)


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
def test_upgrade_from_empty_gives_the_models_schema_and_downgrade_removes_it(make_app, empty_database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context(), logging_left_alone():
        with db.engine.connect() as connection:
            assert sa.inspect(connection).get_table_names() == []

        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            differences = schema_differences(connection)
            tables = set(sa.inspect(connection).get_table_names())
        assert differences == [], "the migrations and the models disagree:\n" + "\n".join(map(str, differences))
        assert tables == set(db.metadata.tables) | {"alembic_version"}

        flask_migrate.downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}

        # And back up again, so the downgrades left nothing behind that breaks an upgrade.
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            assert schema_differences(connection) == []
        db.engine.dispose()


def test_there_is_one_head(make_app, tmp_path):
    from alembic.script import ScriptDirectory

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / uuid.uuid4().hex}.sqlite3")
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}; set down_revision so there is one chain"
