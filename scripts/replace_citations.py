"""Replace citations of notes kept outside the repository with docs/facts/ references.

Old comments cite `docs/facts/test_cards.md#outcomes-by-card`, `docs/facts/link.md#verification-code-errors`, `docs/facts/link.md#multiple-funding-sources` (also in runs such as
`docs/facts/objects.md#setupattempt-and-charge, docs/facts/errors.md#messages-and-codes` or `§1.6 and §5.3`). docs/facts/CITATIONS.tsv maps each token to its
replacement (a docs/facts/ file and heading anchor, or a URL); this script rewrites the files named
on the command line, keeping each run's separators:

    python scripts/replace_citations.py [--check] [--tsv docs/facts/CITATIONS.tsv] FILE...
    git ls-files stripe_emulator | xargs python scripts/replace_citations.py

It first checks that every docs/facts/ replacement names an existing file and heading. It exits 1,
writing nothing for that file, when a file cites a token the TSV lacks (add the row, rerun), and
lists any bare mention of the old notes left over. `--check` reports without writing.
Afterwards run `ruff format` on the rewritten Python files: a longer trailing comment can push a
line past 100 columns (stripe_emulator/threeds.py's CHALLENGE_TITLE; move that comment above it).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = r"\d+(?:\.\d+)*[a-z]?(?: step \d+)?"
RUN = re.compile(
    rf"\b(?P<notes>STRIPE_FACTS|UI_FACTS|GUIDE_OUTLINE|GUIDE)[ \t]+(?P<first>§?{SECTION})"
    rf"(?P<more>(?:(?:,[ \t]*|[ \t]+and[ \t]+)§{SECTION})*)"
)
MORE = re.compile(rf"(?P<sep>,[ \t]*|[ \t]+and[ \t]+)(?P<section>§{SECTION})")
LEFTOVER = re.compile(r"STRIPE_FACTS|UI_FACTS|GUIDE_OUTLINE")


def load(tsv: Path) -> dict[str, str]:
    rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines() if line]
    if rows[0] != ["citation", "replacement"] or any(len(row) != 2 for row in rows):
        raise SystemExit(
            f"{tsv}: expected two tab-separated columns under a citation/replacement header"
        )
    return dict(rows[1:])


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def broken_targets(table: dict[str, str]) -> list[str]:
    problems = []
    for token, target in table.items():
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        file = ROOT / path
        if not file.is_file():
            problems.append(f"{token}: no file {path}")
            continue
        headings = re.findall(r"^#+ (.+)$", file.read_text(encoding="utf-8"), flags=re.MULTILINE)
        if anchor and anchor not in {slug(h) for h in headings}:
            problems.append(f"{token}: no heading #{anchor} in {path}")
    return problems


def rewrite(text: str, table: dict[str, str]) -> tuple[str, int, list[str]]:
    """The text with every run replaced, how many tokens were replaced, and unknown tokens."""
    unknown: list[str] = []
    count = 0

    def lookup(notes: str, section: str) -> str:
        nonlocal count
        token = f"{notes} {section}"
        if token not in table:
            unknown.append(token)
            return token
        count += 1
        return table[token]

    def replace(match: re.Match) -> str:
        notes = match["notes"]
        parts = [lookup(notes, match["first"])]
        for more in MORE.finditer(match["more"]):
            parts.append(more["sep"] + lookup(notes, more["section"]))
        return "".join(parts)

    return RUN.sub(replace, text), count, unknown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--tsv", type=Path, default=ROOT / "docs/facts/CITATIONS.tsv")
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    args = parser.parse_args(argv)
    table = load(args.tsv)
    problems = broken_targets(table)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    status = 0
    for file in args.files:
        if not file.is_file():
            continue
        text = file.read_text(encoding="utf-8")
        new, count, unknown = rewrite(text, table)
        if unknown:
            print(f"{file}: not in the TSV: {', '.join(sorted(set(unknown)))}", file=sys.stderr)
            status = 1
            continue
        for number, line in enumerate(new.splitlines(), 1):
            if LEFTOVER.search(line):
                print(
                    f"{file}:{number}: still mentions the old notes: {line.strip()}",
                    file=sys.stderr,
                )
                status = 1
        if count:
            print(f"{file}: {count} citation(s) {'to replace' if args.check else 'replaced'}")
            if not args.check:
                file.write_text(new, encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
