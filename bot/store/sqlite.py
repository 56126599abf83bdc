"""The SQLite store (aiosqlite): WAL, a busy timeout, migrations at start, one transaction a call."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.base import DrawnQuote, DuplicateQuoteError, Place, StoredQuote, StoreError
from bot.store.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 5000
_QUOTE_COLUMNS = "id, workspace, role_id, text, source, added_by, added_at, removed_by, removed_at"


class SqliteStore:
    """The `Store` on one SQLite file. Create it with `open_store`."""

    def __init__(self, connection: aiosqlite.Connection, rng: random.Random | None = None) -> None:
        self._db = connection
        self._lock = asyncio.Lock()
        self._rng = rng or random.SystemRandom()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction, taken at once so concurrent instances queue, not interleave."""
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

    async def migrate(self) -> int:
        """Apply every migration newer than the database; return the schema version."""
        async with self._transaction() as db:
            version = next(iter(await db.execute_fetchall("PRAGMA user_version")))[0]
            for number, script in MIGRATIONS:
                if number > version:
                    for statement in _statements(script):
                        await db.execute(statement)
                    await db.execute(f"PRAGMA user_version = {int(number)}")
                    version = number
        return int(version)

    async def add_quote(
        self,
        *,
        workspace: str,
        role_id: str,
        text: str,
        source: str | None,
        fingerprint: str,
        added_by: str,
        now: datetime,
    ) -> StoredQuote:
        """Store a quote, or raise `DuplicateQuoteError` if its fingerprint is already live."""
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                f"SELECT {_QUOTE_COLUMNS} FROM quotes WHERE workspace = ? AND role_id = ?"
                " AND fingerprint = ? AND removed_at IS NULL",
                (workspace, role_id, fingerprint),
            )
            if rows:
                raise DuplicateQuoteError(_quote(next(iter(rows))))
            cursor = await db.execute(
                "INSERT INTO quotes (workspace, role_id, text, source, fingerprint, added_by,"
                " added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (workspace, role_id, text, source, fingerprint, added_by, _stamp(now)),
            )
            quote_id = cursor.lastrowid
        assert quote_id is not None
        return StoredQuote(quote_id, workspace, role_id, text, source, added_by, _utc(now))

    async def live_quotes(self, workspace: str, role_id: str) -> list[StoredQuote]:
        """The workspace's quotes for a role that have not been removed, oldest first."""
        rows = await self._db.execute_fetchall(
            f"SELECT {_QUOTE_COLUMNS} FROM quotes WHERE workspace = ? AND role_id = ?"
            " AND removed_at IS NULL ORDER BY id",
            (workspace, role_id),
        )
        return [_quote(row) for row in rows]

    async def remove_quote(
        self, *, workspace: str, quote_id: int, removed_by: str, now: datetime
    ) -> StoredQuote | None:
        """Soft-delete one of the workspace's live quotes; None if it has no such quote."""
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    f"SELECT {_QUOTE_COLUMNS} FROM quotes WHERE id = ? AND workspace = ?"
                    " AND removed_at IS NULL",
                    (quote_id, workspace),
                )
            )
            if not rows:
                return None
            await db.execute(
                "UPDATE quotes SET removed_by = ?, removed_at = ? WHERE id = ?",
                (removed_by, _stamp(now), quote_id),
            )
        return _quote((*rows[0][:7], removed_by, _stamp(now)))

    async def draw_quote(
        self, place: Place, role_id: str, seed_keys: Sequence[str]
    ) -> DrawnQuote | None:
        """The next quote of the channel's bag for a role, seed keys plus live additions."""
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                f"SELECT {_QUOTE_COLUMNS} FROM quotes WHERE workspace = ? AND role_id = ?"
                " AND removed_at IS NULL",
                (place.workspace_key, role_id),
            )
            added = {quote.key: quote for quote in map(_quote, rows)}
            key = await self._draw_in(db, place, f"quote:{role_id}", [*seed_keys, *added])
        return None if key is None else DrawnQuote(key, added.get(key))

    async def draw(self, place: Place, bag: str, candidates: Sequence[str]) -> str | None:
        """The next item of the channel's named shuffle bag, recorded as drawn."""
        async with self._transaction() as db:
            return await self._draw_in(db, place, bag, candidates)

    async def _draw_in(
        self, db: aiosqlite.Connection, place: Place, bag: str, candidates: Sequence[str]
    ) -> str | None:
        """Shuffle-bag draw: every candidate once a round; a round never opens with the last."""
        if not candidates:
            return None
        rows = await db.execute_fetchall(
            "SELECT round, seq, item FROM bag_draws WHERE channel = ? AND bag = ? AND round ="
            " (SELECT MAX(round) FROM bag_draws WHERE channel = ? AND bag = ?) ORDER BY seq",
            (place.key, bag, place.key, bag),
        )
        drawn = [(row[0], row[1], row[2]) for row in rows]
        current_round = drawn[-1][0] if drawn else 0
        taken = {item for _, _, item in drawn}
        remaining = [c for c in dict.fromkeys(candidates) if c not in taken]
        seq = drawn[-1][1] + 1 if drawn else 0
        if not remaining:
            last = drawn[-1][2]
            remaining = [c for c in dict.fromkeys(candidates) if c != last] or [last]
            current_round += 1
            seq = 0
            await db.execute(
                "DELETE FROM bag_draws WHERE channel = ? AND bag = ? AND round < ?",
                (place.key, bag, current_round - 1),
            )
        choice = self._rng.choice(remaining)
        await db.execute(
            "INSERT INTO bag_draws (channel, bag, round, seq, item) VALUES (?, ?, ?, ?, ?)",
            (place.key, bag, current_round, seq, choice),
        )
        return choice

    async def get_state(self, key: str) -> str | None:
        """A small piece of the bot's own state (e.g. the last command-sync hash)."""
        rows = list(
            await self._db.execute_fetchall("SELECT value FROM bot_state WHERE key = ?", (key,))
        )
        return str(rows[0][0]) if rows else None

    async def set_state(self, key: str, value: str, now: datetime) -> None:
        """Remember a small piece of the bot's own state."""
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO bot_state (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                (key, value, _stamp(now)),
            )

    async def close(self) -> None:
        """Wait for the transaction under way, then close the database."""
        async with self._lock:
            await self._db.close()


async def open_store(path: Path | str, rng: random.Random | None = None) -> SqliteStore:
    """Open (creating if needed) and migrate the database at `path`, or raise `StoreError`."""
    target = Path(path)
    try:
        connection = await aiosqlite.connect(target, isolation_level=None)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot open the database {target}: {exc}") from exc
    try:
        await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute("PRAGMA foreign_keys = ON")
        store = SqliteStore(connection, rng)
        await store.migrate()
    except sqlite3.Error as exc:
        await connection.close()
        raise StoreError(f"cannot use the database {target}: {exc}") from exc
    return store


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _stamp(moment: datetime) -> str:
    return _utc(moment).isoformat(timespec="seconds")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _quote(row: Any) -> StoredQuote:
    added_at = _parse(row[6])
    assert added_at is not None
    return StoredQuote(
        id=row[0],
        workspace=row[1],
        role_id=row[2],
        text=row[3],
        source=row[4],
        added_by=row[5],
        added_at=added_at,
        removed_by=row[7],
        removed_at=_parse(row[8]),
    )
