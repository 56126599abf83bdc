"""The console script loads with garbage collection paused, then freezes what it loaded and
resumes collection before the subcommand runs, so a long-running bot still collects."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator

import pytest

import bot.__main__
import bot.cli


@pytest.fixture
def collection_restored() -> Iterator[None]:
    """Whatever the test does to the collector, the session gets it back as it was."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_collection_is_paused_while_loading_and_resumed_for_the_command(
    monkeypatch: pytest.MonkeyPatch, collection_restored: None
) -> None:
    """While the command line is parsed collection is off; when the command runs it is on,
    with the loaded heap frozen out of it."""
    seen: dict[str, object] = {}
    parse = bot.cli.parse

    def parse_and_look(argv: list[str] | None) -> argparse.Namespace:
        seen["loading"] = gc.isenabled()
        args = parse(argv)
        args.handler = running
        return args

    def running(args: argparse.Namespace) -> int:
        seen["running"] = gc.isenabled()
        seen["frozen"] = gc.get_freeze_count()
        return 0

    monkeypatch.setattr(bot.cli, "parse", parse_and_look)
    monkeypatch.setattr("sys.argv", ["roastbot", "validate"])
    gc.unfreeze()
    assert bot.__main__.main() == 0
    assert seen["loading"] is False
    assert seen["running"] is True
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 0


def test_a_command_line_run_in_process_leaves_the_collector_alone(
    monkeypatch: pytest.MonkeyPatch, collection_restored: None
) -> None:
    """`bot.cli.main` called directly (tests, embedding) neither pauses nor freezes."""
    monkeypatch.setattr(bot.cli, "parse", lambda argv: argparse.Namespace(handler=lambda a: 0))
    gc.unfreeze()
    assert bot.cli.main(["validate"]) == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
