"""Loading an account for the administrators' pages: an unknown account, or a role it does not
hold, is a ``NotFound``. (Who may use those pages at all is the role check on each view.)"""
from ..extensions import db
from ..lookup_errors import Forbidden, NotFound
from .models import User


def user_for_admin(user_id):
    """The account with this id; ``NotFound`` when there is none."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def user_for_admin_by(viewer, user_id):
    """The account with this id for ``viewer``, who must be an administrator (``Forbidden`` otherwise;
    for the API, where no page-level role check runs first); ``NotFound`` when there is none."""
    if not viewer.is_admin:
        raise Forbidden()
    return user_for_admin(user_id)


def held_role(user, role):
    """The grant by which ``user`` holds ``role``; ``NotFound`` when they do not hold it."""
    grant = next((grant for grant in user.role_grants if grant.role == role), None)
    if grant is None:
        raise NotFound()
    return grant
