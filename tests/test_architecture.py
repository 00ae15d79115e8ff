"""Dependencies point one way (docs/architecture.md): an AST scan of every module and notebook code cell.

notebooks/ -> helpers/ -> embedded_page/ -> (stripe SDK over HTTP) -> API
                   \\---> stripe_emulator/ (a standalone HTTP service)
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from IPython.core.inputtransformer2 import TransformerManager

ROOT = Path(__file__).resolve().parent.parent
OURS = {"stripe_emulator", "embedded_page", "helpers", "tests", "notebooks", "scripts"}

# package -> the packages of ours it must never import
FORBIDDEN = {
    "stripe_emulator": OURS - {"stripe_emulator"},
    "embedded_page": OURS - {"embedded_page"},
    "helpers": {"tests", "notebooks", "scripts"},
    "scripts": {"tests", "notebooks"},
}
NOTEBOOK_IMPORTS = {"helpers", "stripe"}


def imported_modules(source: str, package: str = "") -> set[str]:
    """Top-level names of every module `source` imports (also `importlib.import_module("x")`)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level:  # relative: stays inside its own package
                found.add(package)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value.lstrip(".").split(".")[0] or package)
    return found


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def notebook_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    to_python = TransformerManager().transform_cell  # `%magic` and `!shell` lines -> Python
    return [to_python("".join(c["source"])) for c in cells if c["cell_type"] == "code"]


def notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_it_may(package):
    files = python_files(package)
    if package != "scripts":
        assert files, f"no Python files found in {package}/"
    violations = {
        str(path.relative_to(ROOT)): sorted(bad)
        for path in files
        if (bad := imported_modules(path.read_text(encoding="utf-8"), package) & FORBIDDEN[package])
    }
    assert violations == {}


def test_nothing_outside_tests_imports_tests():
    sources = [*ROOT.glob("*.py")]
    for package in OURS - {"tests", "notebooks"}:
        sources += python_files(package)
    offenders = [
        str(p.relative_to(ROOT))
        for p in sources
        if "tests" in imported_modules(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_notebook_imports_only_helpers_and_stripe(path):
    imported = set()
    for cell in notebook_cells(path):
        imported |= imported_modules(cell)
    assert imported <= NOTEBOOK_IMPORTS, (
        f"{path.name} imports {sorted(imported - NOTEBOOK_IMPORTS)}"
    )


def test_the_scan_sees_imports_of_every_form():
    source = (
        "import a.b\nfrom c.d import e\nfrom . import f\nfrom .g import h\n"
        "import importlib\nimportlib.import_module('i.j')\n__import__('k')\n"
        "def later():\n    import m\n"
    )
    assert imported_modules(source, "pkg") == {"a", "c", "pkg", "importlib", "i", "k", "m"}


def test_the_scan_reads_cells_with_magics(tmp_path):
    notebook = {
        "cells": [
            {"cell_type": "code", "source": ["%load_ext autoreload\n", "import helpers\n"]},
            {"cell_type": "code", "source": ["!ls\n", "import stripe"]},
            {"cell_type": "markdown", "source": ["import nothing"]},
        ]
    }
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook))
    imported = set().union(*(imported_modules(cell) for cell in notebook_cells(path)))
    # IPython turns magics into get_ipython() calls, which import nothing.
    assert imported == {"helpers", "stripe"}


# --- inside stripe_emulator: layers, no cycles, no hidden imports ---------------------------------

EMULATOR = ROOT / "stripe_emulator"
# Each unit (a top-level module or subpackage of stripe_emulator) may import its own layer or
# lower ones: api -> resources -> render -> store/context -> the low-level modules.
LAYERS = (
    {"errors", "params", "ids", "keys", "clock", "testdata", "http_io"},  # importable by all
    {"compact", "idempotency"},  # how an account keeps its objects and idempotency keys
    {"webhook_retry", "webhook_transport"},  # the retry schedule, the webhook wire
    {"store", "context", "tracking", "persistence"},  # persistence: the opt-in state file
    {"render"},
    {"resources"},
    {"api"},
    # the request pipeline (app.py's docstring gives its steps) and the servers around it
    {"call", "auth", "request_log", "router", "webhooks"},  # what every step reads or writes
    {"control", "threeds", "stripejs"},  # handlers of the non-API surfaces
    {"routes", "surfaces"},  # the one route list; each surface's steps and error format
    {"app"},
    {"connections"},  # the HTTP protocol's timeouts, around the app
    {"server", "__init__", "__main__"},
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(EMULATOR).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _unit(module: str) -> str:
    return module.split(".")[0]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return getattr(test, "id", getattr(test, "attr", None)) == "TYPE_CHECKING"


def _runtime_imports(tree: ast.Module):
    """Module-level imports that run on import (not under `if TYPE_CHECKING:`)."""
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            yield from (n for n in node.body if isinstance(n, ast.Import | ast.ImportFrom))


def _targets(node: ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The stripe_emulator modules a relative import names (`from ..x import y` -> x or x.y)."""
    if not node.level:
        return set()
    base = module.split(".") if module else []
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    prefix = [*base, *(node.module.split(".") if node.module else [])]
    found = set()
    for alias in node.names:
        candidate = ".".join([*prefix, alias.name])
        found.add(candidate if candidate in known else ".".join(prefix) or "__init__")
    return found


def emulator_imports() -> dict[str, set[str]]:
    """module -> the stripe_emulator modules it imports at import time."""
    files = {_module_name(p): p for p in python_files("stripe_emulator")}
    known = set(files)
    graph = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        graph[module] = set().union(
            *(
                _targets(node, module, is_package, known)
                for node in _runtime_imports(tree)
                if isinstance(node, ast.ImportFrom)
            )
        ) - {module}
    return graph


def _layer(unit: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if unit in layer)


def test_every_emulator_unit_has_a_layer():
    units = {_unit(m) for m in emulator_imports()}
    assert units - set().union(*LAYERS) == set()


def test_emulator_imports_point_down_the_layers():
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in emulator_imports().items()
        for target in targets
        if _layer(_unit(target)) > _layer(_unit(module))
    )
    assert upward == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def test_emulator_modules_import_each_other_without_cycles():
    assert _cycles(emulator_imports()) == []


def test_the_cycle_check_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]


def test_emulator_imports_sit_at_the_top_of_each_module():
    hidden = {}
    for path in python_files("stripe_emulator"):
        name = str(path.relative_to(EMULATOR))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(_runtime_imports(tree)) | {
            n
            for node in tree.body
            if isinstance(node, ast.If) and _is_type_checking(node)
            for n in node.body
        }
        lines = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom) and node not in top
        ]
        if lines:
            hidden[name] = lines
    assert hidden == {}


def test_python_files_stay_small():
    """Every Python file of ours (the packages, the tests, the scripts) stays under ~400 lines:
    past that it is split by concept (docs/architecture.md, rule 5)."""
    sizes = {
        str(p.relative_to(ROOT)): n
        for package in sorted(OURS - {"notebooks"})
        for p in python_files(package)
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420
    }
    assert sizes == {}


def test_the_emulator_and_the_page_time_out_connections_alike():
    """One rule in two packages that may not import each other: the files stay identical."""
    emulator = (ROOT / "stripe_emulator" / "connections.py").read_bytes()
    assert (ROOT / "embedded_page" / "connections.py").read_bytes() == emulator
