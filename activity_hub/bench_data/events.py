"""Generated venues, events, provisions, registrations (with needs, companions and waitlists)
and volunteer assignments.

A fifth of the events took place in the last four weeks (completed, with check-ins and
no-shows); the rest are spread over the coming year. So every event is in the public feed
(which keeps 30 days of history) and the dashboard has a year with attendance to count.
Registrations are placed in arrival order by the waitlist policy of ``events.registration``:
an entry that fits whole gets its places, one that does not waits.
"""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..accessibility import NEED_CODES, VENUE_FEATURE_CODES
from ..events.models import (
    CANCELLED, COMPLETED, CONFIRMED, DRAFT, PENDING, PUBLISHED, REG_CANCELLED, REJECTED, WAITLISTED,
    Event, EventProvision, Registration, RegistrationNeed, Series, Venue,
)
from ..volunteers.models import Assignment
from .bulk import bulk_insert, next_id

SHANGHAI = ZoneInfo("Asia/Shanghai")
CATEGORIES = [("culture", 3), ("sports", 2), ("legal", 3), ("training", 1), ("other", 1)]
KINDS = {
    "culture": ["无障碍电影放映", "残疾人文化周展演", "书画作品展", "诗歌与交响音乐会", "手语歌曲汇演"],
    "sports": ["轮椅舞蹈比赛", "特奥日趣味运动会", "残疾人健身周活动", "盲人门球友谊赛", "坐式排球训练营"],
    "legal": ["民法典普法讲座", "残疾人保障法宣传", "“八五”普法进社区", "法律援助咨询日", "无障碍环境建设法解读"],
    "training": ["助残志愿者集中培训", "手语基础培训", "视障引导技能培训", "急救技能培训"],
    "other": ["全国助残日主题活动", "国际残疾人日联欢", "爱耳日义诊", "残疾预防日宣传"],
}
SERIES = ["残疾人文化周", "“八五”普法", "残疾人健身周", "全国助残日", "国际残疾人日"]
CAPACITIES = (20, 30, 40, 50, 60, 80, 100, 120, 150, 200, 300, 500)
PROVIDED = ["sign_language", "captions", "wheelchair_space", "accessible_toilet", "large_print", "braille",
            "seat_no_queue", "easy_read", "sighted_guide", "hearing_loop", "quiet_room", "audio_description"]
assert set(PROVIDED) <= set(NEED_CODES)
# How often a registration asks for each need (a registration may ask for several).
ASKED = ["seat_no_queue", "large_print", "sign_language", "captions", "wheelchair_space", "sighted_guide",
         "accessible_toilet", "easy_read", "mobility_assist", "transport", "hearing_loop", "braille",
         "dietary", "medical", "quiet_room", "e_text", "audio_description", "guide_dog"]
REG_COLUMNS = ("id", "event_id", "user_id", "status", "companions", "wheelchair_space", "needs_note", "note",
               "consent_at", "created_at", "updated_at", "registered_by_id", "checked_in_at", "no_show",
               "cancelled_at")


def _local(day, hour):
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI).astimezone(SHANGHAI)


def insert_venues_and_series(session, rng, district_ids, count, now):
    """Returns ([(venue id, district id, wheelchair spaces)], [series ids])."""
    first = next_id(session, Venue)
    venues, rows = [], []
    for n in range(count):
        district_id = district_ids[n % len(district_ids)]
        features = sorted(rng.sample(VENUE_FEATURE_CODES, rng.randint(2, len(VENUE_FEATURE_CODES))))
        spaces = rng.choice((0, 2, 4, 6, 10, 20)) if "step_free" in features else 0
        venues.append((first + n, district_id, spaces))
        rows.append((first + n, f"社区活动中心 {n + 1}", f"武汉市某区某街道 {n + 1} 号", district_id, features, spaces,
                     "正门左侧坡道" if spaces else "", "地铁站出口步行约 300 米", now, now))
    bulk_insert(session, Venue, ("id", "name", "address", "district_id", "features", "wheelchair_spaces",
                                 "accessible_entrance", "directions", "created_at", "updated_at"), rows)
    existing = {s.name: s.id for s in session.query(Series)}
    for series_name in SERIES:
        if series_name not in existing:
            series = Series(name=series_name, description="")
            session.add(series)
            session.flush()
            existing[series_name] = series.id
    return venues, [existing[name] for name in SERIES]


def _event_rows(rng, first, count, venues, series_ids, organizer_id, now):
    categories = [c for c, weight in CATEGORIES for _ in range(weight)]
    today = now.astimezone(SHANGHAI).date()
    for n in range(count):
        event_id, category = first + n, rng.choice(categories)
        venue_id, district_id, venue_spaces = rng.choice(venues)
        online = rng.random() < 0.1
        if online and rng.random() < 0.5:
            venue_id, venue_spaces = None, 0
        past = rng.random() < 0.2
        day = today - timedelta(days=rng.randint(1, 27)) if past else today + timedelta(days=rng.randint(1, 365))
        starts = _local(day, rng.randint(9, 16))
        ends = starts + timedelta(hours=rng.choice((1, 2, 2, 3, 4)))
        created = min(starts, now) - timedelta(days=rng.uniform(10, 90))
        roll = rng.random()
        if past:
            status = CANCELLED if roll < 0.05 else COMPLETED
        else:
            status = DRAFT if roll < 0.04 else CANCELLED if roll < 0.07 else PUBLISHED
        cancelled_at = created + (min(starts, now) - created) * 0.8 if status == CANCELLED else None
        capacity = rng.choice(CAPACITIES)
        kind = rng.choice(KINDS[category])
        yield {
            "row": (
                event_id, f"{kind}（第 {n + 1} 场）", f"{kind}，欢迎残疾人朋友及家属参加。",
                f"{kind}。活动现场提供无障碍服务，请在报名时说明您的需要。", f"这是{kind}。您可以带一位家人来。",
                category, rng.choice(series_ids) if rng.random() < 0.3 else None, district_id, venue_id,
                f"https://meeting.example.cn/{event_id}" if online else None, starts, ends, capacity,
                min(capacity, venue_spaces), rng.choice((0, 1, 1, 1, 2)), None,
                starts - timedelta(days=1) if rng.random() < 0.3 else None, rng.random() < 0.1,
                "联系人", "027-8" + f"{event_id:07d}"[-7:], "", status, 1 if status == CANCELLED else 0,
                organizer_id, created, cancelled_at or created, cancelled_at,
            ),
            "id": event_id, "status": status, "past": past, "starts": starts, "created": created,
            "cancelled_at": cancelled_at, "capacity": capacity, "wheelchair": min(capacity, venue_spaces),
            "max_companions": None, "approval": None, "category": category, "district_id": district_id,
            "provisions": sorted(rng.sample(PROVIDED, rng.randint(1, 6))),
        }


EVENT_COLUMNS = ("id", "title", "summary", "description", "easy_read_summary", "category", "series_id",
                 "district_id", "venue_id", "online_url", "starts_at", "ends_at", "capacity", "wheelchair_spaces",
                 "max_companions", "registration_opens_at", "registration_closes_at", "requires_approval",
                 "contact_name", "contact_phone", "contact_email", "status", "sequence", "created_by_id",
                 "created_at", "updated_at", "cancelled_at")


def insert_events(session, rng, count, venues, series_ids, organizer_id, now):
    """Returns the generated events as dicts (what registrations and assignments need to know)."""
    first = next_id(session, Event)
    events = list(_event_rows(rng, first, count, venues, series_ids, organizer_id, now))
    for event in events:
        event["max_companions"] = event["row"][14]
        event["approval"] = event["row"][17]
    bulk_insert(session, Event, EVENT_COLUMNS, (e["row"] for e in events))
    bulk_insert(session, EventProvision, ("event_id", "code"),
                ((e["id"], code) for e in events for code in e["provisions"]))
    return events


def _shares(rng, events, total, user_count):
    """How many registrations each event gets: a few popular events, many ordinary ones."""
    open_events = [e for e in events if e["status"] != DRAFT]
    if not open_events or total <= 0:
        return {}
    weights = [min(rng.paretovariate(1.3), 40.0) * e["capacity"] for e in open_events]
    scale = total / sum(weights)
    caps = {e["id"]: min(user_count, e["capacity"] * 8 + 20) for e in open_events}
    shares = {e["id"]: min(caps[e["id"]], int(w * scale)) for e, w in zip(open_events, weights)}
    missing = total - sum(shares.values())
    while missing > 0:
        progressed = False
        for e in open_events:
            if missing == 0:
                break
            if shares[e["id"]] < caps[e["id"]]:
                step = min(missing, caps[e["id"]] - shares[e["id"]], 50)
                shares[e["id"]] += step
                missing -= step
                progressed = True
        if not progressed:
            break
    return shares


def _registrations_of(rng, event, count, user_first, user_count, reg_id, organizer_id, now, needs_out):
    """Rows for one event in arrival order, statuses decided by the waitlist policy."""
    opened = event["created"]
    closed = min(event["cancelled_at"] or event["starts"], event["starts"], now)
    span = max((closed - opened).total_seconds(), 1.0)
    offsets = sorted(rng.random() * span for _ in range(count))
    users = rng.sample(range(user_count), count)
    taken = wheelchair_taken = 0
    capacity, spaces = event["capacity"], event["wheelchair"]
    for offset, user_index in zip(offsets, users):
        at = opened + timedelta(seconds=offset)
        companions = 0
        if event["max_companions"]:
            roll = rng.random()
            companions = 0 if roll < 0.78 else 1 if roll < 0.95 or event["max_companions"] == 1 else 2
        needs = []
        if rng.random() < 0.45:
            needs = sorted(set(rng.choice(ASKED) for _ in range(rng.choice((1, 1, 2, 3)))))
            if "wheelchair_space" in needs and not spaces:
                needs.remove("wheelchair_space")
        wheelchair = "wheelchair_space" in needs
        cancelled_at = checked_in = None
        no_show = False
        if event["status"] == CANCELLED or rng.random() < 0.06:
            status = REG_CANCELLED
            cancelled_at = event["cancelled_at"] if event["status"] == CANCELLED else at + (closed - at) / 2
        elif taken + 1 + companions <= capacity and (not wheelchair or wheelchair_taken < spaces):
            taken += 1 + companions
            wheelchair_taken += wheelchair
            status = PENDING if event["approval"] and not event["past"] else CONFIRMED
            if event["past"]:
                if rng.random() < 0.85:
                    checked_in = event["starts"] - timedelta(minutes=rng.randint(0, 30))
                else:
                    no_show = True
        else:
            status = REJECTED if event["approval"] and rng.random() < 0.1 else WAITLISTED
        for code in needs:
            needs_out.append((reg_id, code))
        yield (reg_id, event["id"], user_first + user_index, status, companions, wheelchair,
               "需要提前半小时到场" if "medical" in needs else "", "", at, at, cancelled_at or at,
               organizer_id if rng.random() < 0.02 else None, checked_in, no_show, cancelled_at)
        reg_id += 1


def insert_registrations(session, rng, events, total, user_first, user_count, organizer_id, now, log):
    shares = _shares(rng, events, total, user_count)
    first = next_id(session, Registration)
    needs = []
    state = {"next": first}

    def rows():
        for event in events:
            count = shares.get(event["id"], 0)
            if not count:
                continue
            for row in _registrations_of(rng, event, count, user_first, user_count, state["next"],
                                         organizer_id, now, needs):
                yield row
            state["next"] += count

    written = bulk_insert(session, Registration, REG_COLUMNS, rows())
    log(f"  registrations: {written}")
    bulk_insert(session, RegistrationNeed, ("registration_id", "code"), needs)
    log(f"  registration needs: {len(needs)}")
    return written


def insert_assignments(session, rng, events, teams, organizer_id, now):
    """Volunteers on shifts at a quarter of the events; nobody on two shifts the same day."""
    if not teams:
        return 0
    by_district = {}
    for team_id, (district_id, members) in teams.items():
        by_district.setdefault(district_id, []).extend((team_id, user_id) for user_id in members)
    everyone = [pair for pairs in by_district.values() for pair in pairs]
    busy, rows = set(), []
    first = next_id(session, Assignment)
    skills = ("sign_language", "sighted_guide", "mobility_assist", "first_aid", "general", None)
    for event in events:
        if event["status"] == DRAFT or event["category"] == "training" or rng.random() > 0.25:
            continue
        pool = by_district.get(event["district_id"]) or everyone
        day = event["starts"].date()
        for team_id, user_id in rng.sample(pool, min(len(pool), rng.randint(1, 4))):
            if (user_id, day) in busy:
                continue
            busy.add((user_id, day))
            start = event["starts"] - timedelta(minutes=30)
            end = start + timedelta(hours=3)
            served = event["status"] == COMPLETED
            status = "accepted" if served else rng.choice(("proposed", "accepted", "accepted", "declined"))
            rows.append((first + len(rows), event["id"], user_id, team_id, "现场引导", rng.choice(skills), start, end,
                         status, "时间冲突" if status == "declined" else "", served, 180 if served else None,
                         now if served else None, organizer_id if served else None, organizer_id,
                         event["created"], event["created"]))
    bulk_insert(session, Assignment,
                ("id", "event_id", "volunteer_id", "team_id", "role", "skill", "shift_start", "shift_end", "status",
                 "decline_reason", "served_confirmed", "served_minutes", "served_confirmed_at",
                 "served_confirmed_by_id", "created_by_id", "created_at", "updated_at"), rows)
    return len(rows)
