"""The apps form layers: each imports only the apps below it, and no import circle exists."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Bottom to top: an app may import the apps listed for it, nothing else of the project.
ALLOWED_IMPORTS: dict[str, set[str]] = {
    "plans": set(),
    "search": {"plans"},
    "accounts": {"plans"},
    "monitoring": {"accounts", "plans"},
    # Indicators stand on the catalogue; their public pages get the portal's page cache from
    # the project's URL configuration, so that the portal may show them (Leitziel pages).
    # The Gemeinden's contributions are per reporting round with the plan's statuses and are
    # frozen with the round: they call monitoring's rule (round_accepts_changes).
    "indicators": {"accounts", "monitoring", "plans"},
    "portal": {"accounts", "indicators", "monitoring", "plans", "search"},
    # Running it: health check, outage page, checks, backup; stands on no domain app.
    "operations": set(),
    # Kreistag papers cited by measures; the portal shows them through a template tag only.
    "council": {"accounts", "plans"},
}
APPS = set(ALLOWED_IMPORTS)


def app_modules(app: str) -> Iterator[Path]:
    """The app's Python modules, without tests and migrations."""
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT / app).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def imported_apps(path: Path) -> set[str]:
    """The project apps a module imports, anywhere in it (also inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & APPS


def import_graph() -> dict[str, dict[str, list[str]]]:
    """App → imported app → the modules that import it (paths relative to the project)."""
    graph: dict[str, dict[str, list[str]]] = {app: {} for app in APPS}
    for app in APPS:
        for path in app_modules(app):
            for other in imported_apps(path) - {app}:
                graph[app].setdefault(other, []).append(str(path.relative_to(ROOT)))
    return graph


def find_cycle(graph: dict[str, dict[str, list[str]]]) -> list[str] | None:
    """One import circle of the graph (its apps, the first repeated at the end), or None."""
    visiting: list[str] = []
    done: set[str] = set()

    def visit(app: str) -> list[str] | None:
        if app in visiting:
            return [*visiting[visiting.index(app) :], app]
        if app in done:
            return None
        visiting.append(app)
        for other in sorted(graph[app]):
            cycle = visit(other)
            if cycle:
                return cycle
        visiting.pop()
        done.add(app)
        return None

    for app in sorted(graph):
        cycle = visit(app)
        if cycle:
            return cycle
    return None


def test_the_apps_import_each_other_in_no_circle() -> None:
    graph = import_graph()
    cycle = find_cycle(graph)
    assert cycle is None, "; ".join(
        f"{app} → {following} ({', '.join(graph[app][following])})"
        for app, following in itertools.pairwise(cycle)
    )


def test_each_app_imports_only_the_apps_below_it() -> None:
    forbidden = {
        f"{app} → {other}": modules
        for app, imports in import_graph().items()
        for other, modules in imports.items()
        if other not in ALLOWED_IMPORTS[app]
    }
    assert forbidden == {}


def test_migrations_import_no_application_code() -> None:
    """A migration runs on the models as they were then; the application's code follows the
    newest models (see plans/migrations/0004_measure_facets.py)."""
    importing = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path))
        for app in APPS
        for path in sorted((ROOT / app / "migrations").glob("*.py"))
        if imported_apps(path)
    }
    assert importing == {}


def test_the_graph_sees_imports_inside_functions_and_ignores_relative_ones(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "from . import models\n"
        "import plans.models\n"
        "def f():\n"
        "    from monitoring import policies\n"
        "    import json\n"
    )
    assert imported_apps(module) == {"plans", "monitoring"}


def test_a_circle_is_found() -> None:
    graph = {"a": {"b": ["a/x.py"]}, "b": {"c": ["b/y.py"]}, "c": {"a": ["c/z.py"]}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": []}, "b": {}}) is None
