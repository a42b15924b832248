"""Ids past 2³¹−1 and NUL bytes, in any parameter of any route (path, query string, form field,
JSON body), are answered 404 or 400 (or the page as usual), never 500. The walk covers every rule of
``app.url_map`` with GET and POST, anonymous and as an administrator who organizes too."""
import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from tests.conftest import login

VALUES = (str(2**31), str(2**63), "\x00")


def form_field_names():
    """Every field name of every form of the app, so a POST carries each one."""
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import activity_hub

    for module in pkgutil.walk_packages(activity_hub.__path__, "activity_hub."):
        if module.name.endswith(("forms", "organizer_forms")):
            importlib.import_module(module.name)
    names = set()

    def walk(cls):
        for sub in cls.__subclasses__():
            names.update(name for name in dir(sub) if hasattr(getattr(sub, name, None), "field_class"))
            walk(sub)

    walk(FlaskForm)
    return sorted(names - {"csrf_token"})


def urls(app, value):
    adapter = app.url_map.bind("localhost")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint.endswith("static"):
            continue
        arguments = {}
        for name in rule.arguments:
            converter = rule._converters[name]
            if isinstance(converter, AnyConverter):
                arguments[name] = sorted(converter.items)[0] if hasattr(converter, "items") else "x"
            elif isinstance(converter, IntegerConverter):
                arguments[name] = value if value.isdigit() else "1"
            else:
                arguments[name] = value if not value.isdigit() else "x" + value
        try:
            path = adapter.build(rule.endpoint, arguments)
        except Exception:  # a converter that refuses the value when building: the URL cannot be asked
            path = adapter.build(rule.endpoint, {n: ("1" if isinstance(rule._converters[n], IntegerConverter)
                                                     else arguments[n]) for n in rule.arguments})
        for method in ("GET", "POST"):
            if method in rule.methods:
                yield method, path


@pytest.mark.parametrize("value", VALUES, ids=["2^31", "2^63", "NUL"])
def test_no_route_answers_500_to_huge_ids_or_nul_bytes(make_app, make_user, make_event, value):
    app = make_app(PROPAGATE_EXCEPTIONS=False)  # a failure is answered 500, as in production
    admin = make_user(roles=("admin", "organizer"))
    make_event()
    fields = {name: value for name in form_field_names()}
    query = {name: value for name in ("page", "per_page", "year", "id", "event_id", "user_id", "q", "status",
                                      "need", "phone", "next", "lang", "date_from", "district", "category")}
    failures = []
    for who in ("anonymous", "admin"):
        client = app.test_client()
        if who == "admin":
            login(client, admin)
        for method, path in urls(app, value):
            if method == "GET":
                answers = [client.get(path, query_string=query)]
            elif path.startswith("/api/"):
                answers = [client.post(path, json=fields, query_string=query)]
            else:
                answers = [client.post(path, data=fields, query_string=query)]
            for answer in answers:
                if answer.status_code >= 500:
                    failures.append(f"{who} {method} {path} -> {answer.status_code}")
    assert not failures, "\n".join(failures)


def test_ids_past_the_database_integers_are_not_found_like_any_missing_id(client):
    for huge in (2**31, 2**63, 10**30):
        assert client.get(f"/events/{huge}").status_code == 404
        answer = client.get(f"/api/v1/events/{huge}")
        assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "not_found"
