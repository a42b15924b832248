"""Who may do what with teams, events' volunteers and projects (checked on the server by every view).

Team leaders manage their own team; organizers the teams and events of the
districts they manage (city-wide organizers and admins: all). Volunteers see
their own assignments and nothing else of this domain.

Who counts as a volunteer is decided here only (``is_volunteer``, and ``volunteer_clause``
for queries): the pages, the API, the calendar feeds and the navigation all ask it.
"""
import sqlalchemy as sa

from ..auth.accounts import can_manage_district, is_logged_in
from ..auth.models import ADMIN, ORGANIZER, TEAM_LEADER, VOLUNTEER, RoleGrant, User

# A team leader is a volunteer too: they serve on shifts like the members of their team.
VOLUNTEER_ROLES = (VOLUNTEER, TEAM_LEADER)


def is_staff(user):
    return is_logged_in(user) and user.has_role(ORGANIZER, ADMIN)


def is_volunteer(user):
    """An active account holding the volunteer or the team-leader role: it may be given shifts,
    join a team, and has "my assignments" and an assignments feed."""
    return is_logged_in(user) and user.is_active and user.has_role(*VOLUNTEER_ROLES)


def volunteer_clause():
    """``is_volunteer`` as a condition on ``User`` rows, for queries that pick volunteers."""
    return sa.and_(User.is_active_account.is_(True),
                   sa.exists().where(RoleGrant.user_id == User.id, RoleGrant.role.in_(VOLUNTEER_ROLES)))


def can_see_team_list(user):
    return is_logged_in(user) and user.has_role(TEAM_LEADER, ORGANIZER, ADMIN)


def can_manage_team(user, team):
    """Members, skills, qualifications and training enrolment of ``team``."""
    if not is_logged_in(user):
        return False
    if is_staff(user) and can_manage_district(user, team.district_id):
        return True
    return user.has_role(TEAM_LEADER) and team.leader_id == user.id


def can_run_team(user, team):
    """Organizer-only decisions about a team: its name, district and leader, training completion."""
    return is_staff(user) and can_manage_district(user, team.district_id)


def can_create_team(user, district_id=None):
    if not is_staff(user):
        return False
    return district_id is None or can_manage_district(user, district_id)


def can_staff_event(user, event):
    """Assign volunteers, see coverage and suggestions, confirm who served, record training attendance."""
    return is_staff(user) and can_manage_district(user, event.district_id)


def can_manage_projects(user):
    return is_staff(user)


def can_edit_project(user, project):
    # A city-wide project (no district) is for city-wide staff: can_manage_district(user, None).
    return is_staff(user) and can_manage_district(user, project.district_id)
