"""The shape of the house, checked: arrows point one way (web -> engine -> rules), no import cycle,
no module too long to read in one sitting, no SQL in views, and a static cycle check that needs
no database code.

The import graph is read from the source (every ``import`` statement, function-level ones included),
never by importing the modules. Imports under ``if TYPE_CHECKING:`` are left out: they never run.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("engine", "web", "rules", "workflows")
MAX_LINES = 600
# A view parses input, calls one engine service and renders: it runs no query of a database session ...
SESSION_QUERIES = {"execute", "scalars", "scalar", "query"}
SESSION = re.compile(r"session|\b_?db\b|_db\(\)")
ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def project_modules() -> dict[str, Path]:
    """Every Python module of the project's packages, by dotted name (Alembic revisions left out)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations/versions" in path.as_posix():
                continue
            found[_module_name(path)] = path
    return found


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements anywhere in the module (functions included), except those under TYPE_CHECKING."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _runtime_imports_of(child))
            continue
        yield from _runtime_imports_of(node)


def _runtime_imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _runtime_imports(node)


def imported_names(module: str) -> set[str]:
    """The dotted names ``module`` imports: ``from a import b`` gives ``a.b`` when that is a module,
    else ``a``; relative imports are resolved against the module's package."""
    path = project_modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in _runtime_imports(_tree(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[:len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            candidate = f"{base}.{alias.name}"
            names.add(candidate if candidate in project_modules() else base)
    return names


@cache
def import_graph() -> dict[str, set[str]]:
    """Project module -> the project modules it imports."""
    modules = project_modules()
    return {name: {n for n in imported_names(name) if n in modules and n != name} for name in modules}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative depth-first search: a recursive one would hit Python's limit on a long chain.
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(found)


def _path_in(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """One concrete loop through a cycle's modules, to show in the failure message."""
    members = set(component)
    start = component[0]
    trail, seen = [start], {start}
    node = start
    while True:
        nxt = min(n for n in graph[node] if n in members)
        if nxt in seen:
            return trail[trail.index(nxt):] + [nxt]
        trail.append(nxt)
        seen.add(nxt)
        node = nxt


def test_imports_inside_functions_count_and_imports_for_annotations_do_not():
    tree = ast.parse("import a\n"
                     "if TYPE_CHECKING:\n    import b\nelse:\n    import c\n"
                     "def f():\n    import d\n    class K:\n        from e import g\n")
    found = [n.names[0].name if isinstance(n, ast.Import) else n.module for n in _runtime_imports(tree)]
    assert found == ["a", "c", "d", "e"]


def test_no_import_cycle_among_the_project_modules():
    graph = import_graph()
    loops = [" -> ".join(_path_in(component, graph)) + f"  ({len(component)} modules: {', '.join(component)})"
             for component in _cycles(graph)]
    assert loops == [], "import cycles:\n" + "\n".join(loops)


def test_the_cycle_finder_names_a_loop():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _path_in(["a", "b", "c"], graph) == ["a", "b", "c", "a"]


def _imports_outside(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{module} imports {name}" for module in project_modules()
                  if module == layer or module.startswith(layer + ".")
                  for name in imported_names(module)
                  if any(name == f or name.startswith(f + ".") for f in forbidden))


def test_the_engine_imports_neither_flask_nor_the_web_layer():
    assert _imports_outside("engine", ("flask", "flask_babel", "flask_login", "flask_migrate", "flask_sqlalchemy",
                                       "flask_wtf", "flask_limiter", "web")) == []


def test_rules_import_nothing_from_the_engine_or_the_web_layer():
    assert _imports_outside("rules", ("engine", "web", "flask", "sqlalchemy")) == []


def test_importing_the_static_cycle_check_loads_no_database_code():
    probe = ("import sys, engine.validation; "
             "print(sorted(m for m in sys.modules if m == 'sqlalchemy' or m.startswith('sqlalchemy.')))")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    count = loaded.stdout.count("'sqlalchemy")
    assert loaded.stdout.strip() == "[]", f"import engine.validation loaded {count} SQLAlchemy modules"


def test_no_engine_or_web_module_is_longer_than_a_sitting():
    long = sorted(f"{name}: {lines} lines" for name, path in project_modules().items()
                  if name.split(".")[0] in ("engine", "web")
                  and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES)
    assert long == [], "modules over 600 lines:\n" + "\n".join(long)


def _is_view_module(tree: ast.Module) -> bool:
    """A module that declares routes (``@bp.get(...)`` and the like) is a view module."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(call, ast.Attribute) and call.attr in ROUTE_DECORATORS:
                    return True
    return False


def _sql_calls(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, name) of each call that builds or runs SQL: a name imported from SQLAlchemy (``select``,
    ``update``, ``text``, ``func``...) or a query method of a database session (``session.execute``,
    ``db.session.scalars``, ``_db().query``...)."""
    builders = {alias.asname or alias.name for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy"
                for alias in node.names}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in builders:
            yield node.lineno, func.id
        elif (isinstance(func, ast.Attribute) and func.attr in SESSION_QUERIES
              and SESSION.search(ast.unparse(func.value))):
            yield node.lineno, func.attr


def sql_in_views() -> list[str]:
    """``module:line: call(`` for every SQL-building or SQL-running call in a view module of web/."""
    return sorted(f"{name}:{line}: {called}(" for name, path in project_modules().items()
                  if name.startswith("web.") and _is_view_module(_tree(path))
                  for line, called in _sql_calls(_tree(path)))


def test_the_sql_finder_tells_a_query_from_a_dict_update_or_a_route():
    view = ast.parse("from sqlalchemy import select\n"
                     "@bp.delete('/x/<id:i>')\n"
                     "def drop(i):\n"
                     "    shown.update(filters.query())\n"
                     "    return db.session.scalars(select(X).where(X.id == i)).all()\n")
    assert _is_view_module(view) and not _is_view_module(ast.parse("def helper():\n    return select(X)\n"))
    assert sorted(name for _line, name in _sql_calls(view)) == ["scalars", "select"]


def test_views_hold_no_sql():
    found = sql_in_views()
    assert found == [], "SQL in views:\n" + "\n".join(found)
