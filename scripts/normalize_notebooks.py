"""Strip what changes between runs from executed notebooks, keeping their outputs.

`python scripts/normalize_notebooks.py notebooks/*.ipynb` rewrites them in place;
`--check` only reports the ones that are not normalized (exit status 1).
Removed: execution timings in cell metadata, widget state.
Kept as the kernel wrote it: `language_info` with the Python version that made the outputs, so
that opening a lesson on that Python changes nothing JupyterLab would autosave.
Renumbered: the model id of each widget output (a random uuid from ipywidgets; with the widget
state removed it names no model either way), to 1, 2, … in hex, in the notebook's order.
Kept: outputs, execution counts, cell ids and tags (nbval compares outputs only).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")
VOLATILE_NOTEBOOK_METADATA = ("widgets",)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def normalize(notebook: dict[str, Any]) -> dict[str, Any]:
    """A normalized copy of a notebook (as loaded from its JSON)."""
    nb = json.loads(json.dumps(notebook))
    metadata = nb.setdefault("metadata", {})
    for key in VOLATILE_NOTEBOOK_METADATA:
        metadata.pop(key, None)
    widgets = 0
    for cell in nb.get("cells", []):
        for key in VOLATILE_CELL_METADATA:
            cell.get("metadata", {}).pop(key, None)
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and "model_id" in view:
                widgets += 1
                view["model_id"] = f"{widgets:032x}"
    return nb


def dumps(notebook: dict[str, Any]) -> str:
    """Serialized as nbformat writes notebooks (stable key order, one-space indent)."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report, do not rewrite")
    args = parser.parse_args(argv)
    unnormalized = []
    for path in args.notebooks:
        text = path.read_text(encoding="utf-8")
        normalized = dumps(normalize(json.loads(text)))
        if normalized != text:
            unnormalized.append(path)
            if not args.check:
                path.write_text(normalized, encoding="utf-8")
    if args.check and unnormalized:
        print("not normalized:", *unnormalized, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
