"""The audit log: one entry for each audited action (who, what, whose data, when, from where); one
roster view is one INSERT; entries are never changed or removed."""
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from activity_hub.auth import roles
from activity_hub.auth.models import User
from activity_hub.districts import District
from activity_hub.extensions import db
from activity_hub.privacy import audit
from activity_hub.privacy.models import AuditEntry, AuditLogIsAppendOnly
from tests.conftest import recorded_statements

ADDRESS = "203.0.113.7"


@pytest.fixture
def organizer(make_user):
    return make_user(roles=("organizer",), role_district_code="wuchang", name="李组织")


@pytest.fixture
def desk(signed_in, organizer):
    return signed_in(organizer)


def get(client, path, **kwargs):
    return client.get(path, environ_base={"REMOTE_ADDR": ADDRESS}, **kwargs)


@pytest.mark.parametrize("path, action, detail", [
    ("roster", audit.ROSTER_VIEWED, ""),
    ("roster.csv", audit.ROSTER_EXPORTED, "csv"),
    ("roster.xlsx", audit.ROSTER_EXPORTED, "xlsx"),
    ("needs", audit.NEEDS_SUMMARY_VIEWED, ""),
    ("sign-in-sheet", audit.SIGN_IN_SHEET_VIEWED, ""),
])
def test_each_roster_page_and_export_leaves_one_entry_for_the_event(desk, organizer, make_event, make_user,
                                                                   signed_in, audit_rows, path, action, detail):
    event_id = make_event()
    for _ in range(3):
        signed_in(make_user()).post(f"/events/{event_id}/register", data={"companions": "0", "consent": "y"})
    assert get(desk, f"/organize/events/{event_id}/{path}").status_code == 200
    assert audit_rows() == [(organizer, action, None, event_id, ADDRESS, detail)]


def test_a_refused_roster_view_leaves_no_entry(signed_in, make_user, make_event, audit_rows):
    stranger = signed_in(make_user(roles=("organizer",), role_district_code="hongshan"))
    assert get(stranger, f"/organize/events/{make_event()}/roster").status_code == 403
    assert audit_rows() == []


def test_a_roster_view_costs_one_insert_whatever_its_length(desk, make_event, make_user, signed_in, app):
    counts = []
    for people in (1, 6):
        event_id = make_event(capacity=20)
        for _ in range(people):
            signed_in(make_user()).post(f"/events/{event_id}/register",
                                        data={"companions": "0", "consent": "y", "needs": ["braille"]})
        get(desk, f"/organize/events/{event_id}/roster")  # warm
        with recorded_statements(app) as statements:
            assert get(desk, f"/organize/events/{event_id}/roster").status_code == 200
        inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
        assert len(inserts) == 1 and "audit_entries" in inserts[0]
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_checkin_lookup_names_the_resident_found(desk, organizer, make_event, make_user, signed_in, audit_rows):
    event_id = make_event()
    resident = make_user(name="查找对象", login="13911112222")
    signed_in(resident).post(f"/events/{event_id}/register", data={"companions": "0", "consent": "y"})
    assert get(desk, f"/organize/events/{event_id}/check-in", query_string={"q": "13911112222"}).status_code == 200
    assert audit_rows() == [(organizer, audit.CHECKIN_LOOKUP, resident, event_id, ADDRESS, "")]


def test_phone_lookup_and_registration_on_behalf(desk, organizer, make_event, make_user, audit_rows):
    event_id = make_event()
    resident = make_user(login="13900001111")
    get(desk, f"/organize/events/{event_id}/register-resident", query_string={"phone": "13900001111"})
    desk.post(f"/organize/events/{event_id}/register-resident", environ_base={"REMOTE_ADDR": ADDRESS},
              data={"phone": "13900001111", "companions": "0", "consent": "y"})
    assert audit_rows() == [
        (organizer, audit.RESIDENT_LOOKED_UP, resident, event_id, ADDRESS, ""),
        (organizer, audit.REGISTERED_ON_BEHALF, resident, event_id, ADDRESS, ""),
    ]


def test_a_refused_registration_on_behalf_records_only_the_lookup(desk, organizer, make_event, make_user,
                                                                 audit_rows):
    event_id = make_event()
    make_user(login="13900001111")
    desk.post(f"/organize/events/{event_id}/register-resident", data={"phone": "13900001111", "companions": "0"})
    assert audit_rows() == []


def test_role_grants_and_withdrawals(app, make_user, audit_rows):
    admin, person = make_user(roles=("admin",)), make_user()
    with app.app_context():
        acting, subject = db.session.get(User, admin), db.session.get(User, person)
        wuchang = db.session.scalar(sa.select(District).where(District.code == "wuchang"))
        roles.grant_as_admin(acting, subject, "organizer", wuchang)
        roles.withdraw_as_admin(acting, subject, "organizer")
    assert audit_rows() == [(admin, audit.ROLE_GRANTED, person, None, "", "organizer wuchang"),
                            (admin, audit.ROLE_WITHDRAWN, person, None, "", "organizer")]


def test_logins_and_failed_logins(client, make_user, audit_rows):
    person = make_user(login="13922223333")
    client.post("/login", data={"login": "13922223333", "password": "wrong password"},
                environ_base={"REMOTE_ADDR": ADDRESS})
    client.post("/login", data={"login": "13800009999", "password": "whatever it is"},
                environ_base={"REMOTE_ADDR": ADDRESS})
    client.post("/login", data={"login": "13922223333", "password": "correct horse 1"},
                environ_base={"REMOTE_ADDR": ADDRESS})
    assert audit_rows() == [(None, audit.LOGIN_FAILED, person, None, ADDRESS, ""),
                            (None, audit.LOGIN_FAILED, None, None, ADDRESS, ""),
                            (person, audit.LOGIN, person, None, ADDRESS, "")]


# --- append-only ------------------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_remove_an_entry(app, make_user):
    actor = make_user()
    with app.app_context():
        entry = audit.record(actor, audit.LOGIN, subject_user=actor)
        entry.detail = "rewritten"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEntry, entry.id))
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        for statement in (sa.update(AuditEntry).values(detail="x"), sa.delete(AuditEntry)):
            with pytest.raises(AuditLogIsAppendOnly):
                db.session.execute(statement)
            db.session.rollback()
        assert [(e.action, e.detail) for e in db.session.scalars(sa.select(AuditEntry))] == [(audit.LOGIN, "")]


def test_no_code_path_updates_or_deletes_audit_entries():
    """Besides the ORM guard: no module of the package writes an UPDATE or DELETE of the table."""
    package = Path(__file__).resolve().parents[2] / "activity_hub"
    pattern = re.compile(r"(update|delete)\(\s*AuditEntry|(UPDATE|DELETE FROM)\s+\"?audit_entries", re.I)
    offenders = [str(path) for path in package.rglob("*.py") if pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_postgresql_refuses_changes_in_the_database(app):
    """The migration's trigger, applied here to the test schema (made by create_all), refuses an
    UPDATE or DELETE whatever the client."""
    import importlib.util

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the trigger is PostgreSQL's; SQLite relies on the ORM guard")
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0016_privacy_consent_audit.py"
    spec = importlib.util.spec_from_file_location("migration_0016", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(sa.text(migration.REFUSE_FUNCTION))  # as the migration's op.execute
            connection.execute(sa.text(migration.REFUSE_TRIGGER))
        try:
            with db.engine.begin() as connection:
                connection.exec_driver_sql(
                    "INSERT INTO audit_entries (at, action, address, detail) VALUES (now(), 'login', '', '')")
            for statement in ("UPDATE audit_entries SET detail = 'x'", "DELETE FROM audit_entries"):
                with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                    with db.engine.begin() as connection:
                        connection.exec_driver_sql(statement)
        finally:
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP TRIGGER audit_entries_append_only ON audit_entries")
                connection.exec_driver_sql("DROP FUNCTION audit_entries_refuse_change()")


def test_a_volunteers_page_with_needs_briefings_leaves_one_entry(app, signed_in, make_user, make_event, audit_rows):
    from activity_hub.events.models import Event
    from activity_hub.volunteers.models import Assignment

    volunteer = make_user(roles=("volunteer",))
    event_id = make_event()
    for _ in range(2):
        signed_in(make_user()).post(f"/events/{event_id}/register",
                                    data={"companions": "0", "consent": "y", "needs": ["sign_language"]})
    with app.app_context():
        event = db.session.get(Event, event_id)
        assignment = Assignment(event_id=event_id, volunteer_id=volunteer, role="手语翻译", skill="sign_language",
                                status="accepted", shift_start=event.starts_at, shift_end=event.ends_at)
        db.session.add(assignment)
        db.session.commit()
        assignment_id = assignment.id
    assert get(signed_in(volunteer), "/volunteers/my").status_code == 200
    assert audit_rows() == [(volunteer, audit.VOLUNTEER_BRIEFING_VIEWED, None, None, ADDRESS,
                             f"assignments {assignment_id}")]


def test_a_volunteers_page_without_briefings_leaves_none(signed_in, make_user, audit_rows):
    assert signed_in(make_user(roles=("volunteer",))).get("/volunteers/my").status_code == 200
    assert audit_rows() == []
