"""Dependencies point one way (STYLE §1): an AST scan of every module and notebook code cell.

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
