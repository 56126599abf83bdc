"""The shared part of the SQL store: the engine, transactions, errors, and shuffle bags."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Executable, delete, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store.base import Place, StoredQuote
from bot.store.dialect import lock_bag
from bot.store.engine import WRITE, Target, explain
from bot.store.schema import bag_draws, quotes

QUOTE_COLUMNS = (
    quotes.c.id,
    quotes.c.workspace,
    quotes.c.role_id,
    quotes.c.text,
    quotes.c.source,
    quotes.c.added_by,
    quotes.c.added_at,
    quotes.c.removed_by,
    quotes.c.removed_at,
)


class SqlBase:
    """One engine; each public call runs in one transaction; database errors become one line."""

    def __init__(self, engine: AsyncEngine, target: Target, rng: random.Random | None = None):
        self._engine = engine
        self._target = target
        self._rng = rng or random.SystemRandom()

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction (SQLite: BEGIN IMMEDIATE, so racing instances queue)."""
        try:
            async with self._engine.connect() as conn:
                conn = await conn.execution_options(**WRITE)
                async with conn.begin():
                    yield conn
        except (DBAPIError, PoolTimeout, OSError) as exc:
            raise (explain(exc, self._target) or exc) from exc

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[AsyncConnection]:
        """A read-only transaction, rolled back at the end."""
        try:
            async with self._engine.connect() as conn:
                yield conn
        except (DBAPIError, PoolTimeout, OSError) as exc:
            raise (explain(exc, self._target) or exc) from exc

    async def _read(self, statement: Executable) -> list[Sequence[Any]]:
        """The rows of one query."""
        async with self._reading() as conn:
            return list(await conn.execute(statement))

    async def _draw_in(
        self, conn: AsyncConnection, place: Place, bag: str, candidates: Sequence[str]
    ) -> str | None:
        """Shuffle-bag draw: every candidate once a round; a round never opens with the last.

        Runs inside a write transaction that holds the bag's lock (`lock_bag`); only the
        current and the previous round are kept, so a bag's rows stay bounded.
        """
        if not candidates:
            return None
        await lock_bag(conn, place.key, bag)
        mine = (bag_draws.c.channel == place.key) & (bag_draws.c.bag == bag)
        latest = select(func.max(bag_draws.c.round)).where(mine).scalar_subquery()
        drawn = (
            await conn.execute(
                select(bag_draws.c.round, bag_draws.c.seq, bag_draws.c.item)
                .where(mine, bag_draws.c.round == latest)
                .order_by(bag_draws.c.seq)
            )
        ).all()
        current_round = drawn[-1][0] if drawn else 0
        taken = {item for _, _, item in drawn}
        remaining = [c for c in dict.fromkeys(candidates) if c not in taken]
        seq = drawn[-1][1] + 1 if drawn else 0
        if not remaining:
            last = drawn[-1][2]
            remaining = [c for c in dict.fromkeys(candidates) if c != last] or [last]
            current_round += 1
            seq = 0
            await conn.execute(delete(bag_draws).where(mine, bag_draws.c.round < current_round - 1))
        choice = self._rng.choice(remaining)
        await conn.execute(
            insert(bag_draws).values(
                channel=place.key, bag=bag, round=current_round, seq=seq, item=choice
            )
        )
        return choice


def quote_from_row(row: Sequence[Any]) -> StoredQuote:
    """A `StoredQuote` from a row selected with `QUOTE_COLUMNS`."""
    return StoredQuote(
        id=row[0],
        workspace=row[1],
        role_id=row[2],
        text=row[3],
        source=row[4],
        added_by=row[5],
        added_at=row[6],
        removed_by=row[7],
        removed_at=row[8],
    )
