"""Server-side permission checks for views (hiding a button is not a check)."""
from functools import wraps

from flask import abort, current_app
from flask_login import current_user

from ..lookup_errors import Forbidden


def require_login():
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())


def require_role(*roles):
    """``Forbidden`` (a 403) unless the current user holds one of ``roles``; anonymous users log in first."""
    require_login()
    if not current_user.has_role(*roles):
        raise Forbidden()


def roles_required(*roles):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require_role(*roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def acting_user():
    """The logged-in person as the plain ``User`` object, to hand to a service as who acts."""
    return current_user._get_current_object()
