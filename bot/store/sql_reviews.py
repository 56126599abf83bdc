"""Review channels, the review message of each suggestion, and suggesters' credit on quotes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Executable, delete, select, update

from bot.store.base import APPROVED, Credit, ReviewPost
from bot.store.dialect import upsert
from bot.store.schema import quotes, review_channels, review_posts, suggestions
from bot.store.sql_base import SqlBase


class ReviewTables(SqlBase):
    """The review-channel half of the SQL store."""

    async def set_review_channel(
        self, *, workspace: str, channel_id: str, set_by: str, now: datetime
    ) -> None:
        """Make `channel_id` the workspace's review channel, replacing any earlier one."""
        values = {"workspace": workspace, "channel_id": channel_id, "set_by": set_by, "set_at": now}
        changed = ["channel_id", "set_by", "set_at"]
        await self._write(
            lambda conn: conn.execute(
                upsert(conn, review_channels, values, keys=["workspace"], update=changed)
            )
        )

    async def clear_review_channel(self, workspace: str) -> str | None:
        """Stop posting the workspace's suggestions for review; the channel it had, or None."""
        mine = review_channels.c.workspace == workspace

        def clear(conn: Connection) -> str | None:
            had = conn.execute(select(review_channels.c.channel_id).where(mine)).scalar()
            conn.execute(delete(review_channels).where(mine))
            return None if had is None else str(had)

        return await self._write(clear)

    async def undo_review_channel(
        self, *, workspace: str, channel_id: str, before: str | None, set_by: str, now: datetime
    ) -> bool:
        """Put `before` back (None: no review channel) if `channel_id` is still the
        workspace's review channel; False, changing nothing, if another was set since."""
        still = (review_channels.c.workspace == workspace) & (
            review_channels.c.channel_id == channel_id
        )
        statement: Executable
        if before is None:
            statement = delete(review_channels).where(still)
        else:
            statement = (
                update(review_channels)
                .where(still)
                .values(channel_id=before, set_by=set_by, set_at=now)
            )
        return await self._write(lambda conn: conn.execute(statement).rowcount == 1)

    async def review_channel(self, workspace: str) -> str | None:
        """The id of the workspace's review channel, or None when it has none."""
        rows = await self._read(
            select(review_channels.c.channel_id).where(review_channels.c.workspace == workspace)
        )
        return str(rows[0][0]) if rows else None

    async def record_review_post(self, *, workspace: str, post: ReviewPost, now: datetime) -> None:
        """Remember the message a suggestion was posted as for review (the newest one wins)."""
        values = {
            "suggestion_id": post.suggestion_id,
            "workspace": workspace,
            "channel_id": post.channel_id,
            "message_id": post.message_id,
            "posted_at": now,
        }
        changed = ["workspace", "channel_id", "message_id", "posted_at"]
        await self._write(
            lambda conn: conn.execute(
                upsert(conn, review_posts, values, keys=["suggestion_id"], update=changed)
            )
        )

    async def review_post(self, workspace: str, suggestion_id: int) -> ReviewPost | None:
        """The review message of one of the workspace's suggestions, or None if none was made."""
        rows = await self._read(
            select(review_posts.c.channel_id, review_posts.c.message_id).where(
                review_posts.c.workspace == workspace,
                review_posts.c.suggestion_id == suggestion_id,
            )
        )
        return ReviewPost(suggestion_id, str(rows[0][0]), str(rows[0][1])) if rows else None

    async def quote_credits(self, workspace: str, role_id: str) -> dict[int, Credit]:
        """Per live quote of the role that came from an approved suggestion: who to credit."""
        rows = await self._read(
            select(quotes.c.id, suggestions.c.suggested_by, suggestions.c.decided_by)
            .join(suggestions, suggestions.c.quote_id == quotes.c.id)
            .where(
                quotes.c.workspace == workspace,
                quotes.c.role_id == role_id,
                quotes.c.removed_at.is_(None),
                suggestions.c.workspace == workspace,
                suggestions.c.status == APPROVED,
            )
        )
        return {int(q): Credit(int(q), str(by), str(approver or "")) for q, by, approver in rows}
