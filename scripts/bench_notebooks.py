"""How long each lesson takes to run unattended: `python scripts/bench_notebooks.py [--rounds N]`.

Each notebook runs in a fresh kernel (as nbval runs it) against the emulator and pages that
`make notebooks` uses (the caller starts them; `make bench-notebooks` does). A baseline notebook
that only starts a kernel and imports `helpers` runs in the same process first: its time is the
fixed cost every lesson pays, and each lesson is also shown as a multiple of it. Prints, per
notebook, the median of the rounds and the slowest round, then the total, against the budget
(each lesson under 20 s, all of them under 2 minutes on a 2-core machine).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LESSON_BUDGET_S = 20.0
SUITE_BUDGET_S = 120.0


def baseline() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell("import helpers"))
    return notebook


def run(notebook: nbformat.NotebookNode, cwd: Path) -> float:
    started = time.perf_counter()
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench_notebooks.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    cwd = ROOT / "notebooks"
    base = [run(baseline(), cwd) for _ in range(args.rounds)]
    base_s = statistics.median(base)
    print(f"{'notebook':<34} {'median s':>9} {'max s':>7} {'x baseline':>11}")
    print(f"{'(baseline: kernel + import helpers)':<34} {base_s:9.1f} {max(base):7.1f} {1:11.1f}")
    total, over = 0.0, []
    for path in NOTEBOOKS:
        times = [run(nbformat.read(path, as_version=4), cwd) for _ in range(args.rounds)]
        median = statistics.median(times)
        total += median
        if max(times) > LESSON_BUDGET_S:
            over.append(path.stem)
        print(f"{path.stem:<34} {median:9.1f} {max(times):7.1f} {median / base_s:11.1f}")
    print(f"{'all lessons (sum of medians)':<34} {total:9.1f}")
    print(
        f"budget: each < {LESSON_BUDGET_S:.0f} s ({'met' if not over else 'missed: ' + ', '.join(over)}), "
        f"all < {SUITE_BUDGET_S:.0f} s ({'met' if total < SUITE_BUDGET_S else 'missed'})"
    )
    return 0 if not over and total < SUITE_BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
