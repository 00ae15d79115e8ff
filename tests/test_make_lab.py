"""`make lab`'s JupyterLab command, as the Makefile has it, starts and lands on the first lesson.

The command is read from `make -n lab` (what make would run), started with a fixed token and a
free port and no browser; the test then follows the root URL as a learner's browser would.
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "linklab-test"


def _jupyter_command() -> list[str]:
    dry_run = subprocess.run(
        ["make", "-n", "--no-print-directory", "lab"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    ).stdout.replace("\\\n", " ")  # fmt: skip
    lines = [line for line in dry_run.splitlines() if "/jupyter lab" in line]
    assert len(lines) == 1, dry_run
    return shlex.split(lines[0])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_make_lab_opens_the_first_lesson(tmp_path):
    port = _free_port()
    command = [*_jupyter_command(), "--no-browser", f"--port={port}",
               f"--IdentityProvider.token={TOKEN}"]  # fmt: skip
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        lab = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=out, env={
            **os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        })  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert lab.poll() is None, log.read_text()  # e.g. a notebook argument it cannot find
            try:
                landed = urllib.request.urlopen(f"{base}/?token={TOKEN}", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        with landed:
            assert landed.status == 200
            assert landed.url.split("?")[0] == f"{base}/lab/tree/00_start_here.ipynb"
        contents = f"{base}/api/contents/00_start_here.ipynb?token={TOKEN}&content=0"
        with urllib.request.urlopen(contents, timeout=10) as notebook:
            assert notebook.status == 200  # the lesson it lands on exists under notebooks/
    finally:
        lab.terminate()
        lab.wait(timeout=20)
