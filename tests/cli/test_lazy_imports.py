"""A subcommand loads only what it uses: `roastbot roast` never imports the web, pictures or
adapters, and the narrowed parser reads every command line as the full one does."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import SUBCOMMANDS, build_parser, parse
from tests.process import bot_env

# what `roastbot roast SDET` (text) has no use for: other subcommands, adapters, pages, pictures
NOT_FOR_A_ROAST = (
    "bot.cli.run",
    "bot.cli.site",
    "bot.cli.card",
    "bot.cli.db",
    "bot.cli.chat",
    "bot.cli.quotes",
    "bot.adapters.discord",
    "bot.adapters.slack",
    "bot.web",
    "bot.images",
    "bot.commands.burnward",
    "bot.commands.specimen",
    "jinja2",
    "PIL",
    "fontTools",
    "aiohttp",
    "alembic",
    "sqlalchemy.dialects.postgresql",
)
MODULES_AFTER = (
    "import json, os, sys\n"
    "from bot.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "with open(os.environ['MODULES_RECORD'], 'w') as out:\n"
    "    json.dump(sorted(sys.modules), out)\n"
    "sys.exit(code)\n"
)


def modules_loaded_by(tmp_path: Path, *args: str) -> set[str]:
    """The modules a real `roastbot ARGS` process had imported when it finished."""
    record = tmp_path / "modules.json"
    result = subprocess.run(
        [sys.executable, "-c", MODULES_AFTER, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=bot_env(tmp_path, {"MODULES_RECORD": str(record)}),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(record.read_text()))


def test_a_roast_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    """Once the database exists, `roastbot roast SDET` loads none of the other rooms' heavy parts."""
    modules_loaded_by(tmp_path, "roast", "SDET")  # creates and migrates the database
    loaded = modules_loaded_by(tmp_path, "roast", "SDET")
    assert "bot.cli.roast" in loaded and "bot.commands.roast" in loaded
    unused = sorted(m for m in loaded if m.startswith(NOT_FOR_A_ROAST))
    assert unused == []


@pytest.mark.parametrize(
    "argv",
    [
        ["roast", "Enterprise Architect", "--section", "metrics", "--format", "slack"],
        ["post-due", "--dry-run", "--now", "2026-11-21T09:00:00+01:00"],
        ["db", "copy", "a.sqlite3", "postgresql://h/db"],
        ["quotes", "export", "--workspace", "discord:1", "-o", "out.yaml"],
        ["run", "console"],
        ["chat", "--no-admin"],
        ["site", "build", "out"],
    ],
)
def test_the_narrowed_parser_reads_a_command_line_as_the_full_one(argv: list[str]) -> None:
    """Parsing with only the named subcommand gives the same arguments and handler."""
    assert vars(parse(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [["roast", "SDET", "extra"], ["roast", "SDET", "--bogus"], ["bogus"], [], ["db"]],
)
def test_a_mistake_is_reported_as_the_full_parser_reports_it(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Left-over or wrong arguments exit 2 with the message that names every subcommand."""
    with pytest.raises(SystemExit) as narrowed:
        parse(argv)
    said = capsys.readouterr().err
    with pytest.raises(SystemExit) as full:
        build_parser().parse_args(argv)
    assert narrowed.value.code == full.value.code == 2
    assert said == capsys.readouterr().err


def test_every_subcommand_module_registers_the_name_it_is_listed_under() -> None:
    """Each name in SUBCOMMANDS parses to the subcommand of that name."""
    for name in SUBCOMMANDS:
        parser = build_parser(only=name)
        [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        assert list(sub.choices) == [name]


def test_a_serving_bot_loads_every_command_family_before_the_first_member_asks() -> None:
    """`load_commands` (called by `roastbot run`) imports each deferred family's module."""
    script = (
        "import sys\n"
        "from bot.commands.registry import load_commands\n"
        "before = {m for m in sys.modules if m.startswith('bot.commands.')}\n"
        "load_commands()\n"
        "after = {m for m in sys.modules if m.startswith('bot.commands.')}\n"
        "print(' '.join(sorted(after - before)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(result.stdout.split())
    families = {"burnward", "help", "roast", "specimen", "stats"}
    assert {f"bot.commands.{family}" for family in families} <= loaded
