"""Binder builds Link Lab with repo2docker from environment.yml (+ postBuild): its pip section,
installed as Binder installs it into a fresh environment, gives a working Link Lab, with
jupyter-server-proxy enabled (the attendee's browser reaches the servers through it).

(`repo2docker --no-build .` shows the Dockerfile Binder would build: conda `env update` with
environment.yml after the repository is copied in, because of `-e .`, then ./postBuild.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).parent / "uv"


def pip_section() -> list[str]:
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    return next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))


@pytest.mark.skipif(not UV.exists(), reason="uv is installed into .venv by make")
def test_the_pip_section_of_environment_yml_installs_a_working_link_lab(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("\n".join(pip_section()) + "\n")
    venv = tmp_path / "binder"
    env = {**os.environ, "VIRTUAL_ENV": ""}
    subprocess.run([UV, "venv", "-q", "-p", "3.11", venv], check=True, env=env)
    python = venv / "bin" / "python"
    subprocess.run(
        [UV, "pip", "install", "-q", "--python", python, "-r", requirements],
        check=True,
        cwd=REPO,  # `-e .`: Binder installs from the repository's root too
        env=env,
        timeout=600,
    )
    checked = subprocess.run(
        [python, "-c", "import helpers, stripe_emulator, embedded_page, jupyter_server_proxy"],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": ""},
    )
    assert checked.returncode == 0, checked.stderr
    enabled = venv / "etc" / "jupyter" / "jupyter_server_config.d" / "jupyter-server-proxy.json"
    assert '"jupyter_server_proxy": true' in enabled.read_text()


def test_postbuild_is_executable_and_installs_the_lab_settings():
    post_build = REPO / "postBuild"
    assert os.access(post_build, os.X_OK)
    assert "jupyter/overrides.json" in post_build.read_text()
