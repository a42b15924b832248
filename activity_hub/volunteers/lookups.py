"""Load a thing of the volunteers domain for a person, or refuse: the one place where the pages
and the JSON API decide "may this person see or change this".

Each function returns what was asked for or raises ``NotFound`` (no such thing, or not theirs to
know about) or ``Forbidden`` (they may not do this); the app answers those once as the error page
and once as the API's JSON error. The rules themselves are in ``access.py``; rule violations of an
operation (a shift already over, a name taken) stay ``VolunteerError`` from the services.
"""
from ..auth.accounts import can_manage_district
from ..districts import District
from ..events.models import Event
from ..extensions import db
from ..lookup_errors import Forbidden, NotFound
from . import access
from .models import Assignment, AssistanceProject, Qualification
from .teams import get_team, membership_of
from .training import TRAINING


def _found(thing):
    if thing is None:
        raise NotFound()
    return thing


def require_volunteer(user):
    """The user, if they count as a volunteer ("my assignments", the assignments feed)."""
    if not access.is_volunteer(user):
        raise Forbidden()
    return user


def own_assignment(user, assignment_id, live=False):
    """One of ``user``'s own assignments (``live``: only while it is proposed or accepted)."""
    require_volunteer(user)
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.volunteer_id != user.id or (live and not assignment.is_live):
        raise NotFound()
    return assignment


def require_staff(user):
    """Organizers and admins: staffing, training sessions, hours and projects."""
    if not access.is_staff(user):
        raise Forbidden()
    return user


def require_team_viewer(user):
    """Team leaders, organizers and admins see the list of teams."""
    if not access.can_see_team_list(user):
        raise Forbidden()
    return user


def require_team_creator(user, district_id=None):
    """Staff who may create a team (in ``district_id`` when given) or move one there."""
    if not access.can_create_team(user, district_id):
        raise Forbidden()
    return user


def team_district(user, district_id):
    """The district, if ``user`` may create a team there or move one there (unknown ones: refused too)."""
    district = db.session.get(District, district_id)
    if district is None or not access.can_create_team(user, district.id):
        raise Forbidden()
    return district


def existing_team(team_id):
    return _found(get_team(db.session, team_id))


def manageable_team(user, team_id):
    """The team, if ``user`` may manage its members, skills and training enrolment."""
    team = existing_team(team_id)
    if not access.can_manage_team(user, team):
        raise Forbidden()
    return team


def runnable_team(user, team_id):
    """The team, if ``user`` may decide its name, district and leader and its training completion."""
    team = existing_team(team_id)
    if not access.can_run_team(user, team):
        raise Forbidden()
    return team


def team_membership(team, user_id):
    return _found(membership_of(db.session, team.id, user_id))


def member_qualification(user_id, qualification_id):
    qualification = db.session.get(Qualification, qualification_id)
    if qualification is None or qualification.user_id != user_id:
        raise NotFound()
    return qualification


def existing_event(event_id):
    return _found(db.session.get(Event, event_id))


def staffable_event(user, event_id):
    """The event, if ``user`` may assign its volunteers and confirm who served."""
    event = existing_event(event_id)
    if not access.can_staff_event(user, event):
        raise Forbidden()
    return event


def event_assignment(event, assignment_id):
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.event_id != event.id:
        raise NotFound()
    return assignment


def training_session(user, event_id):
    """A training session (an event of category ``training``) whose attendance ``user`` may record."""
    event = existing_event(event_id)
    if event.category != TRAINING:
        raise NotFound()
    if not access.can_staff_event(user, event):
        raise Forbidden()
    return event


def editable_project(user, project_id):
    project = _found(db.session.get(AssistanceProject, project_id))
    if not access.can_edit_project(user, project):
        raise Forbidden()
    return project


def require_managed_district(user, district_id):
    """Refuse a district (None: city-wide) that ``user`` does not manage."""
    if not can_manage_district(user, district_id):
        raise Forbidden()
    return district_id
