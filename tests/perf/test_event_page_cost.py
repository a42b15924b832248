"""Cost guards of the event page's statement."""
from activity_hub.extensions import db


def test_the_page_statement_binds_only_the_event(app):
    """Built once per process, it binds the event's id alone: statuses are written into it, so no
    expanding IN parameter has SQLAlchemy write the statement anew for every page."""
    from activity_hub.events import event_page

    with app.app_context():
        compiled = event_page.PAGE_STATEMENT.compile(dialect=db.engine.dialect)
        assert set(compiled.binds) == {"event_id"}
        assert not any(bind.expanding for bind in compiled.binds.values())
