"""The page's own source, quoted in a lesson: the code that runs, not a copy that could drift."""

from __future__ import annotations

from pathlib import Path

from IPython.display import Markdown

PAGE_DIR = Path(__file__).resolve().parent.parent / "embedded_page"
LANGUAGES = {".py": "python", ".js": "javascript", ".html": "html"}


def excerpt(file: str, start: str, end: str | None = None) -> str:
    """The lines of `embedded_page/<file>` from the first containing `start` through the first
    after it containing `end` (or, without `end`, up to the next blank line). An `end` that
    begins with spaces matches only at a line's start, indentation included: `"    });"`
    closes the block indented four spaces, not a deeper `});` inside it."""
    lines = (PAGE_DIR / file).read_text(encoding="utf-8").splitlines()
    first = next((i for i, line in enumerate(lines) if start in line), None)
    if first is None:
        raise ValueError(f"{start!r} is not in embedded_page/{file}")
    for last in range(first, len(lines)):
        if (end is not None and _ends(lines[last], end) and last > first) or (
            end is None and not lines[last].strip()
        ):
            break
    else:
        last = len(lines) - 1
    chosen = lines[first : last + 1] if end is not None else lines[first:last]
    indent = min(len(line) - len(line.lstrip()) for line in chosen if line.strip())
    return "\n".join(line[indent:] for line in chosen)


def show_code(file: str, start: str, end: str | None = None) -> Markdown:
    """An excerpt of the page's source as a code block, titled with its file."""
    language = LANGUAGES.get(Path(file).suffix, "")
    code = excerpt(file, start, end)
    return Markdown(f"`embedded_page/{file}`\n```{language}\n{code}\n```")


def _ends(line: str, end: str) -> bool:
    return line.startswith(end) if end[:1].isspace() else end in line
