"""Cost guards of the catalogue: the plan of the listing's query on PostgreSQL."""
from datetime import datetime, timedelta, timezone

import pytest

from activity_hub.extensions import db
from tests.conftest import recorded_statements


def test_the_listing_passes_ended_events_over_in_its_index_not_in_the_table(app, client, make_event, move_event):
    """The default listing (no date) walks public events by start: ended ones are skipped inside
    ix_events_listed_starts_at (start, end), so the city's history is never read row by row."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the plan is PostgreSQL's")
    now = datetime.now(timezone.utc)
    for n in range(30):
        ended = make_event(title=f"往期{n}")
        move_event(ended, starts_at=now - timedelta(days=40 - n), ends_at=now - timedelta(days=40 - n, hours=-2),
                   registration_closes_at=None)
    make_event(title="即将举行")
    with app.app_context():
        engine = db.engine
        with recorded_statements(app, parameters=True) as captured:
            assert [item["title"] for item in client.get("/api/v1/events").get_json()["items"]] == ["即将举行"]
        page_statement = next((s, p) for s, p in captured if "ORDER BY events.starts_at" in s)
        db.session.remove()  # its transaction would hold the table against the REINDEX below
        with engine.connect() as connection:
            # A test table is tiny (and its indexes swollen by the tests before), so reading it whole
            # and sorting would be cheapest; a city's is not.
            connection.exec_driver_sql("REINDEX TABLE events")
            connection.exec_driver_sql("ANALYZE events")
            connection.exec_driver_sql("SET enable_seqscan = off")
            connection.exec_driver_sql("SET enable_sort = off")
            plan = "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + page_statement[0],
                                                                          page_statement[1]))
    assert "ix_events_listed_starts_at" in plan, plan
