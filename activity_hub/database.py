"""Engine behaviour that the capacity rules rely on."""
from sqlalchemy import event


def configure_engine_events(engine):
    """On SQLite, make every transaction take the write lock at BEGIN.

    pysqlite's default deferred transactions let two requests read the same
    seat count and then race to write; BEGIN IMMEDIATE serialises them the way
    a row lock does on PostgreSQL. SQLite is the development database, so the
    lost read concurrency does not matter.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
