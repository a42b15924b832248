"""The OpenAPI 3.1 document of /api/v1, assembled from the endpoint modules.

Each module listed in ``ENDPOINT_MODULES`` declares its routes with ``framework.Routes``,
which fills the module's ``OPENAPI_PATHS``; a module may also define ``OPENAPI_SCHEMAS``
(``{name: JSON schema}``) for the objects it returns. ``build_document`` merges them with
the shared components below. A test checks that every /api/v1 route in ``app.url_map``
is in the document and that the document validates.
"""
import importlib
import re

from flask import current_app

from .framework import Routes

# Modules of activity_hub.api that declare endpoints, in the order their tags appear.
# The optional ones belong to other domains and are skipped while they do not exist.
ENDPOINT_MODULES = ("account", "events", "registrations", "organizer", "announcements", "volunteers", "targets",
                    "message_queue", "messages", "privacy", "openapi")
OPTIONAL_MODULES = {"volunteers", "targets"}

ERROR_STATUSES = {
    400: "The input is not valid: `validation_failed` (with `fields`), `malformed_json`.",
    401: "Not authenticated: `authentication_required`, `invalid_token`.",
    403: "Not allowed: `forbidden`, or `csrf_failed` for cookie-authenticated writes without the CSRF token.",
    404: "`not_found`: no such object, or not one the caller may see.",
    409: "Refused by a business rule; `code` says which (e.g. `event_full`, `already_registered`).",
    413: "`too_large`: the request body is larger than 64 KiB, or than the longest valid body where that is more.",
    415: "`unsupported_media_type`: the body is not JSON.",
    429: "`too_many_attempts`: too many failed logins; try again later.",
}

SHARED_SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "description": "Machine-readable; stable across languages."},
                    "message": {"type": "string", "description": "For people, in the request's language."},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": "With `validation_failed`: a message for each field that is wrong.",
                    },
                },
            }
        },
    },
}

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def operation(*, operation_id, tag, summary, description, rule, response, status, body, query, auth, errors):
    """One OpenAPI operation object (called by ``framework.Routes``)."""
    op = {"operationId": operation_id, "tags": [tag], "summary": summary}
    if description:
        op["description"] = description
    params = [
        {"name": name, "in": "path", "required": True,
         "schema": {"type": "integer", "minimum": 1} if converter == "int" else {"type": "string"}}
        for converter, name in _CONVERTER.findall(rule)
    ]
    if query is not None:
        params.extend(query.parameters())
    if params:
        op["parameters"] = params
    if body is not None:
        op["requestBody"] = {"required": any(f.required for f in body.fields.values()), "content": {"application/json": {"schema": body.schema()}}}
    responses = {}
    if status == 204:
        responses["204"] = {"description": "Done; no content."}
    else:
        schema = {"$ref": f"#/components/schemas/{response}"} if isinstance(response, str) else response
        responses[str(status)] = {
            "description": "Success.",
            "content": {"application/json": {"schema": schema or {"type": "object"}}},
        }
    wanted = set(errors)
    if body is not None or query is not None:
        wanted.add(400)
    if body is not None:
        wanted.update({413, 415})
    if auth == "required":
        wanted.add(401)
    if auth != "none":
        wanted.add(403)
    if params and any(p["in"] == "path" for p in params):
        wanted.add(404)
    for code in sorted(wanted):
        responses[str(code)] = {"$ref": f"#/components/responses/Error{code}"}
    op["responses"] = responses
    if auth == "required":
        op["security"] = [{"bearerAuth": []}, {"cookieAuth": []}]
    elif auth == "optional":
        op["security"] = [{"bearerAuth": []}, {"cookieAuth": []}, {}]
    else:
        op["security"] = []
    return op


def endpoint_modules():
    """Import (once) and return the endpoint modules that exist."""
    modules = []
    for name in ENDPOINT_MODULES:
        try:
            modules.append(importlib.import_module(f"activity_hub.api.{name}"))
        except ModuleNotFoundError as exc:
            if name in OPTIONAL_MODULES and exc.name == f"activity_hub.api.{name}":
                continue
            raise
    return modules


def build_document():
    from .serializers import SCHEMAS

    paths, schemas = {}, dict(SHARED_SCHEMAS)
    schemas.update(SCHEMAS)
    tags = []
    for module in endpoint_modules():
        for path, operations in getattr(module, "OPENAPI_PATHS", {}).items():
            paths.setdefault(path, {}).update(operations)
            for op in operations.values():
                for tag in op.get("tags", ()):
                    if tag not in tags:
                        tags.append(tag)
        schemas.update(getattr(module, "OPENAPI_SCHEMAS", {}))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "activity_hub API",
            "version": "1.0.0",
            "description": (
                "Events, registrations and volunteering of the Wuhan Disabled Persons' Federation. "
                "Authenticate with a personal API token (`Authorization: Bearer ahp_...`, from "
                "`POST /api/v1/auth/token` or the account page) or with the site's session cookie; "
                "cookie-authenticated writes must send the page's CSRF token in `X-CSRFToken`. "
                "Errors are `{\"error\": {\"code\", \"message\", \"fields\"?}}`; invalid input is 400 "
                "`validation_failed`, a refused business rule is 409 with the rule's code. Messages follow "
                "`Accept-Language` (zh-CN or en). Times are ISO 8601 with the +08:00 offset; a time sent "
                "without an offset is read as Asia/Shanghai."
            ),
        },
        "servers": [{"url": current_app.config.get("APPLICATION_ROOT", "/") or "/"}],
        "tags": [{"name": tag} for tag in tags],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "responses": {
                f"Error{code}": {
                    "description": text,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
                for code, text in ERROR_STATUSES.items()
            },
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "A personal API token."},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session",
                               "description": "The site's login session (browsers)."},
            },
        },
    }


OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Documentation")


@route("GET", "/openapi.json", summary="This OpenAPI document", auth="none", response={"type": "object"})
def openapi_document():
    """The OpenAPI 3.1 description of every endpoint."""
    return build_document()
