"""Demo data for the volunteer pages: 30 teams, training, projects, shifts.

Called by ``demo_data.seed_demo``; running it again adds nothing (everything is
looked up by a natural key first). All demo volunteer accounts share one password
hash, computed once, so seeding stays fast.

What it sets up:
- 30 teams across the districts (the plan's figure), each with a leader and five
  members (accounts 1370000xxxx) with skills and, for sign language and first aid,
  qualifications (a few expired, to show the rule);
- the demo team leader 13800000003 leads a Wuchang team; the demo volunteer
  13800000002 is in it, with a past served shift and upcoming ones;
- training sessions (events of category ``training``), attendance, and some teams
  marked trained this year, some only proposed;
- six assistance projects at different stages;
- a handful of demo residents registered, with needs, for the next Wuchang event,
  so an organizer can staff it from the suggestions.
"""
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from ..auth.models import RoleGrant, User
from ..districts import DISTRICTS
from ..events.models import CANCELLED as EVENT_CANCELLED, CONFIRMED, PUBLISHED, Event, Registration
from ..local_time import SHANGHAI
from .models import (
    ACCEPTED, PROPOSED, AssistanceProject, Assignment, Qualification, TeamMembership, TeamTrainingCompletion,
    TrainingAttendance, TrainingEnrolment, VolunteerSkill, VolunteerTeam,
)

TEAMS = 30
MEMBERS_PER_TEAM = 5
MEMBER_PHONE = "1370000{:04d}"
RESIDENT_PHONE = "1370009{:04d}"
DEMO_VOLUNTEER, DEMO_LEADER = "13800000002", "13800000003"
TEAM_WORDS = ["阳光", "同行", "手语", "爱心", "暖阳", "启明", "春风", "彩虹"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["明", "静", "磊", "芳", "伟", "娜", "涛", "敏", "洋", "婷", "军", "燕"]
# Skills of a team's members in turn (the leader takes the first).
SKILL_SETS = [
    ("general", "mobility_assist"),
    ("sign_language",),
    ("sighted_guide", "general"),
    ("mobility_assist", "first_aid"),
    ("sighted_guide", "sign_language"),
    ("psych_support", "easy_read"),
]
TRAINING_SESSIONS = [
    ("助残志愿者集中培训（第一期）：残疾人礼仪与沟通", -75, 2),
    ("助残志愿者集中培训（第二期）：视障引导与轮椅协助", -30, 2),
    ("助残志愿者集中培训（第三期）：国家通用手语基础", 12, 2),
    ("助残志愿者集中培训（第四期）：应急救护", 40, 2),
]
PROJECTS = [
    ("视障人士出行陪伴计划", 0, "", "incubating", "志愿者每周陪同视障人士就医、购物、办事。"),
    ("手语进社区", 4, "", "launched", "在社区服务中心开设国家通用手语体验课，培养社区手语志愿者。"),
    ("轮椅友好商圈", None, "武汉市无障碍环境促进会", "incubating", "走访商圈，记录无障碍设施，推动改造。"),
    ("无障碍电影讲述人", 8, "", "launched", "培训口述影像志愿者，为视障观众讲述电影。"),
    ("残疾人就业辅导站", None, "江汉区残疾人就业服务中心", "proposed", "为求职的残疾人提供简历、面试辅导。"),
    ("心理支持热线", 12, "", "closed", "为残疾人及家属提供电话心理支持；已并入市心理援助热线。"),
]


def _local(day, hour):
    return datetime.combine(day, time(hour, 0), tzinfo=SHANGHAI)


def _name(n):
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)] + GIVEN[n % len(GIVEN)]


def seed(session, today, users, venues, districts):
    password_hash = users[DEMO_VOLUNTEER].password_hash  # the demo password, already hashed once
    district_codes = [code for code, _zh, _en in DISTRICTS]
    teams = _seed_teams(session, users, districts, district_codes, password_hash, today)
    sessions = _seed_training_sessions(session, today, venues, users)
    _seed_training_progress(session, today, teams, sessions)
    _seed_projects(session, today, teams, districts)
    _seed_staffing_scene(session, today, users, teams[0], password_hash, districts)
    session.flush()


def _seed_teams(session, users, districts, district_codes, password_hash, today):
    # Slot 0 of each team is its leader; team 0 is led by the demo team leader instead.
    phones = [MEMBER_PHONE.format(n) for n in range(1, TEAMS * (MEMBERS_PER_TEAM + 1))]
    people = {u.phone: u for u in session.scalars(sa.select(User).where(User.phone.in_(phones)))}
    for n, phone in enumerate(phones):
        if phone in people:
            continue
        team_number, slot = divmod(n, MEMBERS_PER_TEAM + 1)
        district = districts[district_codes[(team_number + 4) % len(district_codes)]]
        user = User(phone=phone, display_name=_name(n) + "（演示志愿者）", password_hash=password_hash,
                    district=district, default_needs=[])
        user.role_grants.append(RoleGrant(role="volunteer"))
        if slot == 0:
            user.role_grants.append(RoleGrant(role="team_leader", district_id=district.id))
        session.add(user)
        people[phone] = user
    session.flush()

    existing = {t.name: t for t in session.scalars(sa.select(VolunteerTeam))}
    memberships = set(session.execute(sa.select(TeamMembership.team_id, TeamMembership.user_id)).all())
    skills = set(session.execute(sa.select(VolunteerSkill.user_id, VolunteerSkill.code)).all())
    qualified = set(session.execute(sa.select(Qualification.user_id, Qualification.skill)).all())
    teams = []
    for team_number in range(TEAMS):
        code = district_codes[(team_number + 4) % len(district_codes)]
        district = districts[code]
        word = TEAM_WORDS[(team_number + team_number // len(district_codes)) % len(TEAM_WORDS)]
        name = f"{district.name_zh}{word}助残志愿服务队"
        first = team_number * (MEMBERS_PER_TEAM + 1)
        if team_number == 0:
            members = [users[DEMO_LEADER], users[DEMO_VOLUNTEER]] + [
                people[MEMBER_PHONE.format(k)] for k in range(1, MEMBERS_PER_TEAM + 1)]
        else:
            members = [people[MEMBER_PHONE.format(first + k)] for k in range(MEMBERS_PER_TEAM + 1)]
        leader = members[0]
        team = existing.get(name)
        if team is None:
            team = VolunteerTeam(name=name, district_id=district.id, leader_id=leader.id)
            session.add(team)
            session.flush()
        teams.append(team)
        for k, member in enumerate(members):
            if (team.id, member.id) not in memberships:
                session.add(TeamMembership(team_id=team.id, user_id=member.id,
                                           availability_notes=["周末全天", "工作日晚上", "周六上午", ""][k % 4]))
                memberships.add((team.id, member.id))
            codes = ("sighted_guide", "mobility_assist", "sign_language") if member is users[DEMO_VOLUNTEER] \
                else SKILL_SETS[(team_number + k) % len(SKILL_SETS)]
            for skill in codes:
                if (member.id, skill) not in skills:
                    session.add(VolunteerSkill(user_id=member.id, code=skill))
                    skills.add((member.id, skill))
                if skill in ("sign_language", "first_aid") and (member.id, skill) not in qualified:
                    # Every seventh certificate has lapsed, to show that it no longer counts.
                    lapsed = (team_number + k) % 7 == 3
                    title = "国家通用手语翻译证书" if skill == "sign_language" else "红十字救护员证"
                    session.add(Qualification(
                        user_id=member.id, skill=skill, title=title,
                        issued_on=today - timedelta(days=800 if lapsed else 200),
                        expires_on=today - timedelta(days=35) if lapsed else today + timedelta(days=900)))
                    qualified.add((member.id, skill))
    session.flush()
    return teams


def _seed_training_sessions(session, today, venues, users):
    titles = [title for title, _offset, _hours in TRAINING_SESSIONS]
    existing = {e.title: e for e in session.scalars(sa.select(Event).where(Event.title.in_(titles)))}
    venue = venues[2]  # 武昌区残疾人综合服务中心
    sessions = []
    for title, offset, hours in TRAINING_SESSIONS:
        event = existing.get(title)
        if event is None:
            day = today + timedelta(days=offset)
            if offset < 0:
                day = max(day, date(today.year, 1, 1))
            starts = _local(day, 9)
            event = Event(
                title=title, category="training", district=venue.district, venue=venue,
                summary=f"{title}。面向全市助残志愿者队伍，由队长统一报名。",
                description="培训结束后由组织者记录出勤。全年参加培训的队员达到三分之二，队伍即可认定为完成培训。",
                starts_at=starts, ends_at=starts + timedelta(hours=hours), capacity=80, wheelchair_spaces=4,
                max_companions=0, registration_opens_at=starts - timedelta(days=30),
                registration_closes_at=starts - timedelta(hours=2), contact_name="市残联志愿服务科",
                contact_phone="027-85888888", status=PUBLISHED, created_by_id=users["13800000005"].id,
            )
            event.set_provisions(["sign_language", "wheelchair_space"])
            session.add(event)
        sessions.append(event)
    session.flush()
    return sessions


def _seed_training_progress(session, today, teams, sessions):
    """Teams 0-11 trained, 12-15 ready to be marked, 16-21 partly attended, the rest enrolled or not started."""
    past = [s for s in sessions if s.starts_at.astimezone(SHANGHAI).date() <= today
            and s.starts_at.astimezone(SHANGHAI).year == today.year]
    upcoming = [s for s in sessions if s.starts_at.astimezone(SHANGHAI).date() > today]
    enrolled = set(session.execute(sa.select(TrainingEnrolment.team_id, TrainingEnrolment.event_id)).all())
    attended = set(session.execute(sa.select(TrainingAttendance.event_id, TrainingAttendance.user_id)).all())
    completed = set(session.execute(sa.select(TeamTrainingCompletion.team_id, TeamTrainingCompletion.year)).all())
    members = {}
    for team_id, user_id in session.execute(sa.select(TeamMembership.team_id, TeamMembership.user_id)
                                            .order_by(TeamMembership.id)):
        members.setdefault(team_id, []).append(user_id)
    for number, team in enumerate(teams):
        chosen = (past[number % len(past)] if past else None) if number < 22 else (
            upcoming[0] if upcoming and number < 26 else None)
        if chosen is not None and (team.id, chosen.id) not in enrolled:
            session.add(TrainingEnrolment(team_id=team.id, event_id=chosen.id, enrolled_by_id=team.leader_id))
            enrolled.add((team.id, chosen.id))
        if chosen is None or chosen not in past:
            continue
        team_members = members.get(team.id, [])
        share = len(team_members) if number < 16 else len(team_members) // 3
        for user_id in team_members[:share]:
            if (chosen.id, user_id) not in attended:
                session.add(TrainingAttendance(event_id=chosen.id, user_id=user_id))
                attended.add((chosen.id, user_id))
        if number < 12 and (team.id, today.year) not in completed:
            session.add(TeamTrainingCompletion(team_id=team.id, year=today.year))
            completed.add((team.id, today.year))


def _seed_projects(session, today, teams, districts):
    have = set(session.scalars(sa.select(AssistanceProject.name)))
    for number, (name, team_index, organisation, stage, description) in enumerate(PROJECTS):
        if name in have:
            continue
        team = teams[team_index] if team_index is not None else None
        proposed = max(date(today.year, 1, 1), today - timedelta(days=150 - number * 10))
        dates = {"proposed_on": proposed}
        order = ["proposed", "incubating", "launched", "closed"]
        for step, later in enumerate(order[1:order.index(stage) + 1], start=1):
            dates[f"{later}_on"] = min(today, proposed + timedelta(days=30 * step))
        session.add(AssistanceProject(
            name=name, team_id=team.id if team else None, organisation=organisation, description=description,
            district_id=team.district_id if team else (districts["jianghan"].id if "江汉" in organisation else None),
            stage=stage, **dates))


def _seed_staffing_scene(session, today, users, wuchang_team, password_hash, districts):
    """Registrants with needs at the next Wuchang event, and the demo volunteer's shifts."""
    now = datetime.now(SHANGHAI)
    upcoming = list(session.scalars(
        sa.select(Event).where(Event.district_id == wuchang_team.district_id, Event.starts_at > now + timedelta(days=1),
                               Event.category != "training", Event.status != EVENT_CANCELLED)
        .order_by(Event.starts_at).limit(2)))
    past = session.scalar(
        sa.select(Event).where(Event.district_id == wuchang_team.district_id, Event.ends_at < now,
                               Event.category != "training").order_by(Event.starts_at.desc()).limit(1))
    volunteer = users[DEMO_VOLUNTEER]
    if upcoming:
        _seed_registrants(session, upcoming[0], password_hash, districts)
    have = set(session.scalars(sa.select(Assignment.event_id).where(Assignment.volunteer_id == volunteer.id)))
    plan = []
    if upcoming:
        plan.append((upcoming[0], PROPOSED, "视障引导", "sighted_guide", False))
    if len(upcoming) > 1:
        plan.append((upcoming[1], ACCEPTED, "入口迎宾与行动协助", "mobility_assist", False))
    if past is not None:
        plan.append((past, ACCEPTED, "手语翻译", "sign_language", True))
    organizer = users["13800000004"]
    for event, status, role, skill, served in plan:
        if event.id in have:
            continue
        start, end = event.starts_at - timedelta(minutes=30), event.ends_at
        session.add(Assignment(
            event_id=event.id, volunteer_id=volunteer.id, team_id=wuchang_team.id, role=role, skill=skill,
            shift_start=start, shift_end=end, status=status, served_confirmed=served,
            served_minutes=int((end - start).total_seconds() // 60) if served else None,
            created_by_id=organizer.id))


def _seed_registrants(session, event, password_hash, districts):
    needs = [["sign_language"], ["sign_language"], ["sign_language", "seat_no_queue"], ["sighted_guide", "braille"],
             ["sighted_guide"], ["sighted_guide", "guide_dog"], ["mobility_assist", "wheelchair_space"], []]
    phones = [RESIDENT_PHONE.format(n) for n in range(len(needs))]
    residents = {u.phone: u for u in session.scalars(sa.select(User).where(User.phone.in_(phones)))}
    registered = set(session.scalars(sa.select(Registration.user_id).where(Registration.event_id == event.id)))
    for n, (phone, codes) in enumerate(zip(phones, needs)):
        resident = residents.get(phone)
        if resident is None:
            resident = User(phone=phone, display_name=_name(n + 7) + "（演示居民）", password_hash=password_hash,
                            district=districts["wuchang"], default_needs=codes)
            resident.role_grants.append(RoleGrant(role="resident"))
            session.add(resident)
            session.flush()
        if resident.id in registered:
            continue
        registration = Registration(event_id=event.id, user_id=resident.id, status=CONFIRMED,
                                    consent_at=datetime.now(SHANGHAI) if codes else None)
        registration.set_needs(codes)
        session.add(registration)
