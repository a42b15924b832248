"""Personal API tokens over the API: exchange a login and password for a token, list and
revoke one's own tokens."""
from flask import request

from ..auth.lookups import user_for_admin_by
from . import tokens
from .framework import ApiError, Routes, json_body, require_user, validation_error
from .lookups import own_token
from .schema import Field, Fields
from .serializers import token_json

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Tokens")

TOKEN_REQUEST = Fields({
    "login": Field("string", required=True, min_length=1, max_length=254,
                   description="A mobile number or an e-mail address.", example="13800138000"),
    "password": Field("string", required=True, min_length=1, max_length=128),
    "name": Field("string", max_length=tokens.NAME_MAX, min_length=1,
                  description="What the token is for, e.g. “my phone”.", example="my phone"),
})


@route("POST", "/auth/token", summary="Get an API token with a login and password", body=TOKEN_REQUEST,
       response="NewToken", status=201, auth="none", errors=(401, 403, 429))
def create_token_with_password():
    """Failed attempts count towards the same limits as the log-in form. The token is shown
    only in this response: store it safely."""
    data = json_body(TOKEN_REQUEST)
    try:
        token, plain = tokens.token_for_password(
            data["login"], data["password"], data.get("name") or "API", request.remote_addr or "unknown",
        )
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
