"""Paced delivery on a virtual clock: buckets, 429 pauses, spreading, channels independent."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import defaultdict
from datetime import date, datetime
from typing import Any

import pytest

from bot.cards.model import Reply
from bot.commands.registry import dispatch
from bot.daily.fanout import STARTED_PER_SLOT
from bot.daily.pacing import SWEEP_FROM, Limiter, Limits, Rate
from bot.daily.scheduler import Limiters, Outcome, Scheduler, post_due
from bot.runtime.context import Context
from bot.runtime.poster import DeliveryError, RateFacts
from bot.store import DailyPost, Place, Store
from tests.conftest import invocation
from tests.daily.virtual_clock import VirtualClock

NINE = datetime.fromisoformat("2026-11-20T09:00:00+00:00")
RETRY_AFTER = 20.0


def place(channel: str) -> Place:
    """A console channel in workspace w1."""
    return Place("console", "w1", channel)


class RecordingSleep:
    """A sleep that records each wait and moves a plain clock by it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


class LimitedPoster:
    """A platform that enforces `per_window` posts in any `window` seconds, per channel
    `channel_gap` seconds apart, and answers 429 (with Retry-After) when either is broken,
    or when told to (`refuse`)."""

    platform = "console"

    def __init__(
        self,
        clock: VirtualClock,
        *,
        per_window: int = 1000,
        window: float = 60.0,
        refuse: dict[str, int] | None = None,
        retry_after: float = RETRY_AFTER,
    ) -> None:
        self.clock = clock
        self.retry_after = retry_after
        self.per_window = per_window
        self.window = window
        self.refuse = dict(refuse or {})
        self.attempts: dict[str, list[float]] = defaultdict(list)
        self.posted: list[tuple[float, str]] = []
        self.refused = 0

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        now = self.clock()
        self.attempts[channel_id].append(now)
        self.clock.mark()
        recent = [t for t, _ in self.posted if t > now - self.window]
        if self.refuse.get(channel_id, 0) > 0 or len(recent) >= self.per_window:
            self.refuse[channel_id] = self.refuse.get(channel_id, 0) - 1
            self.refused += 1
            facts = RateFacts("channel", retry_after=self.retry_after)
            raise DeliveryError("429 rate limited", permanent=False, rate=facts)
        self.posted.append((now, channel_id))
        return f"m{len(self.posted)}"


async def subscribe(ctx: Context, channel: str, time: str = "09:00") -> None:
    await dispatch(
        dataclasses.replace(ctx, clock=lambda: NINE.replace(hour=8)),
        invocation("specimen", "subscribe", admin=True, channel=channel, time=time, zone="UTC"),
    )


async def test_a_429_pauses_exactly_the_bucket_it_names() -> None:
    """After a channel's 429, that channel waits its Retry-After; another channel and the
    workspace wait for nothing but the steady rate."""
    sleep = RecordingSleep()
    limits = Limits(bot=Rate(50, 1.0), workspace=Rate(10, 1.0), channel=Rate(1, 1.0), concurrency=4)
    limiter = Limiter(limits, clock=sleep.clock, sleep=sleep)
    slow, fast = place("slow"), place("fast")
    await limiter.wait(slow)
    limiter.learn(slow, RateFacts("channel", retry_after=RETRY_AFTER))
    await limiter.wait(fast)
    assert sleep.waits == [pytest.approx(0.1)]  # the workspace's 10/s, nothing of the 20 s
    await limiter.wait(slow)
    assert sleep.waits[1:] == [pytest.approx(RETRY_AFTER - 0.1)]
    assert sleep.now == pytest.approx(RETRY_AFTER)
    limiter.learn(fast, RateFacts("global", retry_after=5.0))
    assert limiter.ready_at(slow) == limiter.ready_at(fast) == pytest.approx(RETRY_AFTER + 5.0)


async def test_a_limiter_forgets_the_channels_back_to_new_but_not_a_pause() -> None:
    """2,000 channels post once a second apart: the limiter keeps a few buckets, not 2,000;
    a channel paused past the end still waits it out, one that just posted its interval."""
    sleep = RecordingSleep()
    limiter = Limiter(Limits(Rate(1, 1.0), None, Rate(1, 10.0), 1), clock=sleep.clock, sleep=sleep)
    limiter.learn(place("paused"), RateFacts("channel", retry_after=5000.0))
    for n in range(2000):
        await limiter.wait(place(f"c{n:04}"))
    assert sleep.now == 1999.0
    assert limiter.channels_kept <= SWEEP_FROM
    assert limiter.delay(place("paused")) == pytest.approx(5000.0 - 1999.0)
    assert limiter.delay(place("c1999")) == pytest.approx(10.0)
    assert limiter.delay(place("c0000")) == pytest.approx(1.0)  # the bot's rate only


async def test_a_bucket_reported_empty_waits_for_its_reset() -> None:
    """X-RateLimit-Remaining 0 with Reset-After 3: the next post there waits 3 s, others none."""
    sleep = RecordingSleep()
    limiter = Limiter(Limits(None, None, None, concurrency=1), clock=sleep.clock, sleep=sleep)
    limiter.learn(place("a"), RateFacts("channel", remaining=0, reset_after=3.0))
    limiter.learn(place("b"), RateFacts("channel", remaining=2, reset_after=3.0))
    await limiter.wait(place("b"))
    await limiter.wait(place("a"))
    assert sleep.waits == [3.0]


async def test_a_429_in_a_pass_waits_for_that_channel_only(context: Context) -> None:
    """The fake refuses one channel once: its retry goes out Retry-After later, exactly; the
    other channel posts at once, never waiting on it."""
    ctx = dataclasses.replace(context, clock=lambda: NINE)
    for channel in ("fast", "slow"):
        await subscribe(ctx, channel)
    clock = VirtualClock()
    poster = LimitedPoster(clock, refuse={"slow": 1})
    limits = {"console": Limits(None, None, Rate(1, 1.0), concurrency=4)}
    limiters = Limiters(clock.sleep, clock, limits)
    results = await clock.run(
        post_due(ctx, {"console": poster}, NINE, clock.sleep, limiters=limiters), actors=2
    )
    assert [r.outcome for r in results] == [Outcome.POSTED, Outcome.POSTED]
    assert poster.attempts == {"fast": [0.0], "slow": [0.0, RETRY_AFTER]}
    assert poster.refused == 1


async def test_more_posts_than_a_minute_allows_are_spread_without_a_429(context: Context) -> None:
    """25 channels due at once against 10 posts a minute: all go out, none refused."""
    ctx = dataclasses.replace(context, clock=lambda: NINE)
    channels = [f"c{n:02}" for n in range(25)]
    for channel in channels:
        await subscribe(ctx, channel)
    clock = VirtualClock()
    poster = LimitedPoster(clock, per_window=10, window=60.0)
    limits = {"console": Limits(Rate(10, 60.0), None, None, concurrency=4)}
    limiters = Limiters(clock.sleep, clock, limits)
    started = 4 * STARTED_PER_SLOT  # the fan-out starts 16 at first, the rest as they end
    results = await clock.run(
        post_due(ctx, {"console": poster}, NINE, clock.sleep, limiters=limiters), started
    )
    assert [r.outcome for r in results] == [Outcome.POSTED] * 25
    assert poster.refused == 0
    assert sorted(channel for _, channel in poster.posted) == channels


async def test_one_channels_long_retry_after_does_not_hold_back_the_next_post(
    context: Context,
) -> None:
    """A channel due at 09:00 waits out a 20 s Retry-After; one due at 09:01 posts on time."""
    moments = {"now": NINE}
    ctx = dataclasses.replace(context, clock=lambda: moments["now"])
    await subscribe(ctx, "slow", "09:00")
    await subscribe(ctx, "next", "09:01")
    clock = VirtualClock()
    poster = LimitedPoster(clock, refuse={"slow": 1})
    limits = {"console": Limits(None, None, None, concurrency=4)}
    stop = asyncio.Event()
    scheduler = Scheduler(
        ctx, {"console": poster}, clock.sleep, Limiters(clock.sleep, clock, limits)
    )
    task = asyncio.create_task(scheduler.run(stop))
    async with asyncio.timeout(5):
        await clock.wait_until(lambda: clock.events >= 2)  # slow refused, sleeping it out
        moments["now"] = NINE.replace(minute=1)  # the scheduler's wake for 09:01
        ctx.schedule_changed.set()
        await clock.wait_until(lambda: bool(poster.posted))
    assert poster.posted == [(0.0, "next")]
    assert poster.attempts["slow"] == [0.0]  # still waiting: it held nothing back
    stop.set()
    await clock.run(task, actors=0)
    assert [channel for _, channel in poster.posted] == ["next", "slow"]


async def test_a_failed_post_whose_date_is_over_no_longer_wakes_the_scheduler(
    context: Context,
) -> None:
    """Failed at 23:59 and not retried before midnight: the next look lies ahead, not at a
    retry moment already past (which would wake the scheduler every second)."""
    moments = {"now": NINE.replace(hour=23, minute=59, second=30)}
    ctx = dataclasses.replace(context, clock=lambda: moments["now"])
    await subscribe(ctx, "late", "23:59")
    clock = VirtualClock()
    poster = LimitedPoster(clock)

    async def failing(workspace_id: str, channel_id: str, reply: Reply) -> str:
        raise DeliveryError("Slack answered 503", permanent=False)

    poster.post = failing  # type: ignore[method-assign]

    async def no_sleep(_seconds: float) -> None:
        """Backoff without waiting."""

    scheduler = Scheduler(ctx, {"console": poster}, no_sleep)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stop))
    async with asyncio.timeout(5):
        while scheduler.next_look is None or scheduler.next_look.minute != 0:
            scheduler.looked.clear()  # the look after the failure: a retry at 00:00:30
            await scheduler.looked.wait()
        moments["now"] = NINE.replace(day=21, hour=0, minute=10)
        scheduler.looked.clear()
        ctx.schedule_changed.set()
        await scheduler.looked.wait()
    stop.set()
    await task
    assert scheduler.next_look is not None and scheduler.next_look > moments["now"]


async def test_a_retry_after_longer_than_the_send_budget_gives_the_claim_back(
    context: Context,
) -> None:
    """A 429 asking for 10 minutes is not slept out holding the claim: the post fails at
    once, released for a later pass, and nothing waits."""
    ctx = dataclasses.replace(context, clock=lambda: NINE)
    await subscribe(ctx, "slow")
    clock = VirtualClock()
    poster = LimitedPoster(clock, refuse={"slow": 1}, retry_after=600.0)
    limiters = Limiters(clock.sleep, clock, {"console": Limits(None, None, None, 4)})
    results = await clock.run(
        post_due(ctx, {"console": poster}, NINE, clock.sleep, limiters=limiters), actors=1
    )
    assert [r.outcome for r in results] == [Outcome.FAILED]
    assert poster.attempts == {"slow": [0.0]} and clock.now == 0.0
    daily = await ctx.store.daily(place("slow"), NINE.date())
    assert daily is not None and daily.claimed_at is None


class HeldReads:
    """A store whose `daily` reads wait until released, counting how many are out at once."""

    def __init__(self, store: Store, enough: int) -> None:
        self._store = store
        self._enough = enough
        self.out = 0
        self.most = 0
        self.reached = asyncio.Event()
        self.release = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def daily(self, place: Place, local_date: date) -> DailyPost | None:
        self.out += 1
        self.most = max(self.most, self.out)
        if self.out >= self._enough:
            self.reached.set()
        try:
            await self.release.wait()
            return await self._store.daily(place, local_date)
        finally:
            self.out -= 1


async def test_a_pass_lets_only_a_few_posts_read_the_store_before_booking(
    context: Context,
) -> None:
    """40 posts due at once, 2 concurrency slots: 8 read the store, the other 32 wait their turn
    (10,000 queued reads at once cost 120 MiB more at the peak in bench/fanout.py)."""
    ctx = dataclasses.replace(context, clock=lambda: NINE)
    for n in range(40):
        await subscribe(ctx, f"c{n:02}")
    bound = 2 * STARTED_PER_SLOT
    held = HeldReads(ctx.store, bound)
    ctx = dataclasses.replace(ctx, store=held)  # type: ignore[arg-type]
    clock = VirtualClock()
    poster = LimitedPoster(clock)
    limiters = Limiters(clock.sleep, clock, {"console": Limits(None, None, None, concurrency=2)})
    task = asyncio.ensure_future(
        clock.run(post_due(ctx, {"console": poster}, NINE, clock.sleep, limiters=limiters), 0)
    )
    await held.reached.wait()
    for _ in range(20):  # every other post runs to where it waits: the store, or its turn
        await asyncio.sleep(0)
    assert (held.out, held.most) == (bound, bound)
    held.release.set()
    results = await task
    assert [r.outcome for r in results] == [Outcome.POSTED] * 40
    assert len(poster.posted) == 40
