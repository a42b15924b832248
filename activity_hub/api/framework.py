"""The machinery every /api/v1 endpoint shares: the blueprint, authentication (session or
bearer token), CSRF for cookie-authenticated writes, JSON errors, request validation, and
``Routes``, which registers a view and its OpenAPI description in one declaration.
"""
import inspect
import json
import re
from functools import wraps
from typing import NamedTuple

import sqlalchemy as sa
from flask import Blueprint, current_app, g, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import csrf, db
from ..lookup_errors import LookupRefused, NotFound
from ..web import exception_headers
from . import tokens
from .schema import INT_MAX

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer-token clients send no cookies, so CSRF cannot apply to them; cookie-authenticated
# writes are checked by ``authenticate_request`` below instead.
csrf.exempt(bp)

class TokenRequestsSkipTheSession(SecureCookieSessionInterface):
    """The app's cookie session, except for an API request with an Authorization header: the header
    alone decides who the caller is (see ``authenticate_request``), so the session cookie is neither
    read (its signature checked, its data loaded) nor written for it."""

    def open_session(self, app, request):
        if "Authorization" in request.headers and request.path.startswith(bp.url_prefix + "/"):
            return self.session_class()  # empty and unmodified: save_session writes nothing
        return super().open_session(app, request)


@bp.record_once
def _install_session_interface(state):
    if type(state.app.session_interface) is SecureCookieSessionInterface:
        state.app.session_interface = TokenRequestsSkipTheSession()


UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_BODY_BYTES = 64 * 1024


class ApiError(Exception):
    """Answered as ``{"error": {"code", "message"[, "fields"]}}`` with ``status``."""

    def __init__(self, status, code, message, fields=None):
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields


def error_response(status, code, message, fields=None, headers=None):
    body = {"error": {"code": code, "message": str(message)}}
    if fields:
        body["error"]["fields"] = {name: str(text) for name, text in fields.items()}
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def validation_error(fields):
    return ApiError(400, "validation_failed", _("Some of the values given are not right"), fields)


def not_found():
    return ApiError(404, "not_found", _("Nothing was found at this address"))


def forbidden():
    return ApiError(403, "forbidden", _("You do not have permission to do this"))


# -- authentication ------------------------------------------------------------------------

def _bearer_token():
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def set_request_user(user):
    """Make ``user`` the current user for this request only (no session cookie is written)."""
    current_app.login_manager._update_request_context_with_user(user)


@bp.before_request
def authenticate_request():
    """A bearer token, when given, decides who the caller is (a bad one is a 401, never a
    silent fall-back to the cookie). Otherwise the session cookie does, and then unsafe
    methods need the CSRF token, as the HTML forms do."""
    g.api_auth = None
    plain = _bearer_token()
    if plain is not None:
        try:
            found = tokens.authenticate(plain)
        except tokens.TokenExpired:
            db.session.rollback()
            raise ApiError(401, "token_expired", _(
                "This API token has expired. Create a new one on your account page."
            )) from None
        if found is None:
            db.session.rollback()
            raise ApiError(401, "invalid_token", _("This API token is not valid or has been revoked"))
        user, token, used_at = found
        if used_at is not None:
            db.session.info[TOKEN_USE] = TokenUse(token.id, used_at, saved_by_commit=True)
        set_request_user(user)
        g.api_auth = "token"
        return
    if "Authorization" in request.headers:
        raise ApiError(401, "invalid_token", _("Use an Authorization header of the form “Bearer <token>”"))
    if current_user.is_authenticated:
        g.api_auth = "session"
        if request.method in UNSAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
            try:
                csrf.protect()
            except CSRFError:
                raise ApiError(403, "csrf_failed", _(
                    "Send the page's CSRF token in an X-CSRFToken header, or use an API token"
                )) from None


# A token's last use (moved at most every few minutes) is saved with the request's own transaction:
# no transaction of its own, and the user just loaded is not expired and loaded again. A view that
# commits saves it; after a view that commits nothing it is committed after the view; after a
# rollback (a refusal) it is written on its own.
TOKEN_USE = "api_token_use"


class TokenUse(NamedTuple):
    token_id: int
    when: object
    saved_by_commit: bool


@sa.event.listens_for(db.session, "after_commit")
def _token_use_committed(session):
    use = session.info.get(TOKEN_USE)
    if use is not None and use.saved_by_commit:
        del session.info[TOKEN_USE]


@sa.event.listens_for(db.session, "after_soft_rollback")
def _token_use_rolled_back(session, previous_transaction):
    use = session.info.get(TOKEN_USE)
    if use is not None:
        session.info[TOKEN_USE] = use._replace(saved_by_commit=False)


@bp.after_request
def _save_token_use(response):
    use = db.session.info.pop(TOKEN_USE, None)
    if use is not None:
        if use.saved_by_commit:
            db.session.commit()
        else:
            tokens.record_use(use.token_id, use.when)
    return response


def require_user():
    if not current_user.is_authenticated:
        raise ApiError(401, "authentication_required", _("Log in or send an API token to do this"))
    return current_user._get_current_object()


# -- errors --------------------------------------------------------------------------------

@bp.errorhandler(ApiError)
def _api_error(error):
    db.session.rollback()
    headers = {"WWW-Authenticate": 'Bearer realm="activity_hub"'} if error.status == 401 else None
    return error_response(error.status, error.code, error.message, error.fields, headers)


@bp.errorhandler(LookupRefused)
def _lookup_refused(error):
    """A domain lookup's refusal, in the API's own words (``not_found`` / ``forbidden``)."""
    in_api_words = {404: not_found, 403: forbidden}.get(error.status)
    return _api_error(in_api_words() if in_api_words else ApiError(error.status, error.code, str(error)))


@bp.errorhandler(HTTPException)
def _http_error(error):
    """Errors raised by Flask or werkzeug inside API views, in the same JSON shape and with
    the same ``http_<status>`` codes the app's error handlers give for unknown /api/ paths."""
    if error.code is None or error.code < 400:
        return error
    db.session.rollback()
    messages = {
        400: lambda: _("The request could not be understood"),
        401: lambda: _("Log in or send an API token to do this"),
        403: lambda: _("You do not have permission to do this"),
        404: lambda: _("Nothing was found at this address"),
        405: lambda: _("This method is not allowed here"),
        413: lambda: _("The request is too large"),
        415: lambda: _("Send the request body as JSON"),
        429: lambda: _("Too many attempts"),
    }
    message = messages.get(error.code, lambda: _("Something went wrong"))()
    return error_response(error.code, f"http_{error.code}", message, headers=dict(exception_headers(error)))


# -- input ---------------------------------------------------------------------------------

def json_body(fields):
    """The request's JSON object, checked against ``fields`` (a Fields). Returns only the
    names given, cleaned, so PATCH can tell "not given" from "given"."""
    limit = max_body_bytes(fields)
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "too_large", _("The request is too large"))
    is_json = request.mimetype == "application/json" or request.mimetype.endswith("+json")
    if request.mimetype and not is_json and (request.content_length or 0) > 0:
        raise ApiError(415, "unsupported_media_type", _("Send the request body as JSON"))
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise ApiError(413, "too_large", _("The request is too large"))
    if not raw.strip():
        data = {}
    else:
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise ApiError(400, "malformed_json", _("The request body is not valid JSON")) from None
    if not isinstance(data, dict):
        raise ApiError(400, "malformed_json", _("The request body must be a JSON object"))
    cleaned, errors = fields.clean(data)
    if errors:
        raise validation_error(errors)
    return cleaned


def max_body_bytes(fields):
    """64 KiB, or more where the fields' own limits allow a longer valid body (an event's 20,000
    characters of description, in Chinese, are larger): a valid body is never a 413."""
    largest = fields.largest_json_bytes()
    return MAX_BODY_BYTES if largest is None else max(MAX_BODY_BYTES, largest)


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def query_args(fields):
    cleaned, errors = fields.clean_query(request.args)
    if errors:
        raise validation_error(errors)
    return cleaned


# -- declaring routes with their documentation --------------------------------------------

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def openapi_path(rule):
    """``/api/v1/events/<int:event_id>`` -> ``/api/v1/events/{event_id}``."""
    return _CONVERTER.sub(lambda m: "{" + m.group(2) + "}", rule)


class Routes:
    """Registers views on the API blueprint and writes their OpenAPI operations into the
    module's ``paths`` dict (its ``OPENAPI_PATHS``). Use::

        OPENAPI_PATHS = {}
        route = Routes(OPENAPI_PATHS, tag="Events")

        @route("GET", "/events/<int:event_id>", summary="One event", response="Event",
               auth="optional", errors=(404,))
        def event_detail(event_id): ...

    ``response`` names a schema in components (or is a dict schema, or None for 204);
    ``body``/``query`` are ``Fields``; ``auth`` is "required", "optional" or "none".
    """

    def __init__(self, paths, tag):
        self.paths = paths
        self.tag = tag

    def __call__(self, method, rule, *, summary, response=None, status=200, body=None, query=None,
                 auth="required", errors=(), description=None, endpoint=None):
        def decorator(view):
            name = endpoint or view.__name__

            @wraps(view)
            def wrapped(*args, **kwargs):
                if any(isinstance(value, int) and value > INT_MAX for value in kwargs.values()):
                    raise NotFound()  # no such row, and the database would refuse the number
                if auth == "required":
                    require_user()
                result = view(*args, **kwargs)
                if status == 204:
                    return "", 204
                if isinstance(result, tuple):
                    return result
                return jsonify(result), status

            bp.add_url_rule(rule, endpoint=name, view_func=wrapped, methods=[method])
            self._document(method, rule, name, summary, description, response, status, body, query, auth, errors, view)
            return wrapped

        return decorator

    def _document(self, method, rule, name, summary, description, response, status, body, query, auth, errors, view):
        from .openapi import operation

        path = openapi_path(bp.url_prefix + rule)
        self.paths.setdefault(path, {})[method.lower()] = operation(
            operation_id=name, tag=self.tag, summary=summary,
            description=description or inspect.cleandoc(view.__doc__ or ""),
            rule=rule, response=response, status=status, body=body, query=query, auth=auth, errors=errors,
        )
