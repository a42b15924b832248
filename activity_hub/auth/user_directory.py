"""Finding accounts for administrators: by name, mobile number or e-mail address, a page at a time.

A page costs the same few queries however many rows it shows: one count, one
for the users (with their districts) and one for their roles (with theirs).
"""
import re

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..extensions import db
from .accounts import normalise_login
from .models import ROLES, RoleGrant, User

PER_PAGE = 20


def _like_pattern(text):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_condition(query):
    """Rows whose name or e-mail address contains ``query``, or whose mobile number contains its digits."""
    query = (query or "").strip()
    if not query:
        return None
    parsed = normalise_login(query)
    if parsed is not None:  # a whole number or address: the exact, indexed match
        column = User.phone if parsed[0] == "phone" else User.email
        return column == parsed[1]
    pattern = _like_pattern(query)
    conditions = [User.display_name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\")]
    digits = re.sub(r"[\s\-]", "", query)
    if digits.isdigit():
        conditions.append(User.phone.like(_like_pattern(digits), escape="\\"))
    return sa.or_(*conditions)


MAX_PAGE = 100000


def find_users(query="", role=None, page=1, per_page=PER_PAGE):
    """A Flask-SQLAlchemy pagination of the matching users, oldest account first."""
    statement = sa.select(User).options(joinedload(User.district)).order_by(User.id)
    condition = search_condition(query)
    if condition is not None:
        statement = statement.where(condition)
    if role in ROLES:
        statement = statement.where(User.role_grants.any(RoleGrant.role == role))
    # Bounded, so the offset never overflows the database's integers (an empty page past the end).
    return db.paginate(statement, page=min(max(1, page), MAX_PAGE), per_page=per_page, error_out=False)
