"""Specimen-of-the-day subscriptions and daily posts, unique per channel and local date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, case, delete, insert, literal, or_, select, update

from bot.store.base import (
    DEFAULT_OPTIONS,
    DailyOptions,
    DailyPost,
    DailyStep,
    Place,
    Subscription,
)
from bot.store.dialect import lock_bag, upsert
from bot.store.schema import Stamp, daily_posts, daily_steps, subscriptions
from bot.store.sql_base import SqlBase

SPECIMEN_BAG = "specimen"
SUBSCRIPTION_COLUMNS = (
    subscriptions.c.platform,
    subscriptions.c.workspace_id,
    subscriptions.c.channel_id,
    subscriptions.c.post_time,
    subscriptions.c.zone,
    subscriptions.c.subscribed_by,
    subscriptions.c.subscribed_at,
    subscriptions.c.paused_reason,
    subscriptions.c.paused_at,
    subscriptions.c.days,
    subscriptions.c.pin,
    subscriptions.c.thread,
    subscriptions.c.ping,
    subscriptions.c.next_post_at,
)
POST_COLUMNS = (
    daily_posts.c.channel,
    daily_posts.c.local_date,
    daily_posts.c.role_id,
    daily_posts.c.claimed_at,
    daily_posts.c.message_id,
    daily_posts.c.posted_at,
    daily_posts.c.quote_text,
    daily_posts.c.quote_source,
)


def _the_steps(place: Place, local_date: date) -> tuple[Any, ...]:
    return (daily_steps.c.channel == place.key, daily_steps.c.local_date == local_date)


def _the_post(place: Place, local_date: date) -> tuple[Any, ...]:
    return (daily_posts.c.channel == place.key, daily_posts.c.local_date == local_date)


class DailyTables(SqlBase):
    """The specimen-of-the-day half of the SQL store."""

    async def subscribe(
        self,
        place: Place,
        *,
        post_time: str,
        zone: str,
        by: str,
        now: datetime,
        options: DailyOptions = DEFAULT_OPTIONS,
    ) -> Subscription:
        """Create or update the channel's subscription and its options, clearing any pause.

        Subscribing again with the same time, zone and options to a live subscription
        changes nothing, so a post due today (or being caught up) is not lost. Options
        alone changing keep the subscription's moment, so today's post is not lost either.

        A change of time, zone or days, or a resume, makes the subscription due for a look
        at `now` (`next_post_at`), where the scheduler works out its next post. A resume with
        the same time and zone keeps the moment it was made, so today's post, refused or
        missed while paused, goes out as a catch-up.
        """
        changed = or_(
            subscriptions.c.post_time != post_time,
            subscriptions.c.zone != zone,
            subscriptions.c.paused_reason.is_not(None),
        )
        values = {
            "days": options.days,
            "pin": int(options.pin),
            "thread": int(options.thread),
            "ping": options.ping,
        }
        # other days may put a post before the planned one: look again at `now`
        replanned = (subscriptions.c.days != options.days) & (subscriptions.c.next_post_at > now)
        next_post_at = case((replanned, literal(now, Stamp)), else_=subscriptions.c.next_post_at)

        def write(conn: Connection) -> Subscription:
            kept = conn.execute(
                select(subscriptions.c.subscribed_at).where(
                    subscriptions.c.channel == place.key,
                    subscriptions.c.post_time == post_time,
                    subscriptions.c.zone == zone,
                )
            ).scalar()
            statement = upsert(
                conn,
                subscriptions,
                {
                    "channel": place.key,
                    "platform": place.platform,
                    "workspace_id": place.workspace_id,
                    "channel_id": place.channel_id,
                    "post_time": post_time,
                    "zone": zone,
                    "subscribed_by": by,
                    "subscribed_at": kept or now,
                    "paused_reason": None,
                    "paused_at": None,
                    "next_post_at": now,
                    **values,
                },
                keys=["channel"],
                update=[
                    "post_time",
                    "zone",
                    "subscribed_by",
                    "subscribed_at",
                    "paused_reason",
                    "paused_at",
                    "next_post_at",
                ],
                where=changed,
            )
            conn.execute(statement)
            conn.execute(
                update(subscriptions)
                .where(subscriptions.c.channel == place.key)
                .values({**values, "next_post_at": next_post_at})
            )
            row = conn.execute(
                select(*SUBSCRIPTION_COLUMNS).where(subscriptions.c.channel == place.key)
            ).one()
            return subscription_of(row)

        return await self._write(write)

    async def unsubscribe(self, place: Place) -> bool:
        """Remove the channel's subscription; False if it had none. Past posts stay on record."""
        statement = delete(subscriptions).where(subscriptions.c.channel == place.key)
        return await self._write(lambda conn: conn.execute(statement).rowcount > 0)

    async def subscription(self, place: Place) -> Subscription | None:
        """The channel's subscription, paused or not."""
        rows = await self._read(
            select(*SUBSCRIPTION_COLUMNS).where(subscriptions.c.channel == place.key)
        )
        return subscription_of(rows[0]) if rows else None

    async def subscriptions(self) -> list[Subscription]:
        """Every subscription, paused or not."""
        rows = await self._read(select(*SUBSCRIPTION_COLUMNS).order_by(subscriptions.c.channel))
        return [subscription_of(row) for row in rows]

    async def workspace_subscriptions(self, platform: str, workspace_id: str) -> list[Subscription]:
        """One workspace's subscriptions, paused or not, in channel order."""
        rows = await self._read(
            select(*SUBSCRIPTION_COLUMNS)
            .where(
                subscriptions.c.platform == platform,
                subscriptions.c.workspace_id == workspace_id,
            )
            .order_by(subscriptions.c.channel)
        )
        return [subscription_of(row) for row in rows]

    async def pause(self, place: Place, reason: str, now: datetime) -> None:
        """Stop posting to a channel until it subscribes again, remembering why."""
        await self._execute(
            update(subscriptions)
            .where(subscriptions.c.channel == place.key)
            .values(paused_reason=reason, paused_at=now, next_post_at=None)
        )

    async def plan_daily(
        self, place: Place, local_date: date, candidates: Sequence[str], now: datetime
    ) -> DailyPost | None:
        """The channel's specimen for a local date, drawn from its bag the first time asked."""

        def plan(conn: Connection) -> DailyPost | None:
            lock_bag(conn, place.key, SPECIMEN_BAG)
            row = conn.execute(select(*POST_COLUMNS).where(*_the_post(place, local_date))).first()
            if row is not None:
                return post_of(row)
            role_id = self._draw_in(conn, place, SPECIMEN_BAG, candidates)
            if role_id is None:
                return None
            conn.execute(
                insert(daily_posts).values(
                    channel=place.key, local_date=local_date, role_id=role_id, planned_at=now
                )
            )
            return DailyPost(place.key, local_date, role_id, None, None, None)

        return await self._write(plan)

    async def claim_daily(
        self, place: Place, local_date: date, now: datetime, stale_before: datetime
    ) -> bool:
        """Claim the right to post a planned daily post; only one caller ever wins it."""
        claim = (
            update(daily_posts)
            .where(
                *_the_post(place, local_date),
                daily_posts.c.message_id.is_(None),
                or_(daily_posts.c.claimed_at.is_(None), daily_posts.c.claimed_at < stale_before),
            )
            .values(claimed_at=now)
        )
        return await self._write(lambda conn: conn.execute(claim).rowcount == 1)

    async def release_daily(self, place: Place, local_date: date, claimed_at: datetime) -> None:
        """Give back the claim made at `claimed_at` whose post failed, so a later pass may try
        again; a claim taken over since (this one went stale) is left to its new holder."""
        await self._execute(
            update(daily_posts)
            .where(
                *_the_post(place, local_date),
                daily_posts.c.message_id.is_(None),
                daily_posts.c.claimed_at == claimed_at,
            )
            .values(claimed_at=None)
        )

    async def record_daily(
        self,
        place: Place,
        local_date: date,
        message_id: str,
        now: datetime,
        quote_text: str | None = None,
        quote_source: str | None = None,
    ) -> None:
        """Record the platform's message id of a daily post that went out, and its quote."""
        await self._execute(
            update(daily_posts)
            .where(*_the_post(place, local_date))
            .values(
                message_id=message_id,
                posted_at=now,
                quote_text=quote_text,
                quote_source=quote_source,
            )
        )

    async def daily_steps(self, place: Place, local_date: date) -> dict[str, DailyStep]:
        """The steps of the channel's post for a local date that are done or failed for good."""
        rows = await self._read(
            select(daily_steps.c.step, daily_steps.c.result, daily_steps.c.failure).where(
                *_the_steps(place, local_date), daily_steps.c.done_at.is_not(None)
            )
        )
        return {row[0]: DailyStep(row[0], row[1], row[2]) for row in rows}

    async def claim_step(
        self, place: Place, local_date: date, step: str, now: datetime, stale_before: datetime
    ) -> bool:
        """Claim the right to do one step; only one caller wins it, and never once it is done."""
        values = {"channel": place.key, "local_date": local_date, "step": step, "claimed_at": now}
        takeable = daily_steps.c.done_at.is_(None) & (daily_steps.c.claimed_at < stale_before)

        def write(conn: Connection) -> bool:
            statement = upsert(
                conn,
                daily_steps,
                values,
                keys=["channel", "local_date", "step"],
                update=["claimed_at"],
                where=takeable,
            )
            return conn.execute(statement).rowcount == 1

        return await self._write(write)

    async def record_step(
        self, place: Place, local_date: date, step: DailyStep, now: datetime
    ) -> None:
        """Record a claimed step as done (or failed for good); a done step stays as it was."""
        await self._execute(
            update(daily_steps)
            .where(
                *_the_steps(place, local_date),
                daily_steps.c.step == step.step,
                daily_steps.c.done_at.is_(None),
            )
            .values(done_at=now, result=step.result, failure=step.failure)
        )

    async def release_step(
        self, place: Place, local_date: date, step: str, claimed_at: datetime
    ) -> None:
        """Give back the claim made at `claimed_at` of a step that failed for now, so a later
        pass may try it; a claim taken over since is left to its new holder."""
        await self._execute(
            delete(daily_steps).where(
                *_the_steps(place, local_date),
                daily_steps.c.step == step,
                daily_steps.c.done_at.is_(None),
                daily_steps.c.claimed_at == claimed_at,
            )
        )

    async def last_pinned(self, place: Place, before: date) -> str | None:
        """The message the bot last pinned in the channel for a date before `before`, if any."""
        rows = await self._read(
            select(daily_steps.c.result)
            .where(
                daily_steps.c.channel == place.key,
                daily_steps.c.local_date < before,
                daily_steps.c.step == "pin",
                daily_steps.c.done_at.is_not(None),
                daily_steps.c.failure.is_(None),
            )
            .order_by(daily_steps.c.local_date.desc())
            .limit(1)
        )
        return rows[0][0] if rows else None

    async def last_daily(self, place: Place) -> DailyPost | None:
        """The most recent daily post that went out in the channel."""
        rows = await self._read(
            select(*POST_COLUMNS)
            .where(daily_posts.c.channel == place.key, daily_posts.c.message_id.is_not(None))
            .order_by(daily_posts.c.local_date.desc())
            .limit(1)
        )
        return post_of(rows[0]) if rows else None

    async def daily(self, place: Place, local_date: date) -> DailyPost | None:
        """The channel's daily post row for a local date, if it was planned."""
        rows = await self._read(select(*POST_COLUMNS).where(*_the_post(place, local_date)))
        return post_of(rows[0]) if rows else None


def subscription_of(row: Sequence[Any]) -> Subscription:
    """A `Subscription` from a row selected with `SUBSCRIPTION_COLUMNS`."""
    return Subscription(
        place=Place(row[0], row[1], row[2]),
        post_time=row[3],
        zone=row[4],
        subscribed_by=row[5],
        subscribed_at=row[6],
        paused_reason=row[7],
        paused_at=row[8],
        options=DailyOptions(days=row[9], pin=bool(row[10]), thread=bool(row[11]), ping=row[12]),
        next_post_at=row[13],
    )


def post_of(row: Sequence[Any]) -> DailyPost:
    """A `DailyPost` from a row selected with `POST_COLUMNS`."""
    return DailyPost(
        place_key=row[0],
        local_date=row[1],
        role_id=row[2],
        claimed_at=row[3],
        message_id=row[4],
        posted_at=row[5],
        quote_text=row[6],
        quote_source=row[7],
    )
