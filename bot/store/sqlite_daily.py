"""Specimen-of-the-day subscriptions and daily posts, unique per channel and local date."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.store.base import DailyPost, Place, Subscription
from bot.store.sqlite_base import SqliteBase, parse_stamp, stamp

SPECIMEN_BAG = "specimen"
_SUBSCRIPTION_COLUMNS = (
    "platform, workspace_id, channel_id, post_time, zone, subscribed_by, subscribed_at,"
    " paused_reason, paused_at"
)
_POST_COLUMNS = "channel, local_date, role_id, claimed_at, message_id, posted_at"


class DailyTables(SqliteBase):
    """The specimen-of-the-day half of the SQLite store."""

    async def subscribe(
        self, place: Place, *, post_time: str, zone: str, by: str, now: datetime
    ) -> Subscription:
        """Create or update the channel's subscription, clearing any pause.

        Subscribing again with the same time and zone to a live subscription changes
        nothing, so a post due today (or being caught up) is not lost.
        """
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO subscriptions (channel, platform, workspace_id, channel_id, post_time,"
                " zone, subscribed_by, subscribed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (channel) DO UPDATE SET post_time = excluded.post_time,"
                " zone = excluded.zone, subscribed_by = excluded.subscribed_by,"
                " subscribed_at = excluded.subscribed_at, paused_reason = NULL, paused_at = NULL"
                " WHERE subscriptions.post_time != excluded.post_time"
                " OR subscriptions.zone != excluded.zone"
                " OR subscriptions.paused_reason IS NOT NULL",
                (
                    place.key,
                    place.platform,
                    place.workspace_id,
                    place.channel_id,
                    post_time,
                    zone,
                    by,
                    stamp(now),
                ),
            )
            cursor = await db.execute(
                f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE channel = ?",
                (place.key,),
            )
            row = await cursor.fetchone()
        assert row is not None  # written in this transaction
        return _subscription(row)

    async def unsubscribe(self, place: Place) -> bool:
        """Remove the channel's subscription; False if it had none. Past posts stay on record."""
        async with self._transaction() as db:
            cursor = await db.execute("DELETE FROM subscriptions WHERE channel = ?", (place.key,))
            return cursor.rowcount > 0

    async def subscription(self, place: Place) -> Subscription | None:
        """The channel's subscription, paused or not."""
        rows = await self._read(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE channel = ?",
            (place.key,),
        )
        return _subscription(rows[0]) if rows else None

    async def subscriptions(self) -> list[Subscription]:
        """Every subscription, paused or not."""
        rows = await self._read(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions ORDER BY channel"
        )
        return [_subscription(row) for row in rows]

    async def pause(self, place: Place, reason: str, now: datetime) -> None:
        """Stop posting to a channel until it subscribes again, remembering why."""
        async with self._transaction() as db:
            await db.execute(
                "UPDATE subscriptions SET paused_reason = ?, paused_at = ? WHERE channel = ?",
                (reason, stamp(now), place.key),
            )

    async def plan_daily(
        self, place: Place, local_date: date, candidates: Sequence[str], now: datetime
    ) -> DailyPost | None:
        """The channel's specimen for a local date, drawn from its bag the first time asked."""

        def plan(db: sqlite3.Connection) -> DailyPost | None:
            rows = db.execute(
                f"SELECT {_POST_COLUMNS} FROM daily_posts WHERE channel = ? AND local_date = ?",
                (place.key, local_date.isoformat()),
            ).fetchall()
            if rows:
                return _post(rows[0])
            role_id = self._draw_in(db, place, SPECIMEN_BAG, candidates)
            if role_id is None:
                return None
            db.execute(
                "INSERT INTO daily_posts (channel, local_date, role_id, planned_at)"
                " VALUES (?, ?, ?, ?)",
                (place.key, local_date.isoformat(), role_id, stamp(now)),
            )
            return DailyPost(place.key, local_date, role_id, None, None, None)

        return await self._in_one_hop(plan)

    async def claim_daily(
        self, place: Place, local_date: date, now: datetime, stale_before: datetime
    ) -> bool:
        """Claim the right to post a planned daily post; only one caller ever wins it."""
        async with self._transaction() as db:
            cursor = await db.execute(
                "UPDATE daily_posts SET claimed_at = ? WHERE channel = ? AND local_date = ?"
                " AND message_id IS NULL AND (claimed_at IS NULL OR claimed_at < ?)",
                (stamp(now), place.key, local_date.isoformat(), stamp(stale_before)),
            )
            return cursor.rowcount == 1

    async def release_daily(self, place: Place, local_date: date) -> None:
        """Give back a claim whose post failed, so a later pass may try again."""
        async with self._transaction() as db:
            await db.execute(
                "UPDATE daily_posts SET claimed_at = NULL WHERE channel = ? AND local_date = ?"
                " AND message_id IS NULL",
                (place.key, local_date.isoformat()),
            )

    async def record_daily(
        self, place: Place, local_date: date, message_id: str, now: datetime
    ) -> None:
        """Record the platform's message id of a daily post that went out."""
        async with self._transaction() as db:
            await db.execute(
                "UPDATE daily_posts SET message_id = ?, posted_at = ? WHERE channel = ?"
                " AND local_date = ?",
                (message_id, stamp(now), place.key, local_date.isoformat()),
            )

    async def last_daily(self, place: Place) -> DailyPost | None:
        """The most recent daily post that went out in the channel."""
        rows = await self._read(
            f"SELECT {_POST_COLUMNS} FROM daily_posts WHERE channel = ?"
            " AND message_id IS NOT NULL ORDER BY local_date DESC LIMIT 1",
            (place.key,),
        )
        return _post(rows[0]) if rows else None

    async def daily(self, place: Place, local_date: date) -> DailyPost | None:
        """The channel's daily post row for a local date, if it was planned."""
        rows = await self._read(
            f"SELECT {_POST_COLUMNS} FROM daily_posts WHERE channel = ? AND local_date = ?",
            (place.key, local_date.isoformat()),
        )
        return _post(rows[0]) if rows else None


def _subscription(row: Any) -> Subscription:
    subscribed_at = parse_stamp(row[6])
    assert subscribed_at is not None
    return Subscription(
        place=Place(row[0], row[1], row[2]),
        post_time=row[3],
        zone=row[4],
        subscribed_by=row[5],
        subscribed_at=subscribed_at,
        paused_reason=row[7],
        paused_at=parse_stamp(row[8]),
    )


def _post(row: Any) -> DailyPost:
    return DailyPost(
        place_key=row[0],
        local_date=date.fromisoformat(row[1]),
        role_id=row[2],
        claimed_at=parse_stamp(row[3]),
        message_id=row[4],
        posted_at=parse_stamp(row[5]),
    )
