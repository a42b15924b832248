"""The layout rules of DESIGN.md §3 that a reader of the code would notice breaking: no import cycles
among the package's modules (each domain's blueprint.py imports its view modules, never the reverse),
and views refuse through the domains' lookups, not with hand-written ``abort(403)`` / ``abort(404)``."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "activity_hub"


def modules():
    """{dotted name: parsed module} for every module of the package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return found


def import_graph(found):
    """Module-level imports only: an import inside a function is a deliberate deferral."""
    graph = {}
    for name, (path, tree) in found.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                anchor = ".".join(base[:len(base) - node.level + 1]) if node.level else ""
                module = ".".join(part for part in (anchor, node.module or "") if part)
                for alias in node.names:
                    submodule = f"{module}.{alias.name}"
                    targets.add(submodule if submodule in found else module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {target for target in targets if target in found and target != name}
    return graph


def cycles(graph):
    """The groups of modules that import one another, directly or round a loop."""
    def reachable(start):
        seen, todo = set(), [start]
        while todo:
            for target in graph[todo.pop()] - seen:
                seen.add(target)
                todo.append(target)
        return seen

    reach = {name: reachable(name) for name in graph}
    groups = {frozenset({name} | {other for other in reach[name] if name in reach[other]})
              for name in graph if name in reach[name]}
    return sorted(sorted(group) for group in groups)


def test_the_cycle_check_finds_a_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_the_package_imports_itself_round_a_loop():
    assert cycles(import_graph(modules())) == []


def _is_view_module(path, tree):
    """A module that registers routes (``@bp.route``, the API's ``@route``) or is named for its views."""
    if path.stem == "views" or path.stem.endswith("_views"):
        return True
    for node in ast.walk(tree):
        for decorator in getattr(node, "decorator_list", ()):
            call = decorator.func if isinstance(decorator, ast.Call) else decorator
            if (isinstance(call, ast.Attribute) and call.attr == "route") or (
                    isinstance(call, ast.Name) and call.id == "route"):
                return True
    return False


def _hand_written_refusals(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "abort" and node.args[0].value in (403, 404):
                yield node.lineno


def test_views_refuse_through_the_lookups_not_with_abort():
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}"
             for path, tree in modules().values() if _is_view_module(path, tree)
             for line in _hand_written_refusals(tree)]
    assert found == []
