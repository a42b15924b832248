"""Demo data for the dashboard: the 2021 plan's measurable targets for the current plan year,
one hand-entered target, and attendance at the demo events that have already taken place.

Called by ``demo_data.seed_demo``; running it again adds nothing. Past demo events that nobody
has registered for yet are marked completed and given checked-in registrations from a pool of
demo residents, so the dashboard has a year in progress to show.
"""
import random
import zlib
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from ..auth.accounts import hash_password
from ..auth.models import RoleGrant, User
from ..db_types import utcnow
from ..events.models import COMPLETED, CONFIRMED, PUBLISHED, Event, Registration
from ..local_time import SHANGHAI
from .models import PlanTarget

PLAN = "武残联〔2021〕6号"
# (key, zh, en, target, unit, measure, hand-entered figure, section of the plan)
TARGETS = [
    ("culture_sports_events", "举办群众性文化体育活动", "Mass cultural and sports events held",
     15, "events", "culture_sports_events_held", None, "（十）"),
    ("legal_sessions", "举办残疾人普法宣传教育活动", "Legal-awareness sessions held",
     50, "sessions", "legal_sessions_held", None, "（十二）"),
    ("volunteer_teams_trained", "助残志愿者队伍集中培训", "Volunteer teams given training",
     30, "teams", "teams_trained", None, "（十三）"),
    ("assistance_projects", "孵化助残项目", "Assistance projects incubated",
     5, "projects", "projects_incubated", None, "（十三）"),
    ("person_times", "参加文化体育和普法活动人次", "Person-times at events",
     3000, "person_times", "person_times", None, ""),
    ("job_placements", "推荐残疾人上岗就业", "Persons with disabilities placed in jobs",
     1000, "person_times", "manual", 420, "（五）"),
]

DEMO_RESIDENTS = 60
RESIDENT_PHONE = "1380100{:04d}"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "秀英", "桂兰", "志强", "丽华", "海燕", "春梅", "国庆", "小红", "文杰", "玉兰", "德明"]


def seed(session, today, users, venues, districts):
    _seed_targets(session, today.year)
    residents = _demo_residents(session, districts)
    _seed_attendance(session, today, residents)
    session.flush()


def _seed_targets(session, year):
    have = set(session.scalars(sa.select(PlanTarget.key).where(PlanTarget.year == year)))
    for position, (key, zh, en, target, unit, measure, actual, section) in enumerate(TARGETS, start=1):
        if key in have:
            continue
        session.add(PlanTarget(
            year=year, key=key, label_zh=zh, label_en=en, target=target, unit=unit, measure=measure,
            manual_actual=actual, source=f"{PLAN} {section}".strip() if section else "本系统设定",
            position=position,
        ))


def _demo_residents(session, districts):
    phones = [RESIDENT_PHONE.format(n) for n in range(1, DEMO_RESIDENTS + 1)]
    existing = {u.phone: u for u in session.scalars(sa.select(User).where(User.phone.in_(phones)))}
    district_list = list(districts.values())
    password_hash = None
    residents = []
    for n, phone in enumerate(phones, start=1):
        user = existing.get(phone)
        if user is None:
            password_hash = password_hash or hash_password("demo-pass-2026")
            name = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)] + "（演示居民）"
            user = User(phone=phone, display_name=name, password_hash=password_hash,
                        district=district_list[n % len(district_list)], default_needs=[])
            user.role_grants.append(RoleGrant(role="resident"))
            session.add(user)
        residents.append(user)
    session.flush()
    return residents


def _seed_attendance(session, today, residents):
    """Past published demo events without registrations: completed, with people checked in."""
    now = utcnow()
    cutoff = min(datetime.combine(today, time(0), tzinfo=SHANGHAI), now)
    taken = sa.select(Registration.id).where(Registration.event_id == Event.id).exists()
    events = session.scalars(
        sa.select(Event).where(Event.status == PUBLISHED, Event.ends_at < cutoff, ~taken).order_by(Event.starts_at)
    ).all()
    for event in events:
        rng = random.Random(zlib.crc32(event.title.encode("utf-8")))
        if event.category == "legal" and rng.random() < 0.1:
            continue  # the organizer has not closed this one yet: not counted as held
        count = rng.randint(15, 40) if event.category in ("culture", "sports") else rng.randint(6, 20)
        wheelchair_spaces = event.wheelchair_spaces
        for resident in rng.sample(residents, min(count, len(residents), event.capacity // 2)):
            needs = [code for code in event.provisions if rng.random() < 0.25]
            if "wheelchair_space" in needs:
                if wheelchair_spaces <= 0:
                    needs.remove("wheelchair_space")
                wheelchair_spaces -= 1
            if rng.random() < 0.08:
                needs.append(rng.choice(["braille", "transport", "quiet_room"]))
            registration = Registration(
                event=event, user=resident, status=CONFIRMED, created_at=event.starts_at - timedelta(days=7),
                companions=1 if rng.random() < 0.3 and event.max_companions else 0,
                checked_in_at=event.starts_at - timedelta(minutes=rng.randint(0, 20)),
                consent_at=event.starts_at - timedelta(days=7),
            )
            registration.set_needs(needs)
            session.add(registration)
        event.status = COMPLETED
        event.sequence += 1
        event.updated_at = now
