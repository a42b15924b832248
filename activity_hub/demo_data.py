"""`flask seed-demo`: reference data, demo accounts and a year of events (idempotent).

Run by ``make run`` on an empty database. Every item is looked up by a natural
key before it is created, so running it again adds nothing.
"""
import importlib
from datetime import date, datetime, time, timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from .districts import DISTRICTS, District, ensure_districts
from .extensions import db
from .local_time import SHANGHAI, local_today

DEMO_PASSWORD = "demo-pass-2026"

# (login, name, roles, district code for scoped roles)
DEMO_ACCOUNTS = [
    ("13800000001", "张敏（居民）", ("resident",), None),
    ("13800000002", "李强（志愿者）", ("volunteer", "resident"), None),
    ("13800000003", "王芳（志愿者队长）", ("team_leader", "volunteer"), "wuchang"),
    ("13800000004", "赵磊（武昌区残联）", ("organizer",), "wuchang"),
    ("13800000005", "陈静（市残联）", ("organizer",), None),
    ("admin@activity-hub.local", "市残联管理员", ("admin", "organizer"), None),
]

VENUES = [
    ("武汉市残疾人文化艺术中心", "江汉区新华路218号", "jianghan",
     ["step_free", "elevator", "accessible_toilet", "hearing_loop", "tactile_paving", "accessible_parking", "quiet_room", "guide_dog_ok"], 12,
     "正门东侧无障碍坡道，直达一楼大厅", "地铁2号线中山公园站C出口，无障碍电梯出站后步行400米"),
    ("武汉体育中心", "武汉经济技术开发区体育中心路1号", "wuhan_economic",
     ["step_free", "elevator", "accessible_toilet", "accessible_parking", "guide_dog_ok"], 20,
     "北门无障碍通道", "地铁3号线体育中心站，出站即到"),
    ("武昌区残疾人综合服务中心", "武昌区中山路352号", "wuchang",
     ["step_free", "elevator", "accessible_toilet", "hearing_loop", "quiet_room", "guide_dog_ok"], 6,
     "主楼南侧平层入口", "地铁4号线首义路站B出口，步行300米"),
    ("江岸区残疾人之家", "江岸区黄浦大街86号", "jiangan",
     ["step_free", "accessible_toilet", "tactile_paving"], 4,
     "一楼平层入口", "公交1路、38路黄浦路站"),
    ("汉阳区社区活动中心", "汉阳区龙阳大道58号", "hanyang",
     ["step_free", "elevator", "accessible_toilet"], 4,
     "西门坡道", "地铁4号线王家湾站"),
    ("洪山区图书馆", "洪山区珞喻路706号", "hongshan",
     ["step_free", "elevator", "accessible_toilet", "hearing_loop", "tactile_paving", "quiet_room"], 5,
     "正门无障碍坡道，服务台可借用轮椅", "地铁2号线广埠屯站"),
    ("青山区文化馆", "青山区和平大道1179号", "qingshan",
     ["elevator", "accessible_toilet"], 2,
     "东侧货梯可达二楼（有台阶，需工作人员协助）", "公交543路文化馆站"),
    ("东西湖区全民健身中心", "东西湖区吴家山金山大道", "dongxihu",
     ["step_free", "accessible_toilet", "accessible_parking"], 8,
     "南门平层入口", "地铁1号线吴家山站"),
    ("江夏区残联康复中心", "江夏区纸坊街文化路12号", "jiangxia",
     ["step_free", "elevator", "accessible_toilet", "quiet_room", "guide_dog_ok"], 6,
     "正门平层入口", "地铁7号线纸坊大街站"),
    ("东湖听涛景区游客中心", "东湖生态旅游风景区沿湖大道16号", "east_lake_scenic",
     ["step_free", "accessible_toilet", "accessible_parking", "tactile_paving", "guide_dog_ok"], 10,
     "游客中心正门", "公交402路听涛站"),
]

# Cultural and sports events named after the plan: (title, category, month offset, venue index, provisions, series)
CULTURE_AND_SPORTS = [
    ("残疾人文化周开幕式暨文艺展演", "culture", 0, 0, ["sign_language", "captions", "wheelchair_space", "audio_description"], "残疾人文化周"),
    ("残疾人文化周·无障碍电影放映", "culture", 0, 0, ["audio_description", "captions", "wheelchair_space"], "残疾人文化周"),
    ("全国爱耳日听力健康讲座", "culture", 1, 2, ["sign_language", "captions", "hearing_loop"], None),
    ("残疾人书画艺术作品展", "culture", 2, 0, ["wheelchair_space", "large_print", "audio_description"], None),
    ("全国助残日主题活动", "culture", 3, 9, ["sign_language", "wheelchair_space", "sighted_guide", "mobility_assist"], None),
    ("全国特奥日融合运动会", "sports", 4, 1, ["wheelchair_space", "easy_read", "mobility_assist"], None),
    ("残疾人健身周·轮椅太极", "sports", 5, 7, ["wheelchair_space", "mobility_assist"], "残疾人健身周"),
    ("残疾人健身周·盲人门球体验", "sports", 5, 7, ["sighted_guide", "braille"], "残疾人健身周"),
    ("轮椅舞蹈比赛", "sports", 6, 1, ["wheelchair_space", "sign_language"], None),
    ("全市残疾人运动会", "sports", 7, 1, ["wheelchair_space", "sign_language", "sighted_guide", "mobility_assist"], None),
    ("全国残疾预防日宣传活动", "culture", 7, 3, ["sign_language", "large_print"], None),
    ("诗歌与交响音乐会", "culture", 8, 0, ["audio_description", "wheelchair_space", "hearing_loop"], None),
    ("手语视频大赛颁奖典礼", "culture", 9, 0, ["sign_language", "captions"], None),
    ("国际残疾人日文艺汇演", "culture", 10, 0, ["sign_language", "captions", "wheelchair_space", "audio_description"], None),
    ("无障碍电影进社区", "culture", 10, 5, ["audio_description", "captions"], None),
    ("残疾人象棋围棋比赛", "sports", 11, 4, ["wheelchair_space", "braille"], None),
]

LEGAL_TOPICS = [
    "《残疾人保障法》颁布30周年专题讲座", "民法典与残疾人权益", "残疾人就业权益保护",
    "无障碍环境建设法解读", "法律援助申请指南", "残疾人社会保障政策解读",
]


def _local(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    return date(year, month % 12 + 1, min(day.day, 28))


def seed_demo(session, today=None):
    """Load the demo data; returns the demo accounts as (login, password, roles)."""
    from .auth import accounts
    from .events.models import PUBLISHED, Event, Series, Venue

    today = today or local_today()
    districts = {d.code: d for d in ensure_districts(session)}

    users = {}
    for login, name, roles, district_code in DEMO_ACCOUNTS:
        user = accounts.find_user_by_login(login)
        if user is None:
            district = districts.get(district_code) if district_code else districts["wuchang"]
            user = accounts.create_user(login, name, DEMO_PASSWORD, roles=roles, district=district,
                                        role_district=districts.get(district_code) if district_code else None)
            session.flush()
        users[login] = user
    organizer = users["13800000005"]

    venues = []
    for name, address, district_code, features, spaces, entrance, directions in VENUES:
        venue = session.scalar(sa.select(Venue).where(Venue.name == name))
        if venue is None:
            venue = Venue(name=name, address=address, district=districts[district_code], features=features,
                          wheelchair_spaces=spaces, accessible_entrance=entrance, directions=directions)
            session.add(venue)
        venues.append(venue)
    session.flush()

    def series_named(name):
        if not name:
            return None
        series = session.scalar(sa.select(Series).where(Series.name == name))
        if series is None:
            series = Series(name=name)
            session.add(series)
            session.flush()
        return series

    existing_titles = set(session.scalars(sa.select(Event.title)))
    start_month = _add_months(today.replace(day=1), -5)

    def add_event(title, category, day, hour, venue, provisions, series=None, capacity=60, duration=2):
        if title in existing_titles:
            return
        starts = _local(day, hour)
        event = Event(
            title=title, category=category, series=series_named(series), district=venue.district, venue=venue,
            summary=f"{title}。欢迎残疾人朋友和家属参加，现场提供无障碍服务。",
            description=f"{title}由武汉市残疾人联合会主办。请提前15分钟到场，工作人员将在无障碍入口迎接。",
            easy_read_summary=f"这是一个活动：{title}。时间和地点在下面。需要帮助请打电话。",
            starts_at=starts, ends_at=starts + timedelta(hours=duration), capacity=capacity,
            wheelchair_spaces=min(venue.wheelchair_spaces, capacity), max_companions=1,
            registration_opens_at=starts - timedelta(days=30), registration_closes_at=starts - timedelta(hours=2),
            contact_name="市残联宣文处", contact_phone="027-85888888", status=PUBLISHED, created_by_id=organizer.id,
        )
        event.set_provisions(provisions)
        session.add(event)
        existing_titles.add(title)

    for title, category, month, venue_index, provisions, series in CULTURE_AND_SPORTS:
        day = _add_months(start_month, month) + timedelta(days=9)
        while day.weekday() != 5:  # Saturdays
            day += timedelta(days=1)
        add_event(title, category, day, 14, venues[venue_index], provisions, series, capacity=120)

    # Weekly legal-awareness sessions through the year, rotating districts' venues.
    first = start_month
    while first.weekday() != 2:  # Wednesdays
        first += timedelta(days=1)
    for number in range(1, 53):
        day = first + timedelta(weeks=number - 1)
        topic = LEGAL_TOPICS[number % len(LEGAL_TOPICS)]
        venue = venues[[2, 3, 4, 5, 8, 6][number % 6]]
        add_event(f"“八五”普法宣传 第{number}期：{topic}", "legal", day, 9, venue,
                  ["sign_language", "large_print", "easy_read"], "“八五”普法", capacity=40)

    session.flush()
    for domain in ("volunteers", "dashboard"):
        try:
            module = importlib.import_module(f"activity_hub.{domain}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"activity_hub.{domain}.demo":
                raise
            continue
        module.seed(session, today=today, users=users, venues=venues, districts=districts)
    return [(login, DEMO_PASSWORD, roles) for login, _name, roles, _d in DEMO_ACCOUNTS]


def database_is_empty(session):
    return session.scalar(sa.select(sa.func.count(District.id))) == 0


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database holds no data yet.")
@with_appcontext
def seed_demo_command(if_empty):
    """Load demo data (districts, venues, events, teams, one account per role)."""
    if if_empty and not database_is_empty(db.session):
        click.echo("database already has data; demo data not loaded")
        accounts = [(login, DEMO_PASSWORD, roles) for login, _n, roles, _d in DEMO_ACCOUNTS]
    else:
        accounts = seed_demo(db.session)
        db.session.commit()
        click.echo("demo data loaded")
    click.echo("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
    for login, _password, roles in accounts:
        click.echo(f"  {login:<28} {describe_demo_roles(login, roles)}")


def describe_demo_roles(login, roles):
    """"organizer (武昌区)", "organizer (whole city)": the scope of organizers and team leaders."""
    from .auth.models import DISTRICT_SCOPED_ROLES

    district_code = next((d for account, _n, _r, d in DEMO_ACCOUNTS if account == login), None)
    district_name = next((zh for code, zh, _en in DISTRICTS if code == district_code), "whole city")
    return ", ".join(f"{role} ({district_name})" if role in DISTRICT_SCOPED_ROLES else role for role in roles)
