"""Writing many generated rows fast: COPY on PostgreSQL, multi-row INSERT elsewhere.

Rows are tuples in the order of the given column names and carry every NOT NULL value
themselves (nothing relies on Python-side column defaults, which COPY would skip).
Ids are chosen by the generator, so the sequences are moved past them afterwards.
"""
import json

import sqlalchemy as sa

CHUNK = 5000


def _json_columns(table, columns):
    return [i for i, name in enumerate(columns) if isinstance(table.c[name].type, sa.JSON)]


def bulk_insert(session, model, columns, rows):
    """Insert ``rows`` (an iterable of tuples) into ``model``'s table in the session's transaction.

    Returns the number of rows written.
    """
    table = model.__table__
    json_at = _json_columns(table, columns)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _copy(connection, table, columns, rows, json_at)
    count = 0
    batch = []
    statement = sa.insert(model)
    for row in rows:
        batch.append(dict(zip(columns, row)))
        if len(batch) >= CHUNK:
            session.execute(statement, batch)
            count += len(batch)
            batch = []
    if batch:
        session.execute(statement, batch)
        count += len(batch)
    return count


def _copy(connection, table, columns, rows, json_at):
    raw = connection.connection.driver_connection
    names = ", ".join(f'"{name}"' for name in columns)
    count = 0
    with raw.cursor() as cursor:
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                if json_at:
                    row = list(row)
                    for i in json_at:
                        row[i] = json.dumps(row[i], ensure_ascii=False)
                copy.write_row(row)
                count += 1
    return count


def next_id(session, model):
    return (session.scalar(sa.select(sa.func.max(model.__table__.c.id))) or 0) + 1


def reset_sequences(session, models):
    """Move each table's id sequence past the ids the generator chose (PostgreSQL)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    for model in models:
        name = model.__table__.name
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM \"{name}\"), 1))"
        )
