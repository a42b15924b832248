"""Volunteer data for the real-browser scan (tests/browser): call ``seed_volunteers`` from its seeding.

It adds a team led by the seeded team leader with the seeded volunteer in it, a
qualification, a proposed shift at the ``interpreter`` event, a training session with
attendance, and a project; and a sandbox team whose forms may be submitted freely.
It fills ``seeded.extra["arguments"]`` and ``["sandbox_arguments"]`` with the route
arguments of the volunteer pages (team_id, assignment_id, qualification_id,
project_id, session_id, year, fmt).
"""
from datetime import date, datetime, timedelta, timezone

from activity_hub.extensions import db


def seed_volunteers(seeded, district, organizer, leader, volunteer, sandbox_user):
    from activity_hub.events.models import PUBLISHED, Event, Venue
    from activity_hub.volunteers.models import (
        AssistanceProject, Assignment, Qualification, TeamMembership, TrainingAttendance, TrainingEnrolment,
        VolunteerSkill, VolunteerTeam,
    )
    from activity_hub.volunteers.years import current_year

    now = datetime.now(timezone.utc)
    team = VolunteerTeam(name="武昌区阳光助残志愿服务队", district_id=district.id, leader_id=leader.id)
    sandbox_team = VolunteerTeam(name="测试用志愿队", district_id=district.id, leader_id=leader.id)
    db.session.add_all([team, sandbox_team])
    db.session.flush()
    db.session.add_all([
        TeamMembership(team_id=team.id, user_id=leader.id, availability_notes="周末全天"),
        TeamMembership(team_id=team.id, user_id=volunteer.id, availability_notes="工作日晚上"),
        TeamMembership(team_id=sandbox_team.id, user_id=leader.id),
        TeamMembership(team_id=sandbox_team.id, user_id=sandbox_user.id),
        VolunteerSkill(user_id=volunteer.id, code="sign_language"),
        VolunteerSkill(user_id=volunteer.id, code="sighted_guide"),
    ])
    qualification = Qualification(user_id=volunteer.id, skill="sign_language", title="国家通用手语翻译证书",
                                  issued_on=date.today() - timedelta(days=300),
                                  expires_on=date.today() + timedelta(days=700))
    sandbox_qualification = Qualification(user_id=sandbox_user.id, skill="first_aid", title="红十字救护员证",
                                          expires_on=date.today() + timedelta(days=30))
    venue = db.session.get(Venue, seeded.venues["main"])
    starts = now - timedelta(days=3)
    session = Event(title="助残志愿者集中培训：视障引导", summary="志愿者培训。", category="training", district=district,
                    venue=venue, starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=40,
                    wheelchair_spaces=2, max_companions=0, status=PUBLISHED, created_by_id=organizer.id)
    interpreter = db.session.get(Event, seeded.events["interpreter"])
    shift = Assignment(event_id=interpreter.id, volunteer_id=volunteer.id, team_id=team.id, role="手语翻译",
                       skill="sign_language", shift_start=interpreter.starts_at - timedelta(minutes=30),
                       shift_end=interpreter.ends_at, status="proposed", created_by_id=organizer.id)
    project = AssistanceProject(name="视障人士出行陪伴计划", team_id=team.id, district_id=district.id,
                                description="志愿者陪同视障人士就医、购物、办事。", stage="incubating",
                                proposed_on=date.today() - timedelta(days=60),
                                incubating_on=date.today() - timedelta(days=20))
    db.session.add_all([qualification, sandbox_qualification, session, shift, project])
    db.session.flush()
    db.session.add_all([TrainingEnrolment(team_id=team.id, event_id=session.id, enrolled_by_id=leader.id),
                        TrainingAttendance(event_id=session.id, user_id=volunteer.id)])
    db.session.commit()

    arguments = seeded.extra.setdefault("arguments", {})
    arguments.update({
        "team_id": [team.id], "assignment_id": [shift.id], "qualification_id": [qualification.id],
        "project_id": [project.id], "session_id": [session.id], "year": [current_year()], "fmt": ["csv", "xlsx"],
    })
    # user_id already lists the resident and the organizer (for the admin pages): add the team member.
    arguments["user_id"] = list(dict.fromkeys(
        arguments.get("user_id", [seeded.users["resident"], seeded.users["organizer"]]) + [volunteer.id]))
    sandbox = seeded.extra.setdefault("sandbox_arguments", {})
    sandbox.update({"team_id": [sandbox_team.id], "qualification_id": [sandbox_qualification.id]})
