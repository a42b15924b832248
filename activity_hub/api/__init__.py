"""JSON API v1 (/api/v1) and its OpenAPI document (/api/v1/openapi.json).

Adding endpoints from another domain (e.g. volunteers) — create ``activity_hub/api/<area>.py``:

    from .framework import ApiError, Routes, json_body, not_found, query_args, require_user
    from .schema import Field, Fields
    from .serializers import iso   # times as ISO 8601 in Asia/Shanghai

    OPENAPI_PATHS = {}                      # filled by ``route`` below
    OPENAPI_SCHEMAS = {"Assignment": {...}} # JSON schemas of the objects you return
    route = Routes(OPENAPI_PATHS, tag="Volunteers")

    DECLINE = Fields({"reason": Field("string", max_length=500)})

    @route("POST", "/me/assignments/<int:assignment_id>/decline", summary="Decline an assignment",
           body=DECLINE, response="Assignment", errors=(409,))
    def decline_assignment(assignment_id):
        user = require_user()            # auth="required" (the default) already refused anonymous callers
        data = json_body(DECLINE)        # 400 validation_failed / malformed_json / 415 / 413 for you
        ...call your service..., raise ApiError(409, "code", _("message")) for a refusal
        return assignment_json(...)      # a dict (or list); ``status=`` sets the code, 204 sends nothing

Then add the module's name to ``ENDPOINT_MODULES`` in ``api/openapi.py`` if it is not there
("volunteers" and "targets" already are). ``Routes`` registers the view on the API blueprint
and documents it (path parameters, query, body, responses, security); ``auth`` is
"required", "optional" or "none". Serialise your own objects in your module or in
``serializers.py`` (one function per kind of object). To turn your service's exceptions
into JSON errors, either catch them and raise ``ApiError``, or register a handler with
``@bp.errorhandler(YourError)`` (see ``service_errors.py``). The tests in
tests/api/test_openapi.py fail if a route under /api/v1 is missing from the document or
the document does not validate. Error messages are translated (``gettext``): run
``python -m activity_hub.catalogues api`` and fill the zh_CN msgstr.

Authentication: ``Authorization: Bearer <token>`` (personal tokens, ``tokens.py``) or the
session cookie; cookie-authenticated writes need the CSRF token (``X-CSRFToken``).
"""
