"""What a dashboard address names, checked before anything is built: a plan target, an export
format, a table of the report. Anything unknown is a ``NotFound``. (Who may see the internal
dashboard and edit targets is the role check on each view.)"""
from ..exports import MIMETYPES
from ..extensions import db
from ..lookup_errors import NotFound
from .models import PlanTarget


def plan_target(target_id):
    """The target with this id."""
    target = db.session.get(PlanTarget, target_id)
    if target is None:
        raise NotFound()
    return target


def export_format(fmt):
    """``fmt``, if tables can be exported in it."""
    if fmt not in MIMETYPES:
        raise NotFound()
    return fmt


def report_tables(report, table_key, fmt):
    """The tables an export of ``table_key`` holds: one table, or every table ("all", as xlsx only)."""
    if table_key == "all" and fmt == "xlsx":
        return list(report.tables.values())
    if table_key in report.tables:
        return [report.tables[table_key]]
    raise NotFound()
