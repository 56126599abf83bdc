"""Copy every table from one database to another: how a community moves to PostgreSQL."""

from __future__ import annotations

from bot.store.base import StoreError
from bot.store.migrate import LATEST_REVISION
from bot.store.schema import TABLES
from bot.store.sql import SqlStore


async def copy_database(source: SqlStore, destination: SqlStore) -> dict[str, int]:
    """Copy every row, keeping ids; refuse a non-empty destination; return rows per table.

    Raises `StoreError` (one line) for an outdated source, a non-empty destination, or
    counts that differ after the copy.
    """
    health = await source.check(quick=True)
    if health.schema_version != int(LATEST_REVISION):
        raise StoreError(
            f"the source {source.shown} is at schema version {health.schema_version}; start"
            f" this roastbot on it once (it upgrades to {int(LATEST_REVISION)}), then copy"
        )
    present = {name: n for name, n in (await destination.check(quick=True)).counts.items() if n}
    if present:
        listed = ", ".join(f"{name} {count}" for name, count in present.items())
        raise StoreError(
            f"the destination {destination.shown} is not empty ({listed}); copy into an empty one"
        )
    copied = {}
    for table in TABLES:
        rows = await source.table_rows(table.name)
        await destination.load_rows(table.name, rows)
        copied[table.name] = len(rows)
    arrived = (await destination.check(quick=True)).counts
    wrong = {
        name: (count, arrived.get(name))
        for name, count in copied.items()
        if arrived.get(name) != count
    }
    if wrong:
        raise StoreError(f"the copy is incomplete (table: copied, found): {wrong}")
    return copied
