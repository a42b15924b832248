"""events search: trigram indexes for the catalogue's substring search

Revision ID: 0009_events_search_trigram
Revises: 0008_events_catalogue_indexes
Create Date: 2026-11-28 19:40:00

The catalogue finds words anywhere in an event's title or summary (Chinese has no word
breaks), with ILIKE '%word%'. On PostgreSQL a pg_trgm GIN index on each column serves
those patterns for terms of three characters or more (two-character terms such as 讲座
have no trigram and are read from the table; catalogue.py caps how many it counts).
On SQLite the same index names are plain indexes, so the schema matches the models.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_events_search_trigram'
down_revision = '0008_events_catalogue_indexes'
branch_labels = None
depends_on = None

INDEXES = (("ix_events_title_trgm", "title"), ("ix_events_summary_trgm", "summary"))


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in INDEXES:
            op.create_index(name, "events", [column], postgresql_using="gin",
                            postgresql_ops={column: "gin_trgm_ops"})
    else:
        with op.batch_alter_table("events", schema=None) as batch_op:
            for name, column in INDEXES:
                batch_op.create_index(name, [column], unique=False)


def downgrade():
    # The pg_trgm extension stays: other databases objects may use it, and it holds no data.
    if op.get_bind().dialect.name == "postgresql":
        for name, _column in INDEXES:
            op.drop_index(name, table_name="events")
    else:
        with op.batch_alter_table("events", schema=None) as batch_op:
            for name, _column in INDEXES:
                batch_op.drop_index(name)
