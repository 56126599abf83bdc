"""The scheduler plans from the next-post index: it reads only due rows and wakes at the earliest."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, timedelta

from bot.cards.model import Reply
from bot.daily.delivery import Outcome, Pacing
from bot.daily.scheduler import Limiters, Scheduler, post_and_plan
from bot.runtime.context import Context
from bot.runtime.poster import DeliveryError
from bot.store import DailyOptions, Place, SqlStore, Subscription

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


class ThreadingPoster(Poster):
    """Posts, and opens threads: the first attempt fails for now."""

    def __init__(self) -> None:
        super().__init__()
        self.thread_attempts = 0

    async def pin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        raise AssertionError("no pin asked for")

    async def unpin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        raise AssertionError("no unpin asked for")

    async def open_thread(
        self, workspace_id: str, channel_id: str, message_id: str, name: str, reply: Reply
    ) -> str:
        self.thread_attempts += 1
        if self.thread_attempts == 1:
            raise DeliveryError("Discord answered 503", permanent=False)
        return "t1"


async def test_a_thread_failed_for_now_keeps_the_row_due_a_minute_later(
    context: Context, store: SqlStore
) -> None:
    """Posted at 09:00 but its thread failed for now: due again at 09:01, where the thread is
    opened; only then is the row planned for tomorrow."""
    moments = {"now": NINE}
    ctx = dataclasses.replace(context, clock=lambda: moments["now"])
    place = Place("console", "w1", "c1")
    options = DailyOptions(thread=True)
    await store.subscribe(place, post_time="09:00", zone="UTC", by="u1", now=EIGHT, options=options)
    [sub] = await store.due_subscriptions(NINE, 10)
    poster = ThreadingPoster()
    limiter, pacing = Limiters(no_sleep)["console"], Pacing(no_sleep)
    first = await post_and_plan(ctx, {"console": poster}, limiter, sub, NINE.date(), pacing)
    assert first.outcome is Outcome.POSTED and poster.thread_attempts == 1
    assert await store.earliest_next_post(EIGHT) == NINE + timedelta(minutes=1)
    moments["now"] = NINE + timedelta(minutes=1)
    [sub] = await store.due_subscriptions(moments["now"], 10)
    again = await post_and_plan(ctx, {"console": poster}, limiter, sub, NINE.date(), pacing)
    assert again.outcome is Outcome.ALREADY_DONE and poster.thread_attempts == 2
    assert await store.earliest_next_post(EIGHT) == NINE + timedelta(days=1)
    assert poster.channels == ["c1"]


async def test_a_failing_plan_write_leaves_the_row_due_and_the_post_made(
    context: Context, store: SqlStore
) -> None:
    """The index write after a post fails: the post still counts as posted, the row stays
    due, and the next look moves it on."""
    ctx = dataclasses.replace(context, clock=lambda: NINE)
    place = Place("console", "w1", "c1")
    await store.subscribe(place, post_time="09:00", zone="UTC", by="u1", now=EIGHT)
    [sub] = await store.due_subscriptions(NINE, 10)
    original = store.set_next_post

    async def broken(*_args: object, **_kwargs: object) -> bool:
        raise RuntimeError("disk full")

    store.set_next_post = broken  # type: ignore[method-assign]
    poster = Poster()
    limiter, pacing = Limiters(no_sleep)["console"], Pacing(no_sleep)
    result = await post_and_plan(ctx, {"console": poster}, limiter, sub, NINE.date(), pacing)
    assert result.outcome is Outcome.POSTED
    assert [s.place.channel_id for s in await store.due_subscriptions(NINE, 10)] == ["c1"]
    store.set_next_post = original  # type: ignore[method-assign]
    again = await post_and_plan(ctx, {"console": poster}, limiter, sub, NINE.date(), pacing)
    assert again.outcome is Outcome.ALREADY_DONE and poster.channels == ["c1"]
    assert await store.due_subscriptions(NINE, 10) == []
    assert await store.earliest_next_post(NINE) == NINE + timedelta(days=1)
