"""`roastbot db backup` and `db check`: consistent copies while writes go on, honest checks."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, text

from bot.store import SqlStore, open_existing_store, open_store
from bot.store.migrate import LATEST_REVISION
from tests.process import roastbot

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
WRITES = 300


async def _add(store: SqlStore, number: int) -> None:
    await store.add_quote(
        workspace="console:w1",
        role_id="sdet",
        text=f"quote {number}",
        source=f"source {number}",
        fingerprint=f"quote{number}",
        added_by="admin",
        now=NOW,
    )


async def test_a_backup_taken_while_another_connection_writes_is_consistent(
    tmp_path: Path, store: SqlStore
) -> None:
    """Another instance keeps adding quotes during the backup; the copy is whole and sound."""
    writer = await open_store(tmp_path / "roastbot.sqlite3")
    started = asyncio.Event()

    async def write() -> None:
        for number in range(WRITES):
            await _add(writer, number)
            if number == 20:
                started.set()

    writing = asyncio.create_task(write())
    await started.wait()
    await store.backup(tmp_path / "copy.sqlite3")
    await writing
    await writer.close()

    copy = await open_existing_store(tmp_path / "copy.sqlite3")
    health = await copy.check()
    quotes = await copy.all_quotes()
    await copy.close()
    assert health.ok and health.schema_version == int(LATEST_REVISION)
    assert 20 < health.counts["quotes"] == len(quotes) <= WRITES
    assert sorted(q.text for q in quotes) == sorted(f"quote {n}" for n in range(len(quotes)))
    assert all(q.source == q.text.replace("quote", "source") for q in quotes)
    copies = await asyncio.to_thread(lambda: sorted(p.name for p in tmp_path.glob("copy*")))
    assert copies == ["copy.sqlite3"]  # one self-contained file
    assert len(await store.all_quotes()) == WRITES


async def test_a_backup_never_copies_a_transaction_of_its_own_connection(
    tmp_path: Path, store: SqlStore
) -> None:
    """A backup asked for inside another call's transaction waits: a rollback is not copied."""

    def pending_then_undone(conn: Connection) -> None:
        conn.execute(
            text(
                "INSERT INTO quotes (workspace, role_id, text, fingerprint, added_by, added_at)"
                " VALUES ('console:w1', 'sdet', 'pending', 'pending', 'a',"
                " '2026-01-01T00:00:00+00:00')"
            )
        )
        raise RuntimeError("undo")

    undone, backup = await asyncio.gather(
        store._write(pending_then_undone),
        store.backup(tmp_path / "copy.sqlite3"),
        return_exceptions=True,
    )
    assert isinstance(undone, RuntimeError) and backup is None
    with closing(sqlite3.connect(tmp_path / "copy.sqlite3")) as copy:
        assert copy.execute("SELECT COUNT(*) FROM quotes").fetchone() == (0,)


def test_db_backup_and_check_from_the_command_line(tmp_path: Path) -> None:
    """The CLI writes a checked copy into a folder; the copy passes `db check` on its own."""
    added = roastbot("chat", stdin="/burnward add SDET | Green on my laptop\n", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    (tmp_path / "backups").mkdir()
    result = roastbot("db", "backup", "backups", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [copy] = (tmp_path / "backups").iterdir()
    assert copy.name.startswith("roastbot-") and copy.suffix == ".sqlite3"
    assert f"backup written to backups/{copy.name}" in result.stdout
    assert "integrity: ok" in result.stdout and "quotes 1" in result.stdout

    checked = roastbot("db", "check", cwd=tmp_path, env={"ROASTBOT_DB": str(copy)})
    assert checked.returncode == 0, checked.stderr
    assert f"schema version: {int(LATEST_REVISION)} (current)" in checked.stdout


def test_db_check_never_creates_a_database_at_a_wrong_path(tmp_path: Path) -> None:
    """A mistyped ROASTBOT_DB is one line, exit 1, and no empty database appears."""
    result = roastbot("db", "check", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"roastbot: no database at {tmp_path / 'bot.sqlite3'} (check ROASTBOT_DB)"
    )
    assert list(tmp_path.iterdir()) == []


def test_db_backup_refuses_to_overwrite_the_database_itself(tmp_path: Path) -> None:
    """`db backup` onto ROASTBOT_DB is refused."""
    assert roastbot("chat", stdin="", cwd=tmp_path).returncode == 0
    result = roastbot("db", "backup", "bot.sqlite3", cwd=tmp_path)
    assert result.returncode == 1 and "is the database itself" in result.stderr


def test_db_check_fails_on_a_damaged_database(tmp_path: Path) -> None:
    """A database with overwritten pages fails the check with exit 1."""
    lines = "".join(f"/burnward add SDET | damaged quote number {n}\n" for n in range(40))
    assert roastbot("chat", stdin=lines, cwd=tmp_path).returncode == 0
    data = bytearray((tmp_path / "bot.sqlite3").read_bytes())
    page = 4096
    data[page : len(data)] = b"\x5a" * (len(data) - page)
    (tmp_path / "bot.sqlite3").write_bytes(bytes(data))
    result = roastbot("db", "check", cwd=tmp_path)
    assert result.returncode == 1
    assert "integrity: ok" not in result.stdout


def test_db_check_reports_an_older_schema_and_refuses_a_newer_one(tmp_path: Path) -> None:
    """An old schema is migrated at the next start; one from a newer roastbot is a problem."""
    db = tmp_path / "bot.sqlite3"
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("PRAGMA user_version = 1")
    old = roastbot("db", "check", cwd=tmp_path)
    assert old.returncode == 0 and "at start-up" in old.stdout
    with closing(sqlite3.connect(db)) as connection:
        connection.execute(f"PRAGMA user_version = {int(LATEST_REVISION) + 1}")
    new = roastbot("db", "check", cwd=tmp_path)
    assert new.returncode == 1 and "upgrade roastbot" in new.stdout


def test_an_os_error_is_one_line_and_no_traceback(tmp_path: Path) -> None:
    """A backup path under a regular file: one line naming it, exit 1, no traceback."""
    assert roastbot("chat", stdin="/roast SDET\n", cwd=tmp_path).returncode == 0
    (tmp_path / "file.sqlite3").write_text("not a folder")
    result = roastbot("db", "backup", str(tmp_path / "file.sqlite3" / "sub.db"), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "file.sqlite3" in result.stderr and result.stderr.startswith("roastbot: ")
