"""Operating the store: online backup, integrity check, quotes out and in, table copies."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError

from bot.store.base import QuoteRecord, StoredQuote, StoreError, StoreHealth
from bot.store.migrate import LATEST_REVISION, current_revision
from bot.store.schema import TABLES, quotes
from bot.store.sql_base import QUOTE_COLUMNS, SqlBase, quote_from_row

PG_BACKUP = (
    "backups of a PostgreSQL database are pg_dump's job, e.g. pg_dump --format=custom"
    " --file=roastbot.dump 'postgresql://...'; `roastbot db check` checks the connection"
    " and the schema"
)


class MaintenanceTables(SqlBase):
    """What `roastbot db` and `roastbot quotes` need from the store."""

    async def all_quotes(self, workspace: str | None = None) -> list[StoredQuote]:
        """Every admin quote, removed ones too, of one workspace or all, in a stable order.

        `workspace` is a workspace key (`discord:123`) or the bare id after the colon.
        """
        query = select(*QUOTE_COLUMNS).order_by(
            quotes.c.workspace, quotes.c.role_id, quotes.c.added_at, quotes.c.id
        )
        if workspace is not None:
            query = query.where(
                (quotes.c.workspace == workspace)
                | quotes.c.workspace.endswith(f":{workspace}", autoescape=True)
            )
        return [quote_from_row(row) for row in await self._read(query)]

    async def import_quotes(self, records: Sequence[QuoteRecord]) -> list[bool]:
        """Add the records in one transaction; per record, False if it was a duplicate.

        A live record duplicates a live quote with the same fingerprint in its workspace and
        role; a removed record duplicates any quote with the same fingerprint and `added_at`.
        """
        added: list[bool] = []
        async with self._write() as conn:
            for record in records:
                same = (
                    quotes.c.workspace == record.workspace,
                    quotes.c.role_id == record.role_id,
                    quotes.c.fingerprint == record.fingerprint,
                )
                twin = (
                    quotes.c.removed_at.is_(None)
                    if record.removed_at is None
                    else quotes.c.added_at == record.added_at
                )
                if (await conn.execute(select(quotes.c.id).where(*same, twin))).first():
                    added.append(False)
                    continue
                await conn.execute(
                    insert(quotes).values(
                        workspace=record.workspace,
                        role_id=record.role_id,
                        text=record.text,
                        source=record.source,
                        fingerprint=record.fingerprint,
                        added_by=record.added_by,
                        added_at=record.added_at,
                        removed_by=record.removed_by,
                        removed_at=record.removed_at,
                    )
                )
                added.append(True)
        return added

    async def backup(self, target: Path) -> None:
        """Write a consistent copy to `target` through SQLite's online backup API.

        Writers are not blocked for long: the copy is one read of the database as it stood.
        It is written beside `target` first and renamed over it once complete, in rollback-
        journal mode so that it is one self-contained file. PostgreSQL: see `PG_BACKUP`.
        """
        if not self._target.is_sqlite:
            raise StoreError(PG_BACKUP)
        partial = target.with_name(target.name + ".partial")
        try:
            partial.unlink(missing_ok=True)
            copy = sqlite3.connect(partial, check_same_thread=False)
            try:
                async with self._reading() as conn:
                    raw = await conn.get_raw_connection()
                    await raw.driver_connection.backup(copy)  # type: ignore[union-attr]
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise StoreError(f"cannot write the backup {target}: {exc}") from exc

    async def check(self, *, quick: bool = False) -> StoreHealth:
        """Check integrity (SQLite) or the connection (PostgreSQL); report schema and rows."""
        problems: list[str] = []
        try:
            async with self._reading() as conn:
                if self._target.is_sqlite:
                    pragma = "quick_check" if quick else "integrity_check"
                    rows = await conn.exec_driver_sql(f"PRAGMA {pragma}")
                    problems += [str(row[0]) for row in rows if row[0] != "ok"]
                else:
                    await conn.execute(text("SELECT 1"))
                revision = await conn.run_sync(current_revision)
                present = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
                counts = {}
                for table in TABLES:
                    if table.name in present:
                        count = select(func.count()).select_from(table)
                        counts[table.name] = int((await conn.execute(count)).scalar() or 0)
        except (DBAPIError, sqlite3.Error) as exc:
            raise StoreError(f"cannot check the database {self._target.shown}: {exc}") from exc
        version = int(revision or 0)
        if version > int(LATEST_REVISION):
            problems.append(
                f"schema version {version} is newer than this roastbot knows"
                f" ({int(LATEST_REVISION)}): upgrade roastbot, or restore a backup taken before"
            )
        return StoreHealth(tuple(problems), version, counts)

    async def table_rows(self, name: str) -> list[dict[str, Any]]:
        """Every row of one table, as column -> value, in primary-key order (for `db copy`)."""
        table = next(t for t in TABLES if t.name == name)
        async with self._reading() as conn:
            result = await conn.execute(select(table).order_by(*table.primary_key.columns))
            return [dict(row) for row in result.mappings()]

    async def load_rows(self, name: str, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows copied from another database into one table, in one transaction."""
        table = next(t for t in TABLES if t.name == name)
        async with self._write() as conn:
            for start in range(0, len(rows), 500):
                await conn.execute(insert(table), list(rows[start : start + 500]))
            if conn.dialect.name == "postgresql" and name == "quotes" and rows:
                await conn.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence('quotes', 'id'),"
                        " (SELECT MAX(id) FROM quotes))"
                    )
                )
