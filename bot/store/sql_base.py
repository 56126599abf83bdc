"""The shared part of the SQL store: running transactions, errors, and shuffle bags."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Executable, bindparam, delete, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.store.base import Place, StoredQuote
from bot.store.dialect import lock_bag
from bot.store.engine import Body, Runner, T, Target, explain
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


# The draw's statements are built once: building them per call cost more than running them.
_MINE = (bag_draws.c.channel == bindparam("channel")) & (bag_draws.c.bag == bindparam("bag"))
_CURRENT_ROUND = (
    select(bag_draws.c.round, bag_draws.c.seq, bag_draws.c.item)
    .where(
        _MINE,
        bag_draws.c.round == select(func.max(bag_draws.c.round)).where(_MINE).scalar_subquery(),
    )
    .order_by(bag_draws.c.seq)
)
_FORGET_ROUNDS = delete(bag_draws).where(_MINE, bag_draws.c.round < bindparam("keep_from"))
_DRAW = insert(bag_draws)


class SqlBase:
    """Each public call is one transaction body run by the `Runner`; errors become one line."""

    def __init__(self, runner: Runner, target: Target, rng: random.Random | None = None):
        self._runner = runner
        self._target = target
        self._rng = rng or random.SystemRandom()

    async def _write(self, body: Body[T]) -> T:
        """Run `body` as one write transaction (SQLite: BEGIN IMMEDIATE)."""
        return await self._run(body, write=True)

    async def _run(self, body: Body[T], *, write: bool) -> T:
        try:
            return await self._runner.run(body, write=write)
        except (DBAPIError, PoolTimeout, OSError) as exc:
            raise (explain(exc, self._target) or exc) from exc

    async def _execute(self, statement: Executable) -> None:
        """Run one writing statement as its own transaction."""
        await self._write(lambda conn: conn.execute(statement))

    async def _read(self, statement: Executable) -> list[Sequence[Any]]:
        """The rows of one query, in a transaction of their own."""
        return await self._run(lambda conn: list(conn.execute(statement)), write=False)

    def _draw_in(
        self, conn: Connection, place: Place, bag: str, candidates: Sequence[str]
    ) -> str | None:
        """Shuffle-bag draw: every candidate once a round; a round never opens with the last.

        Runs inside a write transaction and holds the bag's lock (`lock_bag`) until it ends;
        only the current and the previous round are kept, so a bag's rows stay bounded.
        """
        if not candidates:
            return None
        lock_bag(conn, place.key, bag)
        key = {"channel": place.key, "bag": bag}
        drawn = conn.execute(_CURRENT_ROUND, key).all()
        current_round = drawn[-1][0] if drawn else 0
        taken = {item for _, _, item in drawn}
        remaining = [c for c in dict.fromkeys(candidates) if c not in taken]
        seq = drawn[-1][1] + 1 if drawn else 0
        if not remaining:
            last = drawn[-1][2]
            remaining = [c for c in dict.fromkeys(candidates) if c != last] or [last]
            current_round += 1
            seq = 0
            conn.execute(_FORGET_ROUNDS, key | {"keep_from": current_round - 1})
        choice = self._rng.choice(remaining)
        conn.execute(_DRAW, key | {"round": current_round, "seq": seq, "item": choice})
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
