"""The shared part of the SQLite store: the connection, transactions and shuffle bags."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

import aiosqlite

from bot.store.base import Place, StoredQuote

T = TypeVar("T")
QUOTE_COLUMNS = "id, workspace, role_id, text, source, added_by, added_at, removed_by, removed_at"


class SqliteBase:
    """One aiosqlite connection, a lock that makes each call one transaction, and bags."""

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

    async def _read(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Rows of one query, never in the middle of another coroutine's transaction."""
        async with self._lock:
            return list(await self._db.execute_fetchall(sql, params))

    async def _in_one_hop(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` as one write transaction on aiosqlite's worker thread, in one hop.

        A roast's quote draw is the hot path; statement by statement it would pay one
        thread hop per statement (five). aiosqlite has no public call for running a
        function on its thread: `_execute` is the one its own methods use, so the
        dependency is kept below 1.0 and the tests exercise this path on every draw.
        """

        def transaction(connection: sqlite3.Connection) -> T:
            connection.execute("BEGIN IMMEDIATE")
            try:
                result = work(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return result

        async with self._lock:
            return cast(T, await self._db._execute(transaction, self._db._conn))  # type: ignore[no-untyped-call]

    def _draw_in(
        self, db: sqlite3.Connection, place: Place, bag: str, candidates: Sequence[str]
    ) -> str | None:
        """Shuffle-bag draw: every candidate once a round; a round never opens with the last.

        Runs inside a transaction of `_in_one_hop`; only the current and the previous round
        are kept, so a bag's rows stay bounded however long the channel lives.
        """
        if not candidates:
            return None
        drawn = db.execute(
            "SELECT round, seq, item FROM bag_draws WHERE channel = ? AND bag = ? AND round ="
            " (SELECT MAX(round) FROM bag_draws WHERE channel = ? AND bag = ?) ORDER BY seq",
            (place.key, bag, place.key, bag),
        ).fetchall()
        current_round = drawn[-1][0] if drawn else 0
        taken = {item for _, _, item in drawn}
        remaining = [c for c in dict.fromkeys(candidates) if c not in taken]
        seq = drawn[-1][1] + 1 if drawn else 0
        if not remaining:
            last = drawn[-1][2]
            remaining = [c for c in dict.fromkeys(candidates) if c != last] or [last]
            current_round += 1
            seq = 0
            db.execute(
                "DELETE FROM bag_draws WHERE channel = ? AND bag = ? AND round < ?",
                (place.key, bag, current_round - 1),
            )
        choice = self._rng.choice(remaining)
        db.execute(
            "INSERT INTO bag_draws (channel, bag, round, seq, item) VALUES (?, ?, ?, ?, ?)",
            (place.key, bag, current_round, seq, choice),
        )
        return choice


def stamp(moment: datetime) -> str:
    """A moment as stored: UTC ISO-8601 to the second."""
    return utc(moment).isoformat(timespec="seconds")


def utc(moment: datetime) -> datetime:
    """A moment in UTC, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0)


def parse_stamp(text: str | None) -> datetime | None:
    """A stored moment back as a datetime, or None."""
    return datetime.fromisoformat(text) if text else None


def quote_from_row(row: Any) -> StoredQuote:
    """A `StoredQuote` from a row selected with `QUOTE_COLUMNS`."""
    added_at = parse_stamp(row[6])
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
        removed_at=parse_stamp(row[8]),
    )
