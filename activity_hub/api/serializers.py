"""Every JSON object the API returns, and its schema for the OpenAPI document.

One function per kind of object, used by every endpoint that returns it, so a field
means the same thing everywhere. Times are ISO 8601 in Asia/Shanghai (+08:00).
"""
from ..web import local_time


def iso(value):
    return local_time(value).isoformat() if value is not None else None


def _nullable(schema):
    schema = dict(schema)
    schema["type"] = [schema["type"], "null"]
    return schema


DATETIME = {"type": "string", "format": "date-time"}
INTEGER = {"type": "integer"}
STRING = {"type": "string"}


def _object(properties, required=None, **extra):
    return {"type": "object", "properties": properties, "required": list(required or properties), **extra}


# -- tokens ----------------------------------------------------------------------------------

def token_json(token, plain=None):
    data = {
        "id": token.id,
        "name": token.name,
        "prefix": token.token_prefix,
        "created_at": iso(token.created_at),
        "last_used_at": iso(token.last_used_at),
    }
    if plain is not None:
        data["token"] = plain
    return data


TOKEN_PROPERTIES = {
    "id": INTEGER,
    "name": STRING,
    "prefix": {"type": "string", "description": "The first characters of the token, to tell tokens apart."},
    "created_at": DATETIME,
    "last_used_at": _nullable(DATETIME),
}

SCHEMAS = {
    "Token": _object(TOKEN_PROPERTIES),
    "NewToken": _object(
        {**TOKEN_PROPERTIES, "token": {"type": "string", "description": "The token itself; shown only once."}}
    ),
    "TokenList": _object({"items": {"type": "array", "items": {"$ref": "#/components/schemas/Token"}}}),
}
