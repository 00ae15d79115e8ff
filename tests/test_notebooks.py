"""The lessons as files: the ones the README promises, thin (docs/architecture.md, rule 3), and safe to commit.

Whether their outputs are right is nbval's job (`make test` compares every cell); this checks
what nbval cannot: shape, tags, and that no output shows a secret or a host and port.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = [
    "00_start_here",
    "01_customer_and_setup_intent",
    "02_payment_form",
    "03_link_otp_codes",
    "04_merchant_domain_cookie",
    "05_charge_later",
    "06_test_cards_and_3ds",
    "07_webhooks_and_logs",
]
MAX_CODE_CELLS = 14
MAX_CELL_LINES = 12
WIDGET = "application/vnd.jupyter.widget-view+json"
LEAKS = {
    "a host and port (outputs show paths)": re.compile(r"(127\.0\.0\.1|localhost):\d+"),
    "a login link's token": re.compile(r"/login/(?!\*\*\*\*)[A-Za-z0-9_-]{8,}"),
    "a client secret": re.compile(r"_secret_(?!\*\*\*\*)[A-Za-z0-9]{6,}"),
    "a webhook signing secret": re.compile(r"whsec_(?!for_this_example)[A-Za-z0-9_]{6,}"),
}


def load(name: str) -> dict:
    return json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))


def code_cells(name: str) -> list[dict]:
    return [cell for cell in load(name)["cells"] if cell["cell_type"] == "code"]


def output_text(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        for mime, value in output.get("data", {}).items():
            if not mime.startswith("image/"):
                parts.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(parts)


def test_the_lessons_are_exactly_the_ones_promised():
    found = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))
    assert found == LESSONS


@pytest.mark.parametrize("name", LESSONS)
def test_first_code_cell_starts_the_lesson_by_its_own_name(name):
    first = "".join(code_cells(name)[0]["source"])
    assert first.startswith("import helpers\n")
    assert f'helpers.start_lesson("{name}")' in first


@pytest.mark.parametrize("name", LESSONS)
def test_lessons_stay_thin(name):
    cells = code_cells(name)
    assert len(cells) <= MAX_CODE_CELLS
    for cell in cells:
        source = "".join(cell["source"])
        assert len(source.splitlines()) <= MAX_CELL_LINES, source
        tree = ast.parse(source)
        assert not any(
            isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda) for node in ast.walk(tree)
        ), f"plumbing belongs in helpers/: {source}"


@pytest.mark.parametrize("name", LESSONS)
def test_widget_cells_are_tagged_nbval_ignore_output(name):
    for cell in code_cells(name):
        has_widget = any(WIDGET in output.get("data", {}) for output in cell.get("outputs", []))
        tagged = "nbval-ignore-output" in cell["metadata"].get("tags", [])
        assert has_widget == tagged, "".join(cell["source"])


@pytest.mark.parametrize("name", LESSONS)
def test_outputs_show_no_secret_and_no_host_and_port(name):
    for cell in code_cells(name):
        text = output_text(cell)
        for what, pattern in LEAKS.items():
            found = pattern.search(text)
            assert found is None, f"{name} shows {what}: {found and found.group(0)}"


@pytest.mark.parametrize("name", LESSONS)
def test_every_lesson_has_a_picture_or_a_table(name):
    mimes = {
        mime for cell in code_cells(name) for out in cell["outputs"] for mime in out.get("data", {})
    }
    assert mimes & {"image/jpeg", "image/png", "text/vnd.mermaid", "text/html"}


def test_the_readme_maps_every_guide_section_to_a_lesson():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## The guide, section by section", 1)[1].split("\n## ", 1)[0]
    sections = set(re.findall(r"^\| (\d+[a-z]?) \|", table, flags=re.MULTILINE))
    assert {str(n) for n in range(13)} | {"5a", "5b", "10a", "12a", "12b"} <= sections
    assert all(f"`{name}`" in table for name in LESSONS[:-1])  # 07 goes beyond the guide
