"""docs/architecture.md names every module of bot/, bench/ and the test helpers, and no other."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
FOLDER = re.compile(r"^### `([\w/]+/)`$")
ITEM = re.compile(r"^- `([\w.]+\.py)`: \S")


def documented_modules(text: str) -> list[str]:
    """Every `- `name.py`: job` line under a `### `folder/`` heading, as a path from the root."""
    found, folder = [], None
    for line in text.splitlines():
        if heading := FOLDER.match(line):
            folder = heading.group(1)
        elif line.startswith("## "):
            folder = None
        elif (item := ITEM.match(line)) and folder is not None:
            found.append(folder + item.group(1))
    return found


def real_modules(root: Path) -> list[str]:
    """The modules a reader should find named: bot/ but packages' `__init__.py` and Alembic
    revisions, bench/, and the helpers of tests/ (not the test files, `__init__.py` or conftest)."""
    bot = [
        p
        for p in (root / "bot").rglob("*.py")
        if p.name != "__init__.py" and "alembic" not in p.parts
    ]
    bench = list((root / "bench").glob("*.py"))
    helpers = [
        p
        for p in (root / "tests").rglob("*.py")
        if not p.name.startswith("test_") and p.name not in {"__init__.py", "conftest.py"}
    ]
    return sorted(p.relative_to(root).as_posix() for p in [*bot, *bench, *helpers])


def test_every_module_is_named_once_with_its_job() -> None:
    """A module added or removed without its line in docs/architecture.md fails here."""
    named = documented_modules(DOC.read_text(encoding="utf-8"))
    assert sorted(named) == real_modules(ROOT)


def test_the_reader_sees_a_missing_module() -> None:
    """The parser reads headings and items as the doc writes them, so a gap cannot hide."""
    text = "## Module by module\n\n### `bot/cli/`\n\n- `run.py`: serve.\n\n## Next\n- `x.py`: no"
    assert documented_modules(text) == ["bot/cli/run.py"]
