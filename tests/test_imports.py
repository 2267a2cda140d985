"""Imports sit at the top of a module; one inside a function says why (an optional, heavy dependency).

An import hidden in a function hides a dependency (and a cycle) from the
reader and from the layers check, so it needs a reason: a comment on its
line or on the line just above it (for a group of imports, above the
first). The temporary list names the files whose owners are hoisting their
imports now; a file leaves it once it is clean (the test says so).
"""

from __future__ import annotations

import ast

from conftest import REPO

#: TEMPORARY: files with unexplained function-local imports, being hoisted by their owners
BEING_HOISTED: dict[str, str] = {}


def _unexplained() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for path in sorted((REPO / "docexam").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        local = {node.lineno: node for func in ast.walk(tree) if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
                 for node in ast.walk(func) if isinstance(node, (ast.Import, ast.ImportFrom))}
        starts = {node.end_lineno: node.lineno for node in local.values()}
        for lineno in sorted(local):
            first = lineno
            while first - 1 in starts:  # the group's first import
                first = starts[first - 1]
            said = "#" in lines[lineno - 1] or lines[first - 2].strip().startswith("#")
            if not said:
                found.setdefault(path.relative_to(REPO).as_posix(), []).append(lineno)
    return found


def _on_the_list(name: str) -> bool:
    return any(name == key or (key.endswith("/") and name.startswith(key)) for key in BEING_HOISTED)


def test_function_local_imports_say_why():
    unexplained = {name: lines for name, lines in _unexplained().items() if not _on_the_list(name)}
    assert unexplained == {}, "hoist these imports to the top of the module, or say why they wait (a comment)"


def test_the_temporary_list_only_holds_places_still_to_clean():
    unexplained = _unexplained()
    clean = [key for key in BEING_HOISTED if not any(name == key or name.startswith(key) for name in unexplained)]
    assert clean == [], f"no unexplained imports left there: remove from BEING_HOISTED in {__file__}"
