"""Generated people: residents (one password hash for all), the organizer, volunteer teams."""
from datetime import date, timedelta

from ..accessibility import NEED_CODES, VOLUNTEER_SKILL_CODES
from ..auth.models import RoleGrant, User
from ..volunteers.models import (
    AssistanceProject, Qualification, TeamMembership, TeamTrainingCompletion, VolunteerSkill, VolunteerTeam,
)
from .bulk import bulk_insert, next_id

PASSWORD = "scale-pass-2026"
ORGANIZER_EMAIL = "scale-organizer@activity-hub.local"
PHONE = "139{:08d}"  # residents 13900000001, 13900000002, ...
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
GIVEN = ["建国", "秀英", "桂兰", "志强", "丽华", "海燕", "春梅", "国庆", "小红", "文杰", "玉兰", "德明",
         "子涵", "浩然", "雨萱", "俊杰", "欣怡", "宇轩", "淑珍", "振华", "婷婷", "明辉", "凤英", "家豪"]
# Needs that residents commonly keep as defaults, roughly how often they come up.
COMMON_NEEDS = ["seat_no_queue", "large_print", "sign_language", "captions", "wheelchair_space",
                "sighted_guide", "accessible_toilet", "easy_read", "mobility_assist", "hearing_loop",
                "braille", "transport", "quiet_room", "audio_description", "e_text", "guide_dog"]
assert set(COMMON_NEEDS) <= set(NEED_CODES)
QUALIFIED_SKILLS = ("sign_language", "first_aid")


def phone_of(index):
    """The login of the ``index``-th generated resident (0-based)."""
    return PHONE.format(index + 1)


def name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def insert_users(session, rng, count, district_ids, password_hash, now):
    """``count`` residents with the role resident; returns the first id (ids are consecutive)."""
    first = next_id(session, User)
    columns = ("id", "phone", "email", "display_name", "password_hash", "district_id", "default_needs",
               "default_needs_note", "text_only_contact", "emergency_contact_name", "emergency_contact_phone",
               "locale", "text_size", "theme", "reduced_motion", "prefers_easy_read", "is_active_account",
               "created_at")

    def rows():
        for n in range(count):
            needs = rng.sample(COMMON_NEEDS, rng.choice((1, 1, 2, 3))) if rng.random() < 0.35 else []
            deaf = "sign_language" in needs or "captions" in needs
            yield (
                first + n, phone_of(n), None, name(rng), password_hash, rng.choice(district_ids), needs, "",
                deaf and rng.random() < 0.7, "", "", "en" if rng.random() < 0.04 else "zh_CN",
                rng.choice((100, 100, 100, 100, 125, 150, 200)), "high_contrast" if rng.random() < 0.05 else "default",
                False, rng.random() < 0.06, True, now - timedelta(days=rng.uniform(1, 900)),
            )

    bulk_insert(session, User, columns, rows())
    grant_first = next_id(session, RoleGrant)
    bulk_insert(session, RoleGrant, ("id", "user_id", "role", "district_id", "granted_at", "granted_by_id"),
                ((grant_first + n, first + n, "resident", None, now, None) for n in range(count)))
    return first


def insert_organizer(session, password_hash, now):
    """The city-wide organizer (also administrator) that logs in to the dashboard."""
    organizer = User(email=ORGANIZER_EMAIL, display_name="规模测试组织者", password_hash=password_hash,
                     default_needs=[], locale="zh_CN", created_at=now)
    session.add(organizer)
    session.flush()
    for role in ("organizer", "admin"):
        session.add(RoleGrant(user_id=organizer.id, role=role, district_id=None, granted_at=now))
    session.flush()
    return organizer


def insert_teams(session, rng, user_ids, district_ids, organizer_id, now):
    """Volunteer teams of about 20 members, their skills, qualifications, training and projects.

    Returns {team id: (district id, [member user ids])}.
    """
    team_count = max(5, min(300, len(user_ids) // 5000))
    team_first, member_first = next_id(session, VolunteerTeam), next_id(session, TeamMembership)
    volunteers = rng.sample(user_ids, min(len(user_ids), team_count * 20))
    teams, team_rows, member_rows = {}, [], []
    for t in range(team_count):
        members = volunteers[t * 20:(t + 1) * 20]
        if not members:
            break
        team_id, district_id = team_first + t, district_ids[t % len(district_ids)]
        teams[team_id] = (district_id, members)
        team_rows.append((team_id, f"助残志愿服务队（规模测试 {t + 1}）", district_id, members[0], now))
        for user_id in members:
            member_rows.append((member_first + len(member_rows), team_id, user_id, "", now))
    bulk_insert(session, VolunteerTeam, ("id", "name", "district_id", "leader_id", "created_at"), team_rows)
    bulk_insert(session, TeamMembership, ("id", "team_id", "user_id", "availability_notes", "joined_at"), member_rows)

    grant_id = next_id(session, RoleGrant)
    grants, skills, qualifications = [], [], []
    qualification_id = next_id(session, Qualification)
    for team_id, (district_id, members) in teams.items():
        grants.append((grant_id + len(grants), members[0], "team_leader", district_id, now, organizer_id))
        for user_id in members:
            grants.append((grant_id + len(grants), user_id, "volunteer", None, now, organizer_id))
            for code in rng.sample(VOLUNTEER_SKILL_CODES, rng.choice((1, 2, 3))):
                skills.append((user_id, code))
                if code in QUALIFIED_SKILLS:
                    issued = now.date() - timedelta(days=rng.randint(30, 900))
                    qualifications.append((qualification_id + len(qualifications), user_id, code,
                                           "手语翻译证书" if code == "sign_language" else "急救员证书",
                                           issued, issued + timedelta(days=1095), now))
    bulk_insert(session, RoleGrant, ("id", "user_id", "role", "district_id", "granted_at", "granted_by_id"), grants)
    bulk_insert(session, VolunteerSkill, ("user_id", "code"), skills)
    bulk_insert(session, Qualification, ("id", "user_id", "skill", "title", "issued_on", "expires_on", "created_at"),
                qualifications)

    year = now.year
    completion_id = next_id(session, TeamTrainingCompletion)
    trained = [team_id for team_id in teams if rng.random() < 0.6]
    bulk_insert(session, TeamTrainingCompletion, ("id", "team_id", "year", "marked_by_id", "marked_at"),
                [(completion_id + n, team_id, year, organizer_id, now) for n, team_id in enumerate(trained)])
    project_id = next_id(session, AssistanceProject)
    projects = []
    for n, (team_id, (district_id, _)) in enumerate(list(teams.items())[: max(2, len(teams) // 5)]):
        stage = rng.choice(("proposed", "incubating", "launched"))
        proposed = date(year, 1, 1) + timedelta(days=rng.randint(0, 200))
        incubating = proposed + timedelta(days=30) if stage != "proposed" else None
        launched = proposed + timedelta(days=90) if stage == "launched" else None
        projects.append((project_id + n, f"助残项目（规模测试 {n + 1}）", team_id, "", district_id, "", stage,
                         proposed, incubating, launched, None, now, now))
    bulk_insert(session, AssistanceProject,
                ("id", "name", "team_id", "organisation", "district_id", "description", "stage", "proposed_on",
                 "incubating_on", "launched_on", "closed_on", "created_at", "updated_at"), projects)
    return teams
