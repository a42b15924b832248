"""Which skills a volunteer can be counted on for, on a given day.

The rule: a declared skill counts as it is, except the skills in
``QUALIFICATION_REQUIRED``: interpreting sign language and giving first aid need a
certificate, so those count only while the volunteer holds a qualification for
them that has not expired (valid up to and including ``expires_on``). An
unexpired qualification also counts as its skill when the skill was not declared.
Matching checks validity on the day of the event, the team pages on today.
"""
from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accessibility import VOLUNTEER_SKILL_CODES
from ..auth.models import User
from .access import volunteer_clause
from .errors import VolunteerError
from .models import Qualification, VolunteerSkill
from .transactions import one_transaction

QUALIFICATION_REQUIRED = frozenset({"sign_language", "first_aid"})


def effective_skills(declared, qualifications, on_day):
    """The skills that count on ``on_day`` given declared codes and Qualification-like objects."""
    valid = {q.skill for q in qualifications if q.expires_on >= on_day}
    counted = {code for code in declared if code not in QUALIFICATION_REQUIRED}
    return counted | valid


def skills_by_user(session, user_ids, on_day):
    """{user id: (declared codes, qualifications, effective codes)} in two queries."""
    user_ids = list(set(user_ids))
    declared = defaultdict(set)
    qualifications = defaultdict(list)
    if user_ids:
        for user_id, code in session.execute(
            sa.select(VolunteerSkill.user_id, VolunteerSkill.code).where(VolunteerSkill.user_id.in_(user_ids))
        ):
            declared[user_id].add(code)
        for qualification in session.scalars(
            sa.select(Qualification).where(Qualification.user_id.in_(user_ids))
            .order_by(Qualification.expires_on.desc(), Qualification.id)
        ):
            qualifications[qualification.user_id].append(qualification)
    return {
        user_id: (declared[user_id], qualifications[user_id],
                  effective_skills(declared[user_id], qualifications[user_id], on_day))
        for user_id in user_ids
    }


def volunteers_with_skills(session, skills, on_day):
    """{user id: effective skills among ``skills``} for active accounts holding a volunteer role."""
    skills = set(skills)
    if not skills:
        return {}
    declared = (
        sa.select(VolunteerSkill.user_id)
        .where(VolunteerSkill.code.in_(skills - QUALIFICATION_REQUIRED))
    )
    qualified = sa.select(Qualification.user_id).where(
        Qualification.skill.in_(skills), Qualification.expires_on >= on_day
    )
    user_ids = list(session.scalars(
        sa.select(User.id).where(
            volunteer_clause(),
            sa.or_(User.id.in_(declared), User.id.in_(qualified)),
        )
    ))
    result = {}
    for user_id, (_declared, _quals, effective) in skills_by_user(session, user_ids, on_day).items():
        usable = effective & skills
        if usable:
            result[user_id] = usable
    return result


@one_transaction
def set_declared_skills(session, user_id, codes):
    """Replace a volunteer's declared skills with ``codes`` (known codes only)."""
    wanted = {code for code in codes or () if code in VOLUNTEER_SKILL_CODES}
    if set(codes or ()) - wanted:
        raise VolunteerError(_l("Choose from the skills given"), "skills")
    have = {row.code: row for row in session.scalars(sa.select(VolunteerSkill).where(VolunteerSkill.user_id == user_id))}
    for code, row in have.items():
        if code not in wanted:
            session.delete(row)
    for code in wanted - set(have):
        session.add(VolunteerSkill(user_id=user_id, code=code))
    session.flush()


@one_transaction
def add_qualification(session, user_id, skill, title, expires_on, issued_on=None):
    title = (title or "").strip()
    if skill not in VOLUNTEER_SKILL_CODES:
        raise VolunteerError(_l("Choose the skill this qualification is for"), "skill")
    if not title:
        raise VolunteerError(_l("Enter the name of the qualification"), "title")
    if len(title) > 120:
        raise VolunteerError(_l("The name must be 120 characters or fewer"), "title")
    if not isinstance(expires_on, date):
        raise VolunteerError(_l("Enter the expiry date"), "expires_on")
    if issued_on is not None and expires_on < issued_on:
        raise VolunteerError(_l("The expiry date must be on or after the date it was issued"), "expires_on")
    qualification = Qualification(user_id=user_id, skill=skill, title=title, issued_on=issued_on,
                                  expires_on=expires_on)
    session.add(qualification)
    session.flush()
    return qualification
