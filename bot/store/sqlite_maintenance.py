"""Operating the SQLite store: online backup, integrity check, and quotes out and in."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from bot.store.base import QuoteRecord, StoredQuote, StoreError, StoreHealth
from bot.store.migrations import LATEST_VERSION
from bot.store.sqlite_base import QUOTE_COLUMNS, SqliteBase, quote_from_row, stamp

_LIVE_TWIN = (
    "SELECT 1 FROM quotes WHERE workspace = ? AND role_id = ? AND fingerprint = ?"
    " AND removed_at IS NULL"
)
_REMOVED_TWIN = (
    "SELECT 1 FROM quotes WHERE workspace = ? AND role_id = ? AND fingerprint = ? AND added_at = ?"
)


class MaintenanceTables(SqliteBase):
    """What `roastbot db` and `roastbot quotes` need from the SQLite store."""

    async def all_quotes(self, workspace: str | None = None) -> list[StoredQuote]:
        """Every admin quote, removed ones too, of one workspace or all, in a stable order.

        `workspace` is a workspace key (`discord:123`) or the bare id after the colon.
        """
        where = ""
        params: tuple[str, ...] = ()
        if workspace is not None:
            where = " WHERE workspace = ? OR substr(workspace, instr(workspace, ':') + 1) = ?"
            params = (workspace, workspace)
        rows = await self._read(
            f"SELECT {QUOTE_COLUMNS} FROM quotes{where} ORDER BY workspace, role_id, added_at, id",
            params,
        )
        return [quote_from_row(row) for row in rows]

    async def import_quotes(self, records: Sequence[QuoteRecord]) -> list[bool]:
        """Add the records in one transaction; per record, False if it was a duplicate.

        A live record duplicates a live quote with the same fingerprint in its workspace and
        role; a removed record duplicates any quote with the same fingerprint and `added_at`.
        """
        added: list[bool] = []
        async with self._transaction() as db:
            for record in records:
                key = (record.workspace, record.role_id, record.fingerprint)
                if record.removed_at is None:
                    twins = await db.execute_fetchall(_LIVE_TWIN, key)
                else:
                    twins = await db.execute_fetchall(_REMOVED_TWIN, (*key, stamp(record.added_at)))
                if list(twins):
                    added.append(False)
                    continue
                await db.execute(
                    "INSERT INTO quotes (workspace, role_id, text, source, fingerprint, added_by,"
                    " added_at, removed_by, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        *key[:2],
                        record.text,
                        record.source,
                        record.fingerprint,
                        record.added_by,
                        stamp(record.added_at),
                        record.removed_by,
                        None if record.removed_at is None else stamp(record.removed_at),
                    ),
                )
                added.append(True)
        return added

    async def backup(self, target: Path) -> None:
        """Write a consistent copy to `target` through SQLite's online backup API.

        Writers are not blocked for long: the copy is one read of the database as it stood.
        It is written beside `target` first and renamed over it once complete, in rollback-
        journal mode so that it is one self-contained file.
        """
        partial = target.with_name(target.name + ".partial")
        try:
            partial.unlink(missing_ok=True)
            copy = sqlite3.connect(partial, check_same_thread=False)
            try:
                async with self._lock:
                    await self._db.backup(copy)
                await asyncio.to_thread(copy.execute, "PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise StoreError(f"cannot write the backup {target}: {exc}") from exc

    async def check(self, *, quick: bool = False) -> StoreHealth:
        """Run SQLite's integrity check; report the schema version and the rows per table."""
        try:
            async with self._lock:
                pragma = "quick_check" if quick else "integrity_check"
                rows = await self._db.execute_fetchall(f"PRAGMA {pragma}")
                problems = [str(row[0]) for row in rows if row[0] != "ok"]
                version = int(list(await self._db.execute_fetchall("PRAGMA user_version"))[0][0])
                tables = await self._db.execute_fetchall(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
                counts = {}
                for (name,) in tables:
                    quoted = '"' + str(name).replace('"', '""') + '"'
                    count = await self._db.execute_fetchall(f"SELECT COUNT(*) FROM {quoted}")
                    counts[str(name)] = int(list(count)[0][0])
        except sqlite3.Error as exc:
            raise StoreError(f"cannot check the database: {exc}") from exc
        if version > LATEST_VERSION:
            problems.append(
                f"schema version {version} is newer than this roastbot knows"
                f" ({LATEST_VERSION}): upgrade roastbot, or restore a backup taken before"
            )
        return StoreHealth(tuple(problems), version, counts)
