"""The project's own files agree with each other: packaging, environments, settings, docs, CI."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
import stripe
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from helpers.backend import SETTINGS
from stripe_emulator.context import DEFAULT_API_VERSION

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FULL_KEY = re.compile(r"\b(sk|rk|pk)_(test|live)_[A-Za-z0-9_]+")


def declared_requirements() -> dict[str, Requirement]:
    names = PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]
    requirements = [Requirement(r) for r in names]
    return {canonicalize_name(r.name): r for r in requirements}


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def environment_pins() -> dict[str, Requirement]:
    pip = next(d["pip"] for d in environment()["dependencies"] if isinstance(d, dict))
    requirements = [Requirement(line) for line in pip if not line.startswith("-")]
    return {canonicalize_name(r.name): r for r in requirements}


# --- packaging and environments ---------------------------------------------------------


def test_every_dependency_is_pinned_compatibly_in_environment_yml():
    pins = environment_pins()
    declared = declared_requirements()
    assert sorted(pins) == sorted(declared)
    for name, requirement in declared.items():
        (pin,) = pins[name].specifier
        assert pin.operator == "==", f"{name}: environment.yml pins exact versions"
        assert requirement.specifier.contains(pin.version, prereleases=True), (
            f"{name}=={pin.version} is outside pyproject's {requirement.specifier}"
        )


def test_environment_yml_installs_link_lab_itself_on_python_311():
    dependencies = environment()["dependencies"]
    assert "python=3.11" in dependencies
    pip = next(d["pip"] for d in dependencies if isinstance(d, dict))
    assert "-e ." in pip
    assert SpecifierSet(PROJECT["requires-python"]).contains("3.11")
    assert not SpecifierSet(PROJECT["requires-python"]).contains("3.10")


def test_declared_packages_are_exactly_the_package_directories():
    found = sorted(
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("stripe_emulator", "embedded_page", "helpers")
        for init in (ROOT / top).rglob("__init__.py")
    )
    assert sorted(PYPROJECT["tool"]["setuptools"]["packages"]) == found


def test_installed_stripe_python_is_in_the_declared_range():
    assert declared_requirements()["stripe"].specifier.contains(stripe.VERSION)


def test_emulator_default_api_version_is_the_one_stripe_python_pins():
    assert DEFAULT_API_VERSION == stripe.api_version


# --- settings ---------------------------------------------------------------------------


def test_env_example_documents_every_setting_helpers_reads():
    text = (ROOT / ".env.example").read_text()
    names = [line.split("=", 1)[0] for line in text.splitlines() if re.match(r"^[A-Z_]+=", line)]
    assert names == list(SETTINGS)
    assert FULL_KEY.search(text) is None


def test_env_and_venv_are_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in ignored and ".venv/" in ignored


# --- README, Makefile, CI ---------------------------------------------------------------


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line]
    assert commands == ["make lab", "make test"]


def test_readme_lists_exactly_the_notebooks_that_exist():
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"`(\d\d_[a-z0-9_]+\.ipynb)`", readme))
    assert listed == {path.name for path in NOTEBOOKS}


def test_makefile_has_the_documented_targets():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z]+):", makefile, flags=re.MULTILINE))
    assert {"lab", "test", "bench", "notebooks", "stop"} <= targets
    assert "--nbval-current-env" in makefile and "ruff check" in makefile
    assert "playwright install" not in makefile


def test_react_checkout_is_built_by_make_and_never_committed():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert {"embedded_page/react/node_modules/", "embedded_page/react/dist/"} <= set(ignored)
    assert (ROOT / "embedded_page" / "react" / "package-lock.json").is_file()
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^react: \$\(REACT_BUILD\)$", makefile, flags=re.MULTILINE)
    assert re.search(r"^test: .*\$\(REACT_IF_NPM\)", makefile, flags=re.MULTILINE)
    for target in ("lab", "page"):  # tried first wherever npm exists; a failed build only warns
        assert re.search(rf"^{target}: .* react-optional$", makefile, flags=re.MULTILINE)
    assert "missing+=(npm)" in (ROOT / ".ci" / "run").read_text()


def test_ci_script_runs_make_test_strictly():
    script = ROOT / ".ci" / "run"
    text = script.read_text()
    assert os.access(script, os.X_OK)
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert re.search(r"^\s*(time )?make test$", text, flags=re.MULTILINE)
    assert "playwright install" not in text


# --- notebooks --------------------------------------------------------------------------


def test_there_is_a_first_notebook():
    assert "00_start_here.ipynb" in {path.name for path in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_named_and_committed_executed(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name)
    cells = json.loads(path.read_text())["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code and all(c["execution_count"] for c in code), "run `make notebooks`"
    errors = [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    raising = [c for c in code if "raises-exception" in c["metadata"].get("tags", [])]
    assert len(errors) <= len(raising)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_never_shows_a_key_in_full(path):
    assert FULL_KEY.search(path.read_text()) is None


def test_widget_model_ids_are_numbered_in_order():
    sys.path.insert(0, str(ROOT / "scripts"))
    from normalize_notebooks import WIDGET_VIEW, normalize

    def widget(model_id: str) -> dict:
        return {"output_type": "display_data", "data": {WIDGET_VIEW: {"model_id": model_id}}}

    notebook = {
        "metadata": {"widgets": {"state": {}}},
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [widget("9f2c"), widget("a1")]},
            {"cell_type": "code", "metadata": {}, "outputs": [widget("77e0")]},
        ],
    }
    ids = [
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in normalize(notebook)["cells"]
        for output in cell["outputs"]
    ]
    assert ids == [f"{n:032x}" for n in (1, 2, 3)]


def test_notebooks_keep_the_kernels_language_info():
    """JupyterLab writes the kernel's `language_info` into a notebook it opens: when the file
    already holds it whole (the Python version included), opening a lesson leaves it unchanged,
    so autosave writes nothing into the checkout."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from normalize_notebooks import normalize

    info = {"name": "python", "version": "3.11.7", "pygments_lexer": "ipython3"}
    assert normalize({"metadata": {"language_info": dict(info)}, "cells": []})["metadata"] == {
        "language_info": info
    }
    for path in NOTEBOOKS:
        language_info = json.loads(path.read_text(encoding="utf-8"))["metadata"]["language_info"]
        assert re.fullmatch(r"3\.\d+\.\d+", language_info.get("version", "")), path.name


def test_notebooks_are_normalized():
    if not NOTEBOOKS:
        pytest.skip("no notebooks")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "normalize_notebooks.py"), "--check", *NOTEBOOKS],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# --- benchmark --------------------------------------------------------------------------


def test_benchmark_runs_the_whole_flow():
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            "--flows",
            "10",
            "--warmup",
            "1",
            "--startups",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for label in (
        "flows/s",
        "ratio emulator / do-nothing",
        "own work per request",
        "  server stack",
        "  operations",
        "stack only / same bodies",
        "startup (median)",
        "emulator RSS",
    ):
        assert label in result.stdout


def test_bench_servers_answer_the_emulators_body_and_headers(emulator, tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import bench_servers
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    recorded = tmp_path / "responses.json"
    bench_servers.capture_bodies(emulator.base_url, str(recorded))
    captured = json.loads(recorded.read_text())
    customer = captured["customers"]
    assert json.loads(customer["body"])["object"] == "customer"
    names = [name for name, _ in customer["headers"]]
    assert {"request-id", "stripe-version", "idempotency-key"} <= set(names)
    assert not {"date", "server", "content-length"} & set(names)  # the stack adds its own
    assert "connection" not in names  # the capture's Connection: close must not be replayed

    responses = bench_servers.load_responses(str(recorded))  # as the replay server reads it
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/v1/customers", "headers": []}
    # The same-bodies server, and the emulator's own app with its pipeline skipped (stack only),
    # answer the captured response exactly.
    stack = bench_servers.stack_app(responses)
    for app in (bench_servers.replay_app(responses), stack):
        sent.clear()
        _run_apart(app(scope, receive, send))
        assert sent[1]["body"].decode() == customer["body"]
        headers = [(k.decode(), v.decode()) for k, v in sent[0]["headers"]]
        assert headers[:-1] == [tuple(h) for h in customer["headers"]]
        assert headers[-1] == ("content-length", str(len(customer["body"].encode())))
    assert stack.store.accounts() == []  # no operation ran: no account was even looked up


def test_pipeline_benchmark_prints_every_step():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_pipeline.py"), "--flows", "20",
         "--warmup", "2"],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for label in ("answering (handle)", "decode", "recording events", "create+confirm "
                  "SetupIntent", "0.95 of the same-bodies server"):  # fmt: skip
        assert label in result.stdout


def test_memory_benchmark_prints_every_figure():
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_memory.py"),
            *("--objects", "20", "--flows", "10", "--keys", "50", "--posts", "20"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for label in ("per object", "KiB per flow", "unknown keys", "keyed POSTs", "charges"):
        assert label in result.stdout


def test_scale_benchmark_prints_its_curve():
    command = [sys.executable, str(ROOT / "scripts" / "bench_scale.py"), "--objects", "1200"]
    result = subprocess.run(
        [*command, "--samples", "5"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line[:9].strip()[:1].isdigit()]
    assert len(rows) == 2, result.stdout  # the checkpoints: 1,000 objects, then the last
    for label in ("list p50, last / first", "memory per object"):
        assert label in result.stdout


def _run_apart(coroutine) -> None:
    """asyncio.run in a thread of its own: the browser tests leave an event loop running here."""
    thread = threading.Thread(target=asyncio.run, args=(coroutine,))
    thread.start()
    thread.join(30)
