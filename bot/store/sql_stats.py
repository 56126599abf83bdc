"""Roast counts: each roast and each missing role asked for, per workspace and UTC day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.sql.dml import Insert

from bot.store.base import Tally
from bot.store.dialect import increment
from bot.store.schema import roast_counts
from bot.store.sql_base import SqlBase

_KEYS = ("workspace", "day", "kind", "name")
ROAST = "roast"
"""The kind of a counted roast; `missing` counts role names asked for that do not exist."""


# the upsert, built once per database kind with bound parameters: it runs on every roast
_COUNT: dict[str, Insert] = {}


def count_one(conn: Connection, workspace: str, kind: str, name: str, day: date) -> None:
    """Add one to a count, inside the caller's transaction."""
    statement = _COUNT.get(conn.dialect.name)
    if statement is None:
        values: dict[str, object] = {key: bindparam(key) for key in _KEYS} | {"count": 1}
        statement = _COUNT[conn.dialect.name] = increment(
            conn, roast_counts, values, _KEYS, "count"
        )
    conn.execute(statement, {"workspace": workspace, "day": day, "kind": kind, "name": name})


class StatsTables(SqlBase):
    """The stats half of the SQL store."""

    async def count_roast(self, workspace: str, kind: str, name: str, day: date) -> None:
        """Add one to the workspace's count of `name` (`roast` or `missing`) on `day`."""
        await self._write(lambda conn: count_one(conn, workspace, kind, name, day))

    async def roast_tally(
        self, workspace: str, kind: str, first: date, last: date, limit: int
    ) -> list[Tally]:
        """The `limit` names of a kind counted most from `first` to `last` (both included)."""
        total = func.sum(roast_counts.c["count"]).label("total")
        rows = await self._read(
            select(roast_counts.c.name, total)
            .where(
                roast_counts.c.workspace == workspace,
                roast_counts.c.kind == kind,
                roast_counts.c.day >= first,
                roast_counts.c.day <= last,
            )
            .group_by(roast_counts.c.name)
            .order_by(total.desc(), roast_counts.c.name)
            .limit(limit)
        )
        return [Tally(str(name), int(count)) for name, count in rows]
