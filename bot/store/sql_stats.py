"""Roast counts: each roast and each missing role asked for, per workspace and UTC day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, func, select

from bot.store.base import Tally
from bot.store.dialect import increment
from bot.store.schema import roast_counts
from bot.store.sql_base import SqlBase

_KEYS = ("workspace", "day", "kind", "name")


class StatsTables(SqlBase):
    """The stats half of the SQL store."""

    async def count_roast(self, workspace: str, kind: str, name: str, day: date) -> None:
        """Add one to the workspace's count of `name` (`roast` or `missing`) on `day`."""
        values = {"workspace": workspace, "day": day, "kind": kind, "name": name, "count": 1}

        def count(conn: Connection) -> None:
            conn.execute(increment(conn, roast_counts, values, _KEYS, "count"))

        await self._write(count)

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
