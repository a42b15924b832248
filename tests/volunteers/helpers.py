"""Helpers for the volunteer tests."""
import sqlalchemy as sa

from activity_hub.auth.models import User
from activity_hub.extensions import db


def user(user_id):
    return db.session.get(User, user_id)


def count_rows(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


class QueryCounter:
    """Counts SQL statements sent to the database (transaction control left out)."""

    def __init__(self):
        self.statements = []

    def _listener(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            self.statements.append(statement)

    def __enter__(self):
        sa.event.listen(db.engine, "before_cursor_execute", self._listener)
        return self

    def __exit__(self, *exc):
        sa.event.remove(db.engine, "before_cursor_execute", self._listener)

    @property
    def count(self):
        return len(self.statements)
