"""Helpers for the volunteer tests."""
import sqlalchemy as sa

from activity_hub.auth.models import User
from activity_hub.extensions import db


def user(user_id):
    return db.session.get(User, user_id)


def count_rows(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))
