"""The scheduler plans from the next-post index: it reads only due rows and wakes at the earliest."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, timedelta

from bot.cards.model import Reply
from bot.daily.scheduler import Scheduler
from bot.runtime.context import Context
from bot.store import Place, SqlStore, Subscription

EIGHT = datetime(2026, 11, 20, 8, tzinfo=UTC)
NINE = EIGHT + timedelta(hours=1)
TEN = EIGHT + timedelta(hours=2)
DUE_AT_NINE = {"c0100", "c0500", "c0900"}


class Poster:
    """A console poster that records the channels it posts to."""

    platform = "console"

    def __init__(self) -> None:
        self.channels: list[str] = []

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        self.channels.append(channel_id)
        return f"m{len(self.channels)}"


class WatchedStore:
    """Records every subscription the store hands out for a look, and any full read."""

    def __init__(self, store: SqlStore) -> None:
        self.returned: list[str] = []
        self.full_reads = 0
        self.posted_and_planned: set[str] = set()
        self.three_planned = asyncio.Event()
        self._due = store.due_subscriptions
        self._all = store.subscriptions
        self._set = store.set_next_post
        store.due_subscriptions = self.due  # type: ignore[method-assign]
        store.subscriptions = self.all  # type: ignore[method-assign]
        store.set_next_post = self.set_next_post  # type: ignore[method-assign]

    async def due(
        self, now: datetime, limit: int, after: Subscription | None = None
    ) -> list[Subscription]:
        page = await self._due(now, limit, after)
        self.returned += [sub.place.channel_id for sub in page]
        return page

    async def set_next_post(
        self, sub: Subscription, at: datetime, *, done: date | None = None
    ) -> bool:
        written = await self._set(sub, at, done=done)
        if written and done is not None:
            self.posted_and_planned.add(sub.place.channel_id)
            if len(self.posted_and_planned) >= 3:
                self.three_planned.set()
        return written

    async def all(self) -> list[Subscription]:
        self.full_reads += 1
        return await self._all()


async def no_sleep(_seconds: float) -> None:
    """Backoff without waiting."""


async def subscribe_many(store: SqlStore) -> None:
    """1,000 channels subscribed at 08:00 UTC: three post at 09:00, the rest at 10:00."""
    for n in range(1000):
        channel = f"c{n:04d}"
        time = "09:00" if channel in DUE_AT_NINE else "10:00"
        place = Place("console", "w1", channel)
        await store.subscribe(place, post_time=time, zone="UTC", by="u1", now=EIGHT)


async def look(scheduler: Scheduler, ctx: Context) -> datetime:
    """Wake the running scheduler and wait for its look; return when it will look next."""
    scheduler.looked.clear()
    ctx.schedule_changed.set()
    await asyncio.wait_for(scheduler.looked.wait(), timeout=60)
    assert scheduler.next_look is not None
    return scheduler.next_look


async def test_a_wake_reads_only_the_due_rows_and_sleeps_until_the_earliest(
    context: Context, store: SqlStore
) -> None:
    """1,000 subscriptions, 3 due at 09:00: after the first look plans every row, the 09:00
    look is handed exactly those 3, posts them, and sleeps until 10:00; nothing reads all."""
    moments = {"now": EIGHT}
    ctx = dataclasses.replace(context, clock=lambda: moments["now"])
    await subscribe_many(store)
    watched = WatchedStore(store)
    poster = Poster()
    scheduler = Scheduler(ctx, {"console": poster}, no_sleep)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stop))
    try:
        assert await look(scheduler, ctx) == NINE  # every row planned: the earliest is 09:00
        assert len(watched.returned) == 1000  # freshly subscribed rows are due for planning
        watched.returned.clear()
        moments["now"] = NINE - timedelta(minutes=1)
        assert await look(scheduler, ctx) == NINE
        assert watched.returned == []
        moments["now"] = NINE
        assert await look(scheduler, ctx) == TEN
        assert sorted(watched.returned) == sorted(DUE_AT_NINE)
        await asyncio.wait_for(watched.three_planned.wait(), timeout=30)
        assert watched.posted_and_planned == DUE_AT_NINE
        watched.returned.clear()
        moments["now"] = NINE + timedelta(minutes=5)
        assert await look(scheduler, ctx) == TEN  # posted and recorded: no longer due
        assert watched.returned == []
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
    assert sorted(poster.channels) == sorted(DUE_AT_NINE)
    assert watched.full_reads == 0


async def test_with_nothing_subscribed_it_sleeps_the_longest_nap(
    context: Context, store: SqlStore
) -> None:
    """No subscription: the look reads nothing and wakes an hour later."""
    moments = {"now": EIGHT}
    ctx = dataclasses.replace(context, clock=lambda: moments["now"])
    watched = WatchedStore(store)
    scheduler = Scheduler(ctx, {"console": Poster()}, no_sleep)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stop))
    try:
        assert await look(scheduler, ctx) == NINE
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
    assert watched.returned == [] and watched.full_reads == 0
