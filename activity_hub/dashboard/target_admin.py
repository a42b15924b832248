"""Adding, changing and removing plan targets (administrators only; the views check the role).

The form checks each value for a friendly message; the rules that need the database
(one key per year) are checked here, and the table's constraints are the backstop.
"""
import re

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from flask_babel import lazy_gettext as _l

from ..db_types import utcnow
from .models import MANUAL, PlanTarget
from .targets import MEASURES, UNITS

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FIELDS = ("year", "key", "label_zh", "label_en", "target", "unit", "measure", "manual_actual", "source")


class TargetError(ValueError):
    """A rule about targets was broken; ``field`` names the form field it belongs to."""

    def __init__(self, message, field):
        super().__init__(str(message))
        self.message = message
        self.field = field


def _check(session, values, target_id=None):
    if values["measure"] != MANUAL and values["measure"] not in MEASURES:
        raise TargetError(_l("Choose how progress is measured from the list"), "measure")
    if values["unit"] not in UNITS:
        raise TargetError(_l("Choose a unit from the list"), "unit")
    if not KEY_RE.match(values["key"] or ""):
        raise TargetError(_l("Use lower-case letters, digits and underscores, starting with a letter"), "key")
    clash = session.scalar(
        sa.select(PlanTarget.id).where(
            PlanTarget.year == values["year"], PlanTarget.key == values["key"],
            PlanTarget.id != (target_id or 0),
        )
    )
    if clash is not None:
        raise TargetError(_l("Another target of this year already has this key"), "key")


def save_target(session, values, by_user, target=None):
    """Create a target (``target`` None) or change one and commit; returns it. A broken rule
    (TargetError) rolls back.

    A hand-entered figure is kept only for manual targets: a computed measure brings its own.
    """
    values = {name: values.get(name) for name in FIELDS}
    values["source"] = values["source"] or ""
    if values["measure"] != MANUAL:
        values["manual_actual"] = None
    try:
        _check(session, values, target.id if target is not None else None)
    except TargetError:
        session.rollback()
        raise
    if target is None:
        position = session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(PlanTarget.position), 0)).where(PlanTarget.year == values["year"])
        )
        target = PlanTarget(position=position + 1)
        session.add(target)
    for name, value in values.items():
        setattr(target, name, value)
    target.updated_at = utcnow()
    target.updated_by_id = getattr(by_user, "id", None)
    try:
        session.flush()
    except IntegrityError:
        # Another administrator saved the same key for the year a moment ago.
        session.rollback()
        raise TargetError(_l("Another target of this year already has this key"), "key") from None
    session.commit()
    return target


def delete_target(session, target):
    session.delete(target)
    session.commit()


def target_values(target):
    return {name: getattr(target, name) for name in FIELDS}
