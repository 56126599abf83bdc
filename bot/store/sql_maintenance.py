"""Operating the store: online backup, integrity check, quotes out and in, table copies."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError

from bot.store.base import QuoteRecord, StoredQuote, StoreError, StoreHealth, SuggestionRecord
from bot.store.migrate import LATEST_REVISION, current_revision
from bot.store.schema import TABLES, quotes
from bot.store.sql_base import QUOTE_COLUMNS, SqlBase, quote_from_row
from bot.store.sql_suggestions import load_suggestions

# tables whose ids PostgreSQL numbers from a sequence, moved past copied rows after a copy
SERIAL_TABLES = frozenset({"quotes", "suggestions"})
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

    async def import_records(
        self, records: Sequence[QuoteRecord], suggested: Sequence[SuggestionRecord] = ()
    ) -> tuple[list[bool], list[bool]]:
        """Add quote records, then suggestion records, all in one transaction: per record,
        False if it was a duplicate (see `load_quotes`, `load_suggestions`). A database that
        fails part way writes none of them."""
        return await self._write(
            lambda conn: (load_quotes(conn, records), load_suggestions(conn, suggested))
        )

    async def backup(self, target: Path) -> None:
        """Write a consistent copy to `target` through SQLite's online backup API.

        Writers are not blocked for long: the copy is one read of the database as it stood.
        It is written beside `target` first and renamed over it once complete, in rollback-
        journal mode so that it is one self-contained file. PostgreSQL: see `PG_BACKUP`.
        """
        if not self._target.is_sqlite:
            raise StoreError(PG_BACKUP)
        partial = target.with_name(target.name + ".partial")

        def copy_to_partial(conn: Connection) -> None:
            copy = sqlite3.connect(partial)
            try:
                conn.connection.driver_connection.backup(copy)  # type: ignore[union-attr]
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()

        try:
            partial.unlink(missing_ok=True)
            await self._run(copy_to_partial, write=False)
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise StoreError(f"cannot write the backup {target}: {exc}") from exc
        finally:
            partial.unlink(missing_ok=True)

    async def check(self, *, quick: bool = False) -> StoreHealth:
        """Check integrity (SQLite) or the connection (PostgreSQL); report schema and rows."""
        sqlite = self._target.is_sqlite

        def inspect_all(conn: Connection) -> tuple[list[str], str | None, dict[str, int]]:
            if sqlite:
                pragma = "quick_check" if quick else "integrity_check"
                found = [
                    str(r[0]) for r in conn.exec_driver_sql(f"PRAGMA {pragma}") if r[0] != "ok"
                ]
            else:
                conn.execute(text("SELECT 1"))
                found = []
            present = set(inspect(conn).get_table_names())
            counts = {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
                for table in TABLES
                if table.name in present
            }
            return found, current_revision(conn), counts

        try:
            problems, revision, counts = await self._run(inspect_all, write=False)
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
        query = select(table).order_by(*table.primary_key.columns)
        return await self._run(
            lambda conn: [dict(row) for row in conn.execute(query).mappings()], write=False
        )

    async def load_rows(self, name: str, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows copied from another database into one table, in one transaction."""
        table = next(t for t in TABLES if t.name == name)

        def load(conn: Connection) -> None:
            for start in range(0, len(rows), 500):
                conn.execute(insert(table), list(rows[start : start + 500]))
            if conn.dialect.name == "postgresql" and name in SERIAL_TABLES and rows:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                        f" (SELECT MAX(id) FROM {name}))"
                    )
                )

        await self._write(load)


def load_quotes(conn: Connection, records: Sequence[QuoteRecord]) -> list[bool]:
    """Add quote records inside a transaction; per record, False if it was a duplicate.

    A live record duplicates a live quote with the same fingerprint in its workspace and
    role; a removed record duplicates any quote with the same fingerprint and `added_at`.
    """
    added: list[bool] = []
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
        if conn.execute(select(quotes.c.id).where(*same, twin)).first():
            added.append(False)
            continue
        conn.execute(
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
