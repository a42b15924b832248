"""The districts and functional zones of Wuhan: reference data and their table."""
import sqlalchemy as sa
from wtforms import SelectChoice

from .extensions import db
from .locale_text import pick

# (code, Chinese name, English name). Codes are stable identifiers used in URLs and feeds.
DISTRICTS = [
    ("jiangan", "江岸区", "Jiang'an District"),
    ("jianghan", "江汉区", "Jianghan District"),
    ("qiaokou", "硚口区", "Qiaokou District"),
    ("hanyang", "汉阳区", "Hanyang District"),
    ("wuchang", "武昌区", "Wuchang District"),
    ("qingshan", "青山区", "Qingshan District"),
    ("hongshan", "洪山区", "Hongshan District"),
    ("dongxihu", "东西湖区", "Dongxihu District"),
    ("hannan", "汉南区", "Hannan District"),
    ("caidian", "蔡甸区", "Caidian District"),
    ("jiangxia", "江夏区", "Jiangxia District"),
    ("huangpi", "黄陂区", "Huangpi District"),
    ("xinzhou", "新洲区", "Xinzhou District"),
    ("east_lake_hightech", "东湖新技术开发区", "East Lake High-tech Development Zone"),
    ("wuhan_economic", "武汉经济技术开发区", "Wuhan Economic and Technological Development Zone"),
    ("east_lake_scenic", "东湖生态旅游风景区", "East Lake Ecotourism Scenic Area"),
]


class District(db.Model):
    __tablename__ = "districts"

    id = sa.Column(sa.Integer, primary_key=True)
    code = sa.Column(sa.String(40), nullable=False, unique=True)
    name_zh = sa.Column(sa.String(40), nullable=False, unique=True)
    name_en = sa.Column(sa.String(80), nullable=False)
    position = sa.Column(sa.Integer, nullable=False, default=0)

    @property
    def name(self):
        return pick(self.name_zh, self.name_en)

    def __repr__(self):
        return f"<District {self.code}>"


def ensure_districts(session):
    """Insert any missing district; returns them in their canonical order."""
    existing = {d.code: d for d in session.scalars(sa.select(District))}
    for position, (code, zh, en) in enumerate(DISTRICTS):
        if code not in existing:
            district = District(code=code, name_zh=zh, name_en=en, position=position)
            session.add(district)
            existing[code] = district
    session.flush()
    return [existing[code] for code, _, _ in DISTRICTS]


def all_districts(session):
    return list(session.scalars(sa.select(District).order_by(District.position)))


def district_choices(session, blank_label=None):
    choices = [SelectChoice(str(d.id), d.name) for d in all_districts(session)]
    if blank_label is not None:
        choices.insert(0, SelectChoice("", blank_label))
    return choices
