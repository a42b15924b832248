"""Tying Flask-Login's cookies to the server-side login sessions of auth/sessions.py.

Whoever logs a person in calls ``login_user`` as usual (the log-in form, a code, an invitation...):
its ``user_logged_in`` signal starts a login session and puts ``"<id>.<key>"`` in the session cookie,
from where Flask-Login copies it into the remember-me cookie. ``logout_user`` ends that login session
on the server. The user loader accepts only a live session's id, never a bare account id.
"""
from flask import g, session
from flask_login import user_logged_in, user_logged_out

from . import sessions


def install(app, login_manager):
    @login_manager.user_loader
    def load_user(session_id):
        user = sessions.user_of_session(session_id)
        if user is not None:
            g.login_session_id = session_id
        return user

    user_logged_in.connect(_start_login_session, app)
    user_logged_out.connect(_end_login_session, app)


def _start_login_session(app, user, **_extra):
    session_id = sessions.start_session(user)
    session["_user_id"] = session_id
    g.login_session_id = session_id


def _end_login_session(app, user, **_extra):
    session_id = g.pop("login_session_id", None)
    if session_id is not None:
        sessions.end_session(session_id)
