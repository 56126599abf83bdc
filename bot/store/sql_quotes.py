"""Burn-ward quotes added by admins: scoped to a workspace, soft-deleted, never lost."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.base import DrawnQuote, DuplicateQuoteError, Place, StoredQuote
from bot.store.schema import quotes, utc
from bot.store.sql_base import QUOTE_COLUMNS, SqlBase, quote_from_row
from bot.store.sql_stats import ROAST, count_one

# built once: the roast's hot path runs it on every draw
_LIVE = select(*QUOTE_COLUMNS).where(
    quotes.c.workspace == bindparam("workspace"),
    quotes.c.role_id == bindparam("role_id"),
    quotes.c.removed_at.is_(None),
)


class QuoteTables(SqlBase):
    """The quote half of the SQL store."""

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
        twin = select(*QUOTE_COLUMNS).where(
            quotes.c.workspace == workspace,
            quotes.c.role_id == role_id,
            quotes.c.fingerprint == fingerprint,
            quotes.c.removed_at.is_(None),
        )

        def add(conn: Connection) -> int:
            existing = conn.execute(twin).first()
            if existing is not None:
                raise DuplicateQuoteError(quote_from_row(existing))
            inserted = conn.execute(
                insert(quotes).values(
                    workspace=workspace,
                    role_id=role_id,
                    text=text,
                    source=source,
                    fingerprint=fingerprint,
                    added_by=added_by,
                    added_at=now,
                )
            ).inserted_primary_key
            assert inserted is not None
            return int(inserted[0])

        try:
            quote_id = await self._write(add)
        except IntegrityError:  # another instance added the same quote a moment before
            rows = await self._read(twin)
            if not rows:
                raise
            raise DuplicateQuoteError(quote_from_row(rows[0])) from None
        return StoredQuote(quote_id, workspace, role_id, text, source, added_by, utc(now))

    async def live_quotes(self, workspace: str, role_id: str) -> list[StoredQuote]:
        """The workspace's quotes for a role that have not been removed, oldest first."""
        rows = await self._read(
            select(*QUOTE_COLUMNS)
            .where(
                quotes.c.workspace == workspace,
                quotes.c.role_id == role_id,
                quotes.c.removed_at.is_(None),
            )
            .order_by(quotes.c.id)
        )
        return [quote_from_row(row) for row in rows]

    async def remove_quote(
        self, *, workspace: str, quote_id: int, removed_by: str, now: datetime
    ) -> StoredQuote | None:
        """Soft-delete one of the workspace's live quotes; None if it has no such quote."""
        live = (
            quotes.c.id == quote_id,
            quotes.c.workspace == workspace,
            quotes.c.removed_at.is_(None),
        )

        def remove(conn: Connection) -> StoredQuote | None:
            row = conn.execute(select(*QUOTE_COLUMNS).where(*live)).first()
            if row is None:
                return None
            gone = conn.execute(
                update(quotes).where(*live).values(removed_by=removed_by, removed_at=now)
            )
            if gone.rowcount != 1:  # removed by another call since the row was read
                return None
            return quote_from_row((*row[:7], removed_by, utc(now)))

        return await self._write(remove)

    async def draw_quote(
        self,
        place: Place,
        role_id: str,
        seed_keys: Sequence[str],
        counted_on: date | None = None,
    ) -> DrawnQuote | None:
        """The next quote of the channel's bag for a role, seed keys plus live additions.

        With `counted_on`, one roast of the role is counted for that day in the same
        transaction (what `count_roast` does), so a roast costs one transaction.
        """

        def draw(conn: Connection) -> DrawnQuote | None:
            if counted_on is not None:
                count_one(conn, place.workspace_key, ROAST, role_id, counted_on)
            rows = conn.execute(_LIVE, {"workspace": place.workspace_key, "role_id": role_id})
            added = {quote.key: quote for quote in map(quote_from_row, rows)}
            key = self._draw_in(conn, place, f"quote:{role_id}", [*seed_keys, *added])
            return None if key is None else DrawnQuote(key, added.get(key))

        return await self._write(draw)
