"""Members' burn-ward suggestions: queued, decided by admins, never deleted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.base import (
    APPROVED,
    PENDING,
    REJECTED,
    DuplicateQuoteError,
    DuplicateSuggestionError,
    StoredQuote,
    Suggestion,
    SuggestionRecord,
    TooManyPendingError,
)
from bot.store.dialect import lock_name
from bot.store.schema import quotes, suggestions, utc
from bot.store.sql_base import QUOTE_COLUMNS, SqlBase, quote_from_row

SUGGESTIONS_LOCK = "suggestions"
_COLUMNS = (
    suggestions.c.id,
    suggestions.c.workspace,
    suggestions.c.role_id,
    suggestions.c.text,
    suggestions.c.source,
    suggestions.c.fingerprint,
    suggestions.c.suggested_by,
    suggestions.c.suggested_at,
    suggestions.c.status,
    suggestions.c.decided_by,
    suggestions.c.decided_at,
    suggestions.c.reason,
    suggestions.c.quote_id,
)


def _suggestion(row: Sequence[Any]) -> Suggestion:
    return Suggestion(*row)


def _live_twin(workspace: str, role_id: str, fingerprint: str) -> Any:
    return select(*QUOTE_COLUMNS).where(
        quotes.c.workspace == workspace,
        quotes.c.role_id == role_id,
        quotes.c.fingerprint == fingerprint,
        quotes.c.removed_at.is_(None),
    )


class SuggestionTables(SqlBase):
    """The suggestion queue of the SQL store."""

    async def add_suggestion(
        self,
        *,
        workspace: str,
        role_id: str,
        text: str,
        source: str | None,
        fingerprint: str,
        suggested_by: str,
        now: datetime,
        max_pending: int,
    ) -> Suggestion:
        """Queue a suggestion for review, in one transaction.

        Raises `TooManyPendingError` when the member has `max_pending` pending already,
        `DuplicateQuoteError` when the workspace has the quote live, and
        `DuplicateSuggestionError` when it is already pending. Additions to one workspace's
        queue take its lock in turn, so racing ones cannot both pass these checks.
        """
        mine = select(func.count()).where(
            suggestions.c.workspace == workspace,
            suggestions.c.suggested_by == suggested_by,
            suggestions.c.status == PENDING,
        )
        pending_twin = select(*_COLUMNS).where(
            suggestions.c.workspace == workspace,
            suggestions.c.role_id == role_id,
            suggestions.c.fingerprint == fingerprint,
            suggestions.c.status == PENDING,
        )

        def add(conn: Connection) -> int:
            lock_name(conn, f"{SUGGESTIONS_LOCK}\x1f{workspace}")
            live = conn.execute(_live_twin(workspace, role_id, fingerprint)).first()
            if live is not None:
                raise DuplicateQuoteError(quote_from_row(live))
            twin = conn.execute(pending_twin).first()
            if twin is not None:
                raise DuplicateSuggestionError(_suggestion(twin))
            pending = int(conn.execute(mine).scalar() or 0)
            if pending >= max_pending:
                raise TooManyPendingError(pending)
            inserted = conn.execute(
                insert(suggestions).values(
                    workspace=workspace,
                    role_id=role_id,
                    text=text,
                    source=source,
                    fingerprint=fingerprint,
                    suggested_by=suggested_by,
                    suggested_at=now,
                    status=PENDING,
                )
            ).inserted_primary_key
            assert inserted is not None
            return int(inserted[0])

        suggestion_id = await self._write(add)
        return Suggestion(
            suggestion_id, workspace, role_id, text, source, fingerprint, suggested_by, utc(now)
        )

    async def suggestion(self, workspace: str, suggestion_id: int) -> Suggestion | None:
        """One of the workspace's suggestions, whatever its status."""
        rows = await self._read(
            select(*_COLUMNS).where(
                suggestions.c.workspace == workspace, suggestions.c.id == suggestion_id
            )
        )
        return _suggestion(rows[0]) if rows else None

    async def suggestions(
        self, workspace: str, *, status: str | None = None, suggested_by: str | None = None
    ) -> list[Suggestion]:
        """The workspace's suggestions, oldest first, filtered by status and by member."""
        query = select(*_COLUMNS).where(suggestions.c.workspace == workspace)
        if status is not None:
            query = query.where(suggestions.c.status == status)
        if suggested_by is not None:
            query = query.where(suggestions.c.suggested_by == suggested_by)
        return [_suggestion(row) for row in await self._read(query.order_by(suggestions.c.id))]

    async def count_suggestions(self, workspace: str, status: str) -> int:
        """How many of the workspace's suggestions have a status (`pending`, ...)."""
        rows = await self._read(
            select(func.count()).where(
                suggestions.c.workspace == workspace, suggestions.c.status == status
            )
        )
        return int(rows[0][0])

    async def approve_suggestion(
        self, *, workspace: str, suggestion_id: int, decided_by: str, now: datetime
    ) -> tuple[Suggestion, StoredQuote] | None:
        """Turn a pending suggestion into a live quote added by the approver, in one transaction.

        None if the workspace has no such pending suggestion; raises `DuplicateQuoteError`
        (and changes nothing) if the quote went live meanwhile.
        """
        pending = (
            suggestions.c.workspace == workspace,
            suggestions.c.id == suggestion_id,
            suggestions.c.status == PENDING,
        )

        def approve(conn: Connection) -> tuple[Suggestion, StoredQuote] | None:
            claimed = conn.execute(
                update(suggestions)
                .where(*pending)
                .values(status=APPROVED, decided_by=decided_by, decided_at=now)
            )
            if claimed.rowcount != 1:
                return None
            row = conn.execute(
                select(*_COLUMNS).where(
                    suggestions.c.workspace == workspace, suggestions.c.id == suggestion_id
                )
            ).one()
            chosen = _suggestion(row)
            live = conn.execute(_live_twin(workspace, chosen.role_id, chosen.fingerprint)).first()
            if live is not None:
                raise DuplicateQuoteError(quote_from_row(live))
            inserted = conn.execute(
                insert(quotes).values(
                    workspace=workspace,
                    role_id=chosen.role_id,
                    text=chosen.text,
                    source=chosen.source,
                    fingerprint=chosen.fingerprint,
                    added_by=decided_by,
                    added_at=now,
                )
            ).inserted_primary_key
            assert inserted is not None
            quote_id = int(inserted[0])
            conn.execute(
                update(suggestions)
                .where(suggestions.c.id == suggestion_id)
                .values(quote_id=quote_id)
            )
            quote = StoredQuote(
                quote_id,
                workspace,
                chosen.role_id,
                chosen.text,
                chosen.source,
                decided_by,
                utc(now),
            )
            return _suggestion((*row[:12], quote_id)), quote

        try:
            return await self._write(approve)
        except IntegrityError:  # the same quote was added a moment before, in another call
            suggestion = await self.suggestion(workspace, suggestion_id)
            rows = (
                []
                if suggestion is None
                else await self._read(
                    _live_twin(workspace, suggestion.role_id, suggestion.fingerprint)
                )
            )
            if not rows:
                raise
            raise DuplicateQuoteError(quote_from_row(rows[0])) from None

    async def reject_suggestion(
        self,
        *,
        workspace: str,
        suggestion_id: int,
        decided_by: str,
        reason: str | None,
        now: datetime,
    ) -> Suggestion | None:
        """Reject a pending suggestion, keeping it on record; None if there is no such one."""

        def reject(conn: Connection) -> Suggestion | None:
            claimed = conn.execute(
                update(suggestions)
                .where(
                    suggestions.c.workspace == workspace,
                    suggestions.c.id == suggestion_id,
                    suggestions.c.status == PENDING,
                )
                .values(status=REJECTED, decided_by=decided_by, decided_at=now, reason=reason)
            )
            if claimed.rowcount != 1:
                return None
            row = conn.execute(select(*_COLUMNS).where(suggestions.c.id == suggestion_id)).one()
            return _suggestion(row)

        return await self._write(reject)

    async def all_suggestions(self, workspace: str | None = None) -> list[Suggestion]:
        """Every suggestion of one workspace or all, decided ones too, in a stable order.

        `workspace` is a workspace key (`discord:123`) or the bare id after the colon.
        """
        query = select(*_COLUMNS).order_by(
            suggestions.c.workspace, suggestions.c.suggested_at, suggestions.c.id
        )
        if workspace is not None:
            query = query.where(
                (suggestions.c.workspace == workspace)
                | suggestions.c.workspace.endswith(f":{workspace}", autoescape=True)
            )
        return [_suggestion(row) for row in await self._read(query)]


def load_suggestions(conn: Connection, records: Sequence[SuggestionRecord]) -> list[bool]:
    """Add suggestion records inside a transaction; per record, False if it is already there.

    A record is already there when its workspace has a suggestion with the same role,
    fingerprint, member and moment. An approved record is linked to the workspace's live
    quote with its fingerprint, if there is one.
    """
    added: list[bool] = []
    for record in records:
        there = conn.execute(
            select(suggestions.c.id).where(
                suggestions.c.workspace == record.workspace,
                suggestions.c.role_id == record.role_id,
                suggestions.c.fingerprint == record.fingerprint,
                suggestions.c.suggested_by == record.suggested_by,
                suggestions.c.suggested_at == record.suggested_at,
            )
        ).first()
        if there is not None:
            added.append(False)
            continue
        quote_id = None
        if record.status == APPROVED:
            live = conn.execute(
                _live_twin(record.workspace, record.role_id, record.fingerprint)
            ).first()
            quote_id = None if live is None else int(live[0])
        conn.execute(
            insert(suggestions).values(
                workspace=record.workspace,
                role_id=record.role_id,
                text=record.text,
                source=record.source,
                fingerprint=record.fingerprint,
                suggested_by=record.suggested_by,
                suggested_at=record.suggested_at,
                status=record.status,
                decided_by=record.decided_by,
                decided_at=record.decided_at,
                reason=record.reason,
                quote_id=quote_id,
            )
        )
        added.append(True)
    return added
