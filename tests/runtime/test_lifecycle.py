"""Graceful life of a real `roastbot run console` process: signals, commands in flight."""

from __future__ import annotations

import signal
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from tests.process import Running, roastbot

ADD = "/burnward add SDET | Flaky by design, green by coincidence"
DEBUG = {"ROASTBOT_LOG_LEVEL": "DEBUG"}


def _quotes(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [row[0] for row in connection.execute("SELECT text FROM quotes")]


@contextmanager
def _write_lock(db: Path) -> Iterator[sqlite3.Connection]:
    """Hold the database's write lock from another connection, as a second instance would."""
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    finally:
        connection.close()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_exits_0_and_closes_the_database(
    tmp_path: Path, number: signal.Signals
) -> None:
    """SIGTERM or SIGINT with stdin still open: exit 0, the database checkpointed and closed."""
    with Running("run", "console", cwd=tmp_path) as bot:
        bot.wait_for("console: serving")
        bot.send(ADD)
        bot.wait_for("Added quote #1", stream="stdout")
        bot.signal(number)
        assert bot.wait() == 0, "".join(bot.stderr)
    assert "stopped: the database is closed" in "".join(bot.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.sqlite3"]  # no -wal, no -shm
    assert _quotes(tmp_path / "bot.sqlite3") == [ADD.split("| ")[1]]


def test_a_command_in_flight_finishes_before_the_bot_stops(tmp_path: Path) -> None:
    """A command waiting on the database when SIGTERM comes still completes and replies."""
    with Running("run", "console", cwd=tmp_path, env=DEBUG) as bot:
        bot.wait_for("console: serving")
        with _write_lock(tmp_path / "bot.sqlite3") as other:
            bot.send(ADD)
            bot.wait_for("serving /burnward add")
            bot.signal(signal.SIGTERM)
            assert "after 1 command(s) in flight" in bot.wait_for("SIGTERM: stopping")
            other.execute("COMMIT")
        assert bot.wait() == 0, "".join(bot.stderr)
    assert "Added quote #1" in "".join(bot.stdout)
    assert len(_quotes(tmp_path / "bot.sqlite3")) == 1


def test_a_second_signal_exits_at_once(tmp_path: Path) -> None:
    """While a command is stuck, a second SIGTERM ends the process without waiting for it."""
    with Running("run", "console", cwd=tmp_path, env=DEBUG) as bot:
        bot.wait_for("console: serving")
        with _write_lock(tmp_path / "bot.sqlite3") as other:
            bot.send(ADD)
            bot.wait_for("serving /burnward add")
            bot.signal(signal.SIGTERM)
            bot.wait_for("SIGTERM: stopping")
            bot.signal(signal.SIGTERM)
            assert bot.wait() == 128 + signal.SIGTERM
            other.execute("ROLLBACK")
    assert "SIGTERM again: exiting at once" in "".join(bot.stderr)
    assert "Added quote" not in "".join(bot.stdout)
    assert _quotes(tmp_path / "bot.sqlite3") == []


@pytest.mark.parametrize(
    "stdin", ["/roast SDET\n", "/roast SDET\n/quit\n/roast Enterprise Architect\n"]
)
def test_the_console_still_ends_on_end_of_input_or_quit(tmp_path: Path, stdin: str) -> None:
    """`roastbot run console` ends with exit 0 at end of input or /quit."""
    result = roastbot("run", "console", cwd=tmp_path, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "Rube Goldberg" in result.stdout  # from the SDET card
    assert "Preside over an endless cycle" not in result.stdout  # after /quit
    assert "console: serving the commands typed on standard input" in result.stderr
