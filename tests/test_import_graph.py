"""No two apps import each other, directly or round a loop (issue 9).

The graph is read from the source, not from what happens to be imported at run time: every
``import sciweek.<app>…`` and ``from sciweek.<app> import …`` (relative ones resolved), at module
level or inside a function, in every module of every app under ``src/sciweek/<app>/``. The
project's own top-level modules (settings, urls, cli, celery, wsgi, asgi) wire the apps together
and stand above them all, so they are not nodes.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "sciweek"


def _apps() -> set[str]:
    return {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}


def _imported_modules(path: Path) -> set[str]:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    package = parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            # ``from sciweek import demo`` names the app in the imported name.
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def import_graph() -> dict[tuple[str, str], set[str]]:
    """``{(app, imported app): {files that import it}}``."""
    apps = _apps()
    edges: dict[tuple[str, str], set[str]] = {}
    for app in sorted(apps):
        for path in sorted((PACKAGE / app).rglob("*.py")):
            for module in _imported_modules(path):
                names = module.split(".")
                if len(names) > 1 and names[0] == "sciweek" and names[1] in apps - {app}:
                    where = str(path.relative_to(PACKAGE))
                    edges.setdefault((app, names[1]), set()).add(where)
    return edges


def find_cycles(edges) -> list[list[str]]:
    """One cycle through each strongly connected group of apps (Tarjan), as a path of apps."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)

    cycles = []
    for group in groups:
        start = min(group)
        # Breadth-first inside the group: the shortest way from start back to itself.
        paths = {start: [start]}
        queue = [start]
        cycle = None
        while queue and cycle is None:
            node = queue.pop(0)
            for nxt in sorted(graph[node] & group):
                if nxt == start:
                    cycle = [*paths[node], start]
                    break
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    queue.append(nxt)
        cycles.append(cycle)
    return cycles


def _describe(cycle, edges) -> str:
    steps = [
        f"  {a} → {b}  ({', '.join(sorted(edges[(a, b)])[:3])})"
        for a, b in itertools.pairwise(cycle)
    ]
    return " → ".join(cycle) + "\n" + "\n".join(steps)


def test_no_app_imports_in_a_cycle():
    edges = import_graph()
    cycles = find_cycles(edges)
    assert not cycles, "apps import each other in a cycle:\n" + "\n".join(
        _describe(c, edges) for c in cycles
    )


def test_the_reader_sees_module_and_function_level_and_relative_imports():
    edges = import_graph()
    # Module level: every app stands on common.
    assert "organizations/models.py" in edges[("organizations", "common")]
    # Inside a function: reports.selectors imports the audit model in history_of().
    assert "reports/selectors.py" in edges[("reports", "audit")]
    # Relative imports stay inside their app and make no edge.
    assert not any(a == b for a, b in edges)
    assert ("dashboard", "bookings") in edges


def test_find_cycles_reports_a_loop_and_ignores_a_chain():
    chain = {("a", "b"): {"x"}, ("b", "c"): {"y"}}
    assert find_cycles(chain) == []
    loop = {**chain, ("c", "a"): {"z"}, ("c", "d"): {"w"}}
    assert find_cycles(loop) == [["a", "b", "c", "a"]]


def test_audit_and_common_stand_below_the_other_apps():
    """Every app writes to the audit log, common (its request middleware) included."""
    edges = import_graph()
    assert {b for a, b in edges if a == "audit"} == set()
    assert {b for a, b in edges if a == "common"} == {"audit"}
