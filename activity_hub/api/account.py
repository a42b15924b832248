"""Personal API tokens over the API: exchange a login and password (or a code sent by message)
for a token, list and revoke one's own tokens; ask for a code and reset a forgotten password."""
from flask import request

from ..auth import login_codes
from ..auth.accounts import AccountError
from ..auth.lookups import user_for_admin_by
from ..auth.models import CODE_LOGIN, CODE_PURPOSES
from . import tokens
from .framework import ApiError, Routes, json_body, require_user, validation_error
from .lookups import own_token
from .schema import Field, Fields
from .serializers import token_json

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Tokens")

def _login_field():
    return Field("string", required=True, min_length=1, max_length=254,
                 description="A mobile number or an e-mail address.", example="13800138000")


def _code_field(required):
    return Field("string", required=required, min_length=6, max_length=6,
                 description="The 6-digit code sent by `POST /api/v1/auth/code`.", example="123456")


TOKEN_REQUEST = Fields({
    "login": _login_field(),
    "password": Field("string", min_length=1, max_length=128, description="Give `password` or `code`."),
    "code": _code_field(False),
    "name": Field("string", max_length=tokens.NAME_MAX, min_length=1,
                  description="What the token is for, e.g. “my phone”.", example="my phone"),
})
CODE_REQUEST = Fields({"login": _login_field()})
PASSWORD_RESET = Fields({
    "login": _login_field(),
    "code": _code_field(True),
    "new_password": Field("string", required=True, min_length=8, max_length=128,
                          description="At least 8 characters, not a common password, not the account's "
                                      "phone number, e-mail address or name."),
})


def _address():
    return request.remote_addr or "unknown"


def _refused(error):
    if error.code == "too_many_attempts":
        return ApiError(429, error.code, error.message)
    return ApiError(401, error.code, error.message)


@route("POST", "/auth/code", summary="Send a code to log in or to reset a password", body=CODE_REQUEST,
       response={"type": "object"}, status=202, auth="none", errors=(429,))
def request_login_code():
    """Answers 202 whatever the login, so the answer tells no one whether an account exists; a code
    (6 digits, good for 10 minutes and 5 tries) is sent only to an account's own number or address,
    at most once a minute. Use it with `POST /auth/token` or `POST /auth/password`."""
    data = json_body(CODE_REQUEST)
    try:
        login_codes.request_code(data["login"], CODE_LOGIN, _address())
    except login_codes.CodeRefused as refused:
        raise _refused(refused) from None
    return {}


@route("POST", "/auth/password", summary="Set a new password with a code", body=PASSWORD_RESET,
       status=204, auth="none", errors=(401, 429))
def reset_password_with_code():
    """For a forgotten password: the code from `POST /auth/code` and the new password. The
    account's sessions on every device end with the old password."""
    data = json_body(PASSWORD_RESET)
    try:
        login_codes.reset_password(data["login"], data["code"], data["new_password"], _address(),
                                   purposes=CODE_PURPOSES)
    except login_codes.CodeRefused as refused:
        raise _refused(refused) from None
    except AccountError as error:
        raise validation_error({"new_password": error.message}) from None


@route("POST", "/auth/token", summary="Get an API token with a login and a password or a code",
       body=TOKEN_REQUEST, response="NewToken", status=201, auth="none", errors=(401, 403, 429))
def create_token_with_password():
    """Give `password`, or `code` (sent by `POST /auth/code`). Failed attempts count towards the
    same limits as the log-in form. The token is shown only in this response: store it safely."""
    from ..i18n import gettext as _

    data = json_body(TOKEN_REQUEST)
    if ("password" in data) == ("code" in data):
        message = _("Give either your password or the code we sent you")
        raise validation_error({"password": message, "code": message})
    try:
        if "code" in data:
            token, plain = tokens.token_for_code(data["login"], data["code"], data.get("name") or "API", _address())
        else:
            token, plain = tokens.token_for_password(data["login"], data["password"], data.get("name") or "API",
                                                     _address())
    except tokens.TokenError as error:
        if error.code == "too_many_attempts":
            raise ApiError(429, error.code, error.message) from None
        if error.code == "account_switched_off":
            raise ApiError(403, error.code, error.message) from None
        if error.field:
            raise validation_error({error.field: error.message}) from None
        raise ApiError(401, error.code, error.message) from None
    return token_json(token, plain=plain)


@route("GET", "/auth/tokens", summary="My active API tokens", response="TokenList")
def list_tokens():
    user = require_user()
    return {"items": [token_json(token) for token in tokens.active_tokens(user)]}


@route("DELETE", "/auth/tokens/<int:token_id>", summary="Revoke one of my API tokens", status=204)
def revoke_token(token_id):
    """A revoked token stops working at once. Another user's token is a 404."""
    tokens.revoke_token(own_token(require_user(), token_id))


@route("GET", "/users/<int:user_id>/tokens", summary="A person's active API tokens (administrators)",
       response="TokenList", errors=(403, 404))
def list_tokens_of_user(user_id):
    """Administrators only; the tokens themselves are never shown, only their names and first characters."""
    user = user_for_admin_by(require_user(), user_id)
    return {"items": [token_json(token) for token in tokens.active_tokens(user)]}


@route("DELETE", "/users/<int:user_id>/tokens/<int:token_id>", summary="Revoke a person's API token (administrators)",
       status=204, errors=(403, 404))
def revoke_token_of_user(user_id, token_id):
    """Administrators only. A revoked token stops working at once; a token of another person is a 404."""
    tokens.revoke_token(own_token(user_for_admin_by(require_user(), user_id), token_id))
