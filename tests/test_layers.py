"""The one-way flow of docs/architecture.md, enforced: no import runs back up the layers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What each room of bot/ may import from the others (itself always allowed). A room missing
# from this table fails the test, so a new package must take its place in the flow on purpose.
ALLOWED: dict[str, set[str]] = {
    "catalog": set(),
    "store": set(),
    "cards": {"catalog", "store"},
    "quotes": {"catalog", "cards", "store"},
    "runtime": {"catalog", "cards", "store"},
    "daily": {"catalog", "cards", "store", "quotes", "runtime"},
    "images": {"catalog", "cards", "store", "quotes", "runtime"},
    "web": {"catalog", "cards", "store", "quotes", "runtime", "images"},
    "commands": {"catalog", "cards", "store", "quotes", "runtime", "daily", "images"},
    "adapters": {"catalog", "cards", "store", "quotes", "runtime", "daily", "images", "commands"},
    "cli": {
        *("catalog", "cards", "store", "quotes", "runtime", "daily", "images", "web"),
        *("commands", "adapters"),
    },
}
# The bundled dossiers travel as a data package; anything may read it.
DATA = {"catalog_data"}


def room_of(module: str) -> str | None:
    """The room of `bot/` a dotted module name lives in (`bot.daily.scheduler` -> `daily`)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "bot" and len(parts) > 1 else None


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in a module, lazy ones inside functions included."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    # dotted strings handed to the lazy loader (`"bot.adapters.slack.runtime:serve"`) count too
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.split(":")[0]
            if text.startswith("bot.") and " " not in text:
                found.append((node.lineno, text))
    return found


def forbidden_imports(root: Path) -> list[str]:
    """Every import in `root/bot` that runs against the flow, as `path:line: room -> room`."""
    problems = []
    for path in sorted((root / "bot").rglob("*.py")):
        rel = path.relative_to(root)
        if len(rel.parts) < 3:
            continue  # bot/__init__.py and bot/__main__.py: test_bot_holds_packages_only
        room = rel.parts[1]
        if room not in ALLOWED:
            problems.append(f"{rel}: room '{room}' has no place in the flow (tests/test_layers.py)")
            continue
        seen: set[tuple[int, str]] = set()
        for line, name in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            target = room_of(name)
            allowed = {room} | ALLOWED[room] | DATA
            if target and target not in allowed and (line, target) not in seen:
                seen.add((line, target))
                problems.append(f"{rel}:{line}: {room} -> {target} ({name})")
    return problems


def test_every_import_follows_the_flow() -> None:
    """catalog, cards and store import nothing above them; commands import no adapter; and so on."""
    assert forbidden_imports(ROOT) == []


def test_bot_holds_packages_only() -> None:
    """Nothing but `__init__.py` and `__main__.py` sits directly under bot/."""
    loose = sorted(p.name for p in (ROOT / "bot").glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"]


@pytest.mark.parametrize(
    ("room", "line", "arrow"),
    [
        ("store", "from bot.commands.registry import dispatch", "store -> commands"),
        ("catalog", "import bot.adapters.discord", "catalog -> adapters"),
        ("commands", "from bot.adapters.slack import render", "commands -> adapters"),
        ("cards", "def f():\n    from bot.daily import scheduler", "cards -> daily"),
        ("daily", "X = 'bot.cli.run:main'", "daily -> cli"),
    ],
)
def test_a_forbidden_import_added_by_hand_is_caught(
    tmp_path: Path, room: str, line: str, arrow: str
) -> None:
    """The checker sees an upward import wherever it hides: top level, function body, lazy string."""
    for path in (ROOT / "bot").rglob("*.py"):
        copy = tmp_path / path.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bot" / room / "intruder.py").write_text(f'"""Upward."""\n{line}\n')
    problems = [p.split(" (")[0] for p in forbidden_imports(tmp_path)]
    assert problems == [f"bot/{room}/intruder.py:{line.count(chr(10)) + 2}: {arrow}"]
