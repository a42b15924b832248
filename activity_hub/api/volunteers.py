"""Volunteering: my assignments (accept, decline), teams with their training state, and
suggested volunteers for an event. Every rule is in ``activity_hub.volunteers``; this
module only reads input, calls the same services as the HTML pages and writes JSON.

A volunteer's view of an assignment carries the needs they are there for as counts and
what to do — never residents' names, contacts or diagnoses.
"""
from ..accessibility import VOLUNTEER_SKILL_CODES, skill_label
from ..extensions import db
from ..volunteers import access, assignments as service, lookups, matching, teams as team_service, training
from ..volunteers.briefing import assignment_briefings
from ..volunteers.errors import VolunteerError
from ..volunteers.models import ASSIGNMENT_STATUSES, assignment_status_label
from ..volunteers.my_shifts import my_shifts
from ..volunteers.years import current_year, local_today
from .framework import Routes, bp, error_response, json_body, query_args, require_user
from .schema import Field, Fields
from .serializers import EVENT_BRIEF, event_brief_json, iso

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Volunteers")


@bp.errorhandler(VolunteerError)
def volunteer_refused(error):
    """A refusal tied to an input is 400 ``validation_failed``; a refused operation is 409 with its code
    (the service has already rolled back)."""
    from flask_babel import gettext as _

    if error.field:
        return error_response(400, "validation_failed", _("Some of the values given are not right"),
                              {error.field: error.message})
    return error_response(409, error.code, error.message)


# -- schemas ---------------------------------------------------------------------------------

def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema):
    return {**schema, "type": [schema["type"], "null"]}


INTEGER, STRING, BOOLEAN, NUMBER = {"type": "integer"}, {"type": "string"}, {"type": "boolean"}, {"type": "number"}
DATETIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
SKILL = {"type": "string", "enum": list(VOLUNTEER_SKILL_CODES)}
TRAINING_STATES = [training.TRAINED, training.PROPOSED, training.IN_TRAINING, training.ENROLLED, training.NOT_STARTED]


def _object(properties, required=None):
    return {"type": "object", "properties": properties, "required": list(required or properties)}


OPENAPI_SCHEMAS = {
    "AssignmentNeed": _object({
        "code": STRING, "label": STRING,
        "count": {"type": "integer", "description": "How many registrants have this need. Counts only: no names."},
    }),
    "MyAssignment": _object({
        "id": INTEGER,
        "event": EVENT_BRIEF,
        "place": _nullable({"type": "object", "properties": {"name": STRING, "address": STRING,
                                                             "accessible_entrance": STRING}}),
        "role": STRING,
        "skill": _nullable({"type": "string", "description": "The skill the volunteer is there for; null: general help."}),
        "status": {"type": "string", "enum": list(ASSIGNMENT_STATUSES)},
        "status_label": STRING,
        "shift_start": DATETIME,
        "shift_end": DATETIME,
        "decline_reason": STRING,
        "served_confirmed": BOOLEAN,
        "served_hours": _nullable(NUMBER),
        "needs": {"type": "array", "items": _ref("AssignmentNeed")},
        "what_to_do": STRING,
        "updated_at": DATETIME,
    }),
    "MyAssignmentList": _object({
        "year": INTEGER,
        "served_hours_this_year": NUMBER,
        "served_shifts_this_year": INTEGER,
        "items": {"type": "array", "items": _ref("MyAssignment")},
    }),
    "TeamTraining": _object({
        "year": INTEGER, "members": INTEGER,
        "attended": {"type": "integer", "description": "Members who attended a training session in the year."},
        "state": {"type": "string", "enum": TRAINING_STATES,
                  "description": "`trained` once an organizer marked it; `proposed` when at least two thirds "
                                 "attended but it is not marked yet."},
        "state_label": STRING,
        "trained": BOOLEAN,
    }),
    "Team": _object({
        "id": INTEGER, "name": STRING, "district": STRING, "district_code": STRING, "leader": STRING,
        "training": _ref("TeamTraining"),
    }),
    "TeamList": _object({
        "year": INTEGER, "trained": INTEGER, "target": INTEGER,
        "items": {"type": "array", "items": _ref("Team")},
    }),
    "TeamMember": _object({
        "user_id": INTEGER, "name": STRING, "is_leader": BOOLEAN, "availability_notes": STRING,
        "skills": {"type": "array", "items": SKILL, "description": "Skills that count today (qualifications checked)."},
        "declared_skills": {"type": "array", "items": SKILL},
        "qualifications": {"type": "array", "items": _object({
            "id": INTEGER, "skill": SKILL, "title": STRING, "issued_on": _nullable(DATE), "expires_on": DATE,
            "valid": BOOLEAN})},
        "trainings_attended": INTEGER,
        "served_hours": NUMBER,
    }),
    "TeamDetail": _object({
        "id": INTEGER, "name": STRING, "district": STRING, "district_code": STRING, "leader": STRING,
        "training": _ref("TeamTraining"),
        "members": {"type": ["array", "null"], "items": _ref("TeamMember"),
                    "description": "Only for the team's leader, the district's organizers and administrators."},
    }),
    "AssignmentSuggestion": _object({
        "volunteer_id": INTEGER, "name": STRING, "skill": SKILL, "skill_label": STRING,
        "people": {"type": "integer", "description": "Registrants this volunteer would cover."},
        "in_district": BOOLEAN, "served_hours_this_year": NUMBER, "shifts_this_year": INTEGER,
        "explanation": STRING,
    }),
    "AssignmentSuggestions": _object({
        "event_id": INTEGER, "shift_start": DATETIME, "shift_end": DATETIME,
        "items": {"type": "array", "items": _ref("AssignmentSuggestion")},
        "unfilled": {"type": "array", "items": _object({"skill": SKILL, "skill_label": STRING, "people": INTEGER}),
                     "description": "Places no free volunteer with the skill can fill."},
    }),
}


# -- serialising -----------------------------------------------------------------------------

def _place(event):
    venue = event.venue
    if venue is None:
        return None
    return {"name": venue.name, "address": venue.address, "accessible_entrance": venue.accessible_entrance}


def my_assignment_json(assignment, briefing):
    return {
        "id": assignment.id,
        "event": event_brief_json(assignment.event),
        "place": _place(assignment.event),
        "role": assignment.role,
        "skill": assignment.skill,
        "status": assignment.status,
        "status_label": str(assignment_status_label(assignment.status)),
        "shift_start": iso(assignment.shift_start),
        "shift_end": iso(assignment.shift_end),
        "decline_reason": assignment.decline_reason,
        "served_confirmed": assignment.served_confirmed,
        "served_hours": round(assignment.served_minutes / 60.0, 2) if assignment.served_confirmed else None,
        "needs": [{"code": need.code, "label": need.label, "count": count} for need, count in briefing.needs]
        if assignment.is_live else [],
        "what_to_do": str(briefing.duty),
        "updated_at": iso(assignment.updated_at),
    }


def _training_json(state, year):
    return {"year": year, "members": state.members, "attended": state.attended, "state": state.state,
            "state_label": str(training.state_label(state.state)), "trained": state.marked}


def team_json(team, state, year):
    return {"id": team.id, "name": team.name, "district": team.district.name, "district_code": team.district.code,
            "leader": team.leader.display_name, "training": _training_json(state, year)}


def member_json(member, team, today):
    return {
        "user_id": member.user.id, "name": member.user.display_name, "is_leader": member.user.id == team.leader_id,
        "availability_notes": member.membership.availability_notes,
        "skills": sorted(member.effective), "declared_skills": sorted(member.declared),
        "qualifications": [{"id": q.id, "skill": q.skill, "title": q.title,
                            "issued_on": q.issued_on.isoformat() if q.issued_on else None,
                            "expires_on": q.expires_on.isoformat(), "valid": q.is_valid_on(today)}
                           for q in member.qualifications],
        "trainings_attended": member.trainings_attended, "served_hours": round(member.hours, 2),
    }


# -- my assignments --------------------------------------------------------------------------

def _answer(assignment):
    return my_assignment_json(assignment, assignment_briefings(db.session, [assignment])[assignment.id])


MY_QUERY = Fields({
    "when": Field("string", enum=("upcoming", "past", "all"),
                  description="`upcoming`: shifts not over yet, soonest first; `past`: newest first; `all` (default)."),
})


@route("GET", "/me/assignments", summary="My volunteer assignments", query=MY_QUERY, response="MyAssignmentList")
def my_assignments():
    """For volunteers and team leaders. Each shift with the needs it is for (counts) and what to do."""
    user = lookups.require_volunteer(require_user())
    when = query_args(MY_QUERY).get("when", "all")
    shifts = my_shifts(db.session, user.id)
    mine = {"upcoming": shifts.upcoming, "past": shifts.past}.get(when, shifts.every)
    return {"year": shifts.year, "served_hours_this_year": round(shifts.served_hours, 2),
            "served_shifts_this_year": shifts.served_shifts,
            "items": [my_assignment_json(a, shifts.briefings[a.id]) for a in mine]}


@route("POST", "/me/assignments/<int:assignment_id>/accept", summary="Accept an assignment",
       response="MyAssignment", errors=(409,))
def accept_assignment(assignment_id):
    """Accepting twice changes nothing. Refusals (409): `not_proposed` (declined or cancelled), `shift_over`."""
    assignment = lookups.own_assignment(require_user(), assignment_id)
    return _answer(service.accept_assignment(db.session, assignment))


DECLINE = Fields({
    "reason": Field("string", required=True, min_length=1, max_length=service.REASON_MAX,
                    description="Why the volunteer cannot come; the organizer reads it."),
}, example={"reason": "那天要上班"})


@route("POST", "/me/assignments/<int:assignment_id>/decline", summary="Decline an assignment, with a reason",
       body=DECLINE, response="MyAssignment", errors=(409,))
def decline_assignment(assignment_id):
    """The place opens again and the organizer is told. Refusals (409): `not_active`, `shift_started`."""
    assignment = lookups.own_assignment(require_user(), assignment_id)
    data = json_body(DECLINE)
    return _answer(service.decline_assignment(db.session, assignment, data["reason"]))


# -- teams -----------------------------------------------------------------------------------

YEAR_QUERY = Fields({
    "year": Field("integer", minimum=2000, maximum=2100, description="The training year; the current year if omitted."),
})


@route("GET", "/teams", summary="Volunteer teams and their training state", query=YEAR_QUERY, response="TeamList")
def teams():
    """For team leaders, organizers and administrators. `trained` of `target` teams are marked trained in the year."""
    lookups.require_team_viewer(require_user())
    year = query_args(YEAR_QUERY).get("year") or current_year()
    rows = team_service.all_teams(db.session)
    states = training.training_states(db.session, year)
    return {"year": year, "trained": sum(1 for s in states.values() if s.marked),
            "target": training.TRAINED_TEAMS_TARGET, "items": [team_json(t, states[t.id], year) for t in rows]}


@route("GET", "/teams/<int:team_id>", summary="One team: training state, and members for those who manage it",
       query=YEAR_QUERY, response="TeamDetail")
def team_detail(team_id):
    """`members` (with skills, qualifications, training attended and hours) only for the team's leader,
    the district's organizers and administrators; null for other leaders."""
    user = lookups.require_team_viewer(require_user())
    year = query_args(YEAR_QUERY).get("year") or current_year()
    team = lookups.existing_team(team_id)
    state = training.training_states(db.session, year, [team.id])[team.id]
    data = team_json(team, state, year)
    data["members"] = None
    if access.can_manage_team(user, team):
        today = local_today()
        data["members"] = [member_json(m, team, today) for m in team_service.team_members(db.session, team, today, year)]
    return data


# -- suggestions -----------------------------------------------------------------------------

@route("GET", "/events/<int:event_id>/assignment-suggestions", summary="Volunteers suggested to cover an event's needs",
       response="AssignmentSuggestions")
def assignment_suggestions(event_id):
    """For the event's organizers. The same optimal choice as the suggestions page: needs covered
    first, then volunteers from the event's district, then those who served less this year; nobody
    with an overlapping shift."""
    event = lookups.staffable_event(require_user(), event_id)
    result = matching.suggest_assignments(db.session, event)
    return {
        "event_id": event.id, "shift_start": iso(result.shift_start), "shift_end": iso(result.shift_end),
        "items": [{
            "volunteer_id": s.volunteer_id, "name": s.volunteer.display_name, "skill": s.skill,
            "skill_label": skill_label(s.skill), "people": s.people, "in_district": s.in_district,
            "served_hours_this_year": round(s.served_hours, 2), "shifts_this_year": s.shifts_this_year,
            "explanation": s.explanation(),
        } for s in result.suggestions],
        "unfilled": [{"skill": slot.skill, "skill_label": skill_label(slot.skill), "people": slot.people}
                     for slot in result.unfilled],
    }
