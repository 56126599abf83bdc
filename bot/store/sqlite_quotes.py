"""Burn-ward quotes added by admins: scoped to a workspace, soft-deleted, never lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.store.base import DrawnQuote, DuplicateQuoteError, Place, StoredQuote
from bot.store.sqlite_base import QUOTE_COLUMNS, SqliteBase, quote_from_row, stamp, utc


class QuoteTables(SqliteBase):
    """The quote half of the SQLite store."""

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
                f"SELECT {QUOTE_COLUMNS} FROM quotes WHERE workspace = ? AND role_id = ?"
                " AND fingerprint = ? AND removed_at IS NULL",
                (workspace, role_id, fingerprint),
            )
            if rows:
                raise DuplicateQuoteError(quote_from_row(next(iter(rows))))
            cursor = await db.execute(
                "INSERT INTO quotes (workspace, role_id, text, source, fingerprint, added_by,"
                " added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (workspace, role_id, text, source, fingerprint, added_by, stamp(now)),
            )
            quote_id = cursor.lastrowid
        assert quote_id is not None
        return StoredQuote(quote_id, workspace, role_id, text, source, added_by, utc(now))

    async def live_quotes(self, workspace: str, role_id: str) -> list[StoredQuote]:
        """The workspace's quotes for a role that have not been removed, oldest first."""
        rows = await self._read(
            f"SELECT {QUOTE_COLUMNS} FROM quotes WHERE workspace = ? AND role_id = ?"
            " AND removed_at IS NULL ORDER BY id",
            (workspace, role_id),
        )
        return [quote_from_row(row) for row in rows]

    async def remove_quote(
        self, *, workspace: str, quote_id: int, removed_by: str, now: datetime
    ) -> StoredQuote | None:
        """Soft-delete one of the workspace's live quotes; None if it has no such quote."""
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    f"SELECT {QUOTE_COLUMNS} FROM quotes WHERE id = ? AND workspace = ?"
                    " AND removed_at IS NULL",
                    (quote_id, workspace),
                )
            )
            if not rows:
                return None
            await db.execute(
                "UPDATE quotes SET removed_by = ?, removed_at = ? WHERE id = ?",
                (removed_by, stamp(now), quote_id),
            )
        return quote_from_row((*rows[0][:7], removed_by, stamp(now)))

    async def draw_quote(
        self, place: Place, role_id: str, seed_keys: Sequence[str]
    ) -> DrawnQuote | None:
        """The next quote of the channel's bag for a role, seed keys plus live additions."""

        def draw(db: sqlite3.Connection) -> DrawnQuote | None:
            rows = db.execute(
                f"SELECT {QUOTE_COLUMNS} FROM quotes WHERE workspace = ? AND role_id = ?"
                " AND removed_at IS NULL",
                (place.workspace_key, role_id),
            ).fetchall()
            added = {quote.key: quote for quote in map(quote_from_row, rows)}
            key = self._draw_in(db, place, f"quote:{role_id}", [*seed_keys, *added])
            return None if key is None else DrawnQuote(key, added.get(key))

        return await self._in_one_hop(draw)
