"""The SQLite store (aiosqlite): WAL, busy timeout, migrations at start, a transaction a call."""

from __future__ import annotations

import os
import random
import sqlite3
from datetime import datetime
from pathlib import Path

import aiosqlite

from bot.store.base import StoreError
from bot.store.migrations import LATEST_VERSION, MIGRATIONS
from bot.store.sqlite_base import stamp
from bot.store.sqlite_daily import DailyTables
from bot.store.sqlite_maintenance import MaintenanceTables
from bot.store.sqlite_quotes import QuoteTables

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 65536  # page cache: keeps the rotation index in memory as history grows
MMAP_BYTES = 268435456  # read through mmap rather than read() calls


class SqliteStore(QuoteTables, DailyTables, MaintenanceTables):
    """The `Store` on one SQLite file. Create it with `open_store`."""

    async def migrate(self) -> int:
        """Apply every migration newer than the database; return the schema version."""
        async with self._transaction() as db:
            version = next(iter(await db.execute_fetchall("PRAGMA user_version")))[0]
            if version > LATEST_VERSION:
                raise StoreError(
                    f"the database is at schema version {version}, newer than this roastbot"
                    f" understands ({LATEST_VERSION}); upgrade roastbot or restore a backup"
                )
            for number, statements in MIGRATIONS:
                if number > version:
                    for statement in statements:
                        await db.execute(statement)
                    await db.execute(f"PRAGMA user_version = {int(number)}")
                    version = number
        return int(version)

    async def get_state(self, key: str) -> str | None:
        """A small piece of the bot's own state (e.g. the last command-sync hash)."""
        rows = await self._read("SELECT value FROM bot_state WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    async def set_state(self, key: str, value: str, now: datetime) -> None:
        """Remember a small piece of the bot's own state."""
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO bot_state (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                (key, value, stamp(now)),
            )

    async def close(self) -> None:
        """Wait for the transaction under way, then close the database."""
        async with self._lock:
            await self._db.close()


async def open_store(path: Path | str, rng: random.Random | None = None) -> SqliteStore:
    """Open (creating if needed) and migrate the database at `path`, or raise `StoreError`."""
    target = Path(path)
    _check_writable(target)
    try:
        connection = await aiosqlite.connect(target, isolation_level=None)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot open the database {target}: {exc}") from exc
    try:
        await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        await connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        await connection.execute("PRAGMA foreign_keys = ON")
        store = SqliteStore(connection, rng)
        await store.migrate()
    except sqlite3.Error as exc:
        await connection.close()
        raise StoreError(f"cannot use the database {target}: {exc}") from exc
    except StoreError:
        await connection.close()
        raise
    return store


def _check_writable(target: Path) -> None:
    """Refuse early, in one line, a path SQLite could not write (its errors are vaguer)."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise StoreError(f"cannot open the database {target}: folder {folder} does not exist")
    if target.exists() and not target.is_file():
        raise StoreError(f"cannot open the database {target}: it is not a file")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise StoreError(f"cannot open the database {target}: not writable")


async def open_existing_store(path: Path | str) -> SqliteStore:
    """Open a database that must already exist, as it is: no migration, no mode change.

    For maintenance (`roastbot db`, `roastbot quotes export`), which must neither create an
    empty database at a mistyped path nor change one it is only asked to read.
    """
    target = Path(path)
    try:
        connection = await aiosqlite.connect(_existing_uri(target), uri=True, isolation_level=None)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot open the database {target}: {exc}") from exc
    try:
        await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlite3.Error as exc:
        await connection.close()
        raise StoreError(f"cannot use the database {target}: {exc}") from exc
    return SqliteStore(connection)


def _existing_uri(target: Path) -> str:
    """A read-write URI for an existing database file, which SQLite will never create."""
    if not target.is_file():
        raise StoreError(f"no database at {target} (check ROASTBOT_DB)")
    return f"{target.absolute().as_uri()}?mode=rw"
