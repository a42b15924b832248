"""Role names people can read, and the rules for an administrator granting or withdrawing roles."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from ..db_types import utcnow
from ..extensions import db
from ..privacy import audit
from . import accounts
from .accounts import AccountError
from .models import ADMIN, DISTRICT_SCOPED_ROLES, ORGANIZER, RESIDENT, ROLES, TEAM_LEADER, VOLUNTEER

ROLE_LABELS = {
    RESIDENT: _l("Resident"),
    VOLUNTEER: _l("Volunteer"),
    TEAM_LEADER: _l("Volunteer team leader"),
    ORGANIZER: _l("Organizer"),
    ADMIN: _l("Administrator"),
}
WHOLE_CITY = _l("Whole city")


def role_label(role):
    return str(ROLE_LABELS.get(role, role))


def role_choices():
    return [SelectChoice(role, role_label(role)) for role in ROLES]


def grant_scope_label(grant):
    """Where a grant applies: its district, "Whole city", or None for roles without a district."""
    if grant.role not in DISTRICT_SCOPED_ROLES:
        return None
    return grant.district.name if grant.district is not None else str(WHOLE_CITY)


def grant_as_admin(admin, user, role, district=None):
    """Grant ``role`` (for organizers and team leaders: in ``district``, None = whole city).

    Returns "granted", "changed" (a new district for a role already held) or
    "unchanged". Commits; a refusal (AccountError) rolls back.
    """
    try:
        if role not in ROLES:
            raise AccountError(_l("Choose a role from the list"), "role")
        if district is not None and role not in DISTRICT_SCOPED_ROLES:
            raise AccountError(
                _l("Only organizers and team leaders work in one district. Choose “Whole city” for this role."),
                "district",
            )
        district_id = district.id if district is not None else None
        current = next((grant for grant in user.role_grants if grant.role == role), None)
        if current is not None and current.district_id == district_id:
            outcome = "unchanged"
        else:
            grant = accounts.grant_role(user, role, district, granted_by=admin)
            grant.granted_by_id = admin.id
            grant.granted_at = utcnow()
            outcome = "granted" if current is None else "changed"
            audit.record(admin, audit.ROLE_GRANTED, subject_user=user, commit=False,
                         detail=f"{role} {district.code if district is not None else 'city'}")
    except AccountError:
        db.session.rollback()
        raise
    db.session.commit()
    return outcome


def withdraw_problem(admin, user, role):
    """Why ``admin`` may not withdraw ``role`` from ``user``, or None when they may."""
    if role not in user.roles:
        return _l("This person does not have this role.")
    if role == ADMIN and user.id == admin.id:
        return _l("You cannot withdraw your own administrator role. Ask another administrator.")
    if user.roles == {role}:
        return _l("Every account keeps at least one role. Grant another role first.")
    return None


def withdraw_as_admin(admin, user, role):
    """Take ``role`` away and commit; raises AccountError (and rolls back) when ``withdraw_problem``
    objects."""
    try:
        problem = withdraw_problem(admin, user, role)
        if problem is not None:
            raise AccountError(problem, "role")
        accounts.withdraw_role(user, role)
        audit.record(admin, audit.ROLE_WITHDRAWN, subject_user=user, detail=role, commit=False)
    except AccountError:
        db.session.rollback()
        raise
    db.session.commit()
