"""The index of when each subscription is next due (`next_post_at`), read and kept for the scheduler.

The store keeps the index a lower bound: a change of schedule makes the row due at once
(`DailyTables.subscribe`), a pause takes it out (NULL), a scheduler starting makes every row
due once (`plan_all_again`), as zone rules may have changed since the rows were planned.
The scheduler, which knows the local-time rules, writes each row's real next post after
looking at it (`set_next_post`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, exists, or_, select, update

from bot.store.base import Subscription
from bot.store.schema import daily_posts, subscriptions
from bot.store.sql_base import SqlBase
from bot.store.sql_daily import SUBSCRIPTION_COLUMNS, subscription_of

_LIVE = subscriptions.c.paused_reason.is_(None)


class PlanningTables(SqlBase):
    """Due subscriptions by `next_post_at`, each read through the index, never a full scan."""

    async def due_subscriptions(
        self, now: datetime, limit: int, after: Subscription | None = None
    ) -> list[Subscription]:
        """Up to `limit` unpaused subscriptions whose `next_post_at` is at or before `now`.

        In order of (`next_post_at`, channel), starting after `after` (the last of the
        previous batch), so a caller reads every due row in batches, each row once.
        """
        query = select(*SUBSCRIPTION_COLUMNS).where(subscriptions.c.next_post_at <= now, _LIVE)
        if after is not None and after.next_post_at is not None:
            query = query.where(
                subscriptions.c.next_post_at >= after.next_post_at,
                or_(
                    subscriptions.c.next_post_at > after.next_post_at,
                    subscriptions.c.channel > after.place.key,
                ),
            )
        rows = await self._read(
            query.order_by(subscriptions.c.next_post_at, subscriptions.c.channel).limit(limit)
        )
        return [subscription_of(row) for row in rows]

    async def set_next_post(
        self, sub: Subscription, at: datetime, *, done: date | None = None
    ) -> bool:
        """Set when the scheduler next looks at the subscription; False if nothing was written.

        Written only while the subscription still has the schedule `sub` was read with (time,
        zone, days, subscribed moment, not paused), so a plan made from a stale read never
        overwrites a change; with `done`, only once that local date's post is recorded.
        """
        unchanged = and_(
            subscriptions.c.channel == sub.place.key,
            subscriptions.c.post_time == sub.post_time,
            subscriptions.c.zone == sub.zone,
            subscriptions.c.days == sub.options.days,
            subscriptions.c.subscribed_at == sub.subscribed_at,
            _LIVE,
        )
        if done is not None:
            recorded = exists().where(
                daily_posts.c.channel == sub.place.key,
                daily_posts.c.local_date == done,
                daily_posts.c.message_id.is_not(None),
            )
            unchanged = and_(unchanged, recorded)
        statement = update(subscriptions).where(unchanged).values(next_post_at=at)
        return await self._write(lambda conn: conn.execute(statement).rowcount == 1)

    async def earliest_next_post(self, after: datetime) -> datetime | None:
        """The earliest `next_post_at` later than `after` among unpaused subscriptions."""
        # the first row along the index, not min(): that would visit every later row
        rows = await self._read(
            select(subscriptions.c.next_post_at)
            .where(subscriptions.c.next_post_at > after, _LIVE)
            .order_by(subscriptions.c.next_post_at)
            .limit(1)
        )
        return rows[0][0] if rows else None

    async def plan_all_again(self, now: datetime) -> None:
        """Make every unpaused subscription planned later than `now` due at `now`.

        The index was written with the zone rules of whichever instance wrote it; one starting
        with newer rules (a tzdata upgrade) may find a post earlier than planned.
        """
        await self._execute(
            update(subscriptions)
            .where(subscriptions.c.next_post_at > now, _LIVE)
            .values(next_post_at=now)
        )
