"""The fan-out on a virtual clock: a few posts started at once, fair between workspaces, and
retries that give their room back."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

import pytest

from bot.daily.fanout import STARTED_PER_SLOT, Fanout, Ticket
from bot.daily.pacing import Limiter, Limits, Rate
from bot.daily.scheduler import Limiters, Outcome, Scheduler, post_due
from bot.runtime.context import Context
from bot.store import Place
from tests.daily.test_pacing import LimitedPoster
from tests.daily.virtual_clock import VirtualClock

NINE = datetime.fromisoformat("2026-11-20T09:00:00+00:00")
Start = Callable[[Ticket], Coroutine[Any, Any, str]]


class Posts:
    """Posts that wait for their moment in a limiter, then post on the virtual clock,
    counting how many are alive at once."""

    def __init__(self, clock: VirtualClock, limiter: Limiter) -> None:
        self.clock = clock
        self.limiter = limiter
        self.alive = 0
        self.most_alive = 0
        self.posted: list[tuple[float, str]] = []

    def post(self, place: Place) -> Start:
        """The start function of one post to `place`, as `Fanout.submit` takes it."""

        async def start(ticket: Ticket) -> str:
            self.alive += 1
            self.most_alive = max(self.most_alive, self.alive)
            try:
                await self.limiter.wait(place)
                self.clock.mark()
                self.posted.append((self.clock(), place.key))
                return place.key
            finally:
                self.alive -= 1

        return start


async def test_two_thousand_due_posts_start_a_few_at_a_time() -> None:
    """2,000 posts due at once, 4 concurrency slots: never more than 16 alive, all posted once,
    in order, at the bot's 50 a second."""
    clock = VirtualClock()
    limiter = Limiter(
        Limits(Rate(50, 1.0), None, None, concurrency=4), clock=clock, sleep=clock.sleep
    )
    fanout: Fanout[str] = Fanout(limiter)
    posts = Posts(clock, limiter)
    places = [Place("console", "w1", f"c{n:04}") for n in range(2000)]

    async def one_pass() -> list[str]:
        futures = [fanout.submit(p, posts.post(p), p.key) for p in places]
        assert (fanout.started, fanout.queued) == (16, 1984)
        return list(await asyncio.gather(*futures))

    room = 4 * STARTED_PER_SLOT
    assert await clock.run(one_pass(), actors=room) == [p.key for p in places]
    assert posts.most_alive == room
    assert [key for _, key in posts.posted] == [p.key for p in places]
    assert posts.posted[-1][0] == pytest.approx(1999 / 50)
    assert (fanout.started, fanout.queued) == (0, 0)


async def test_a_workspace_pacing_slowly_does_not_hold_back_another() -> None:
    """100 posts in a workspace allowed 1 a second, then 1 in another workspace: the other
    posts at once, not after the 100."""
    clock = VirtualClock()
    limits = Limits(None, Rate(1, 1.0), None, concurrency=1)
    limiter = Limiter(limits, clock=clock, sleep=clock.sleep)
    fanout: Fanout[str] = Fanout(limiter)
    posts = Posts(clock, limiter)
    busy = [Place("console", "busy", f"c{n:03}") for n in range(100)]
    other = Place("console", "other", "c1")

    async def one_pass() -> list[str]:
        futures = [fanout.submit(p, posts.post(p), p.key) for p in [*busy, other]]
        return list(await asyncio.gather(*futures))

    await clock.run(one_pass(), actors=STARTED_PER_SLOT)
    when = dict((key, moment) for moment, key in posts.posted)
    assert when[other.key] == 0.0
    assert [when[p.key] for p in busy] == [float(n) for n in range(100)]
    assert posts.most_alive == STARTED_PER_SLOT


async def test_a_cancelled_pass_drops_the_queued_posts_and_cancels_the_started() -> None:
    """Cancelling the outcomes of a pass: nothing queued starts, a started post is cancelled."""
    clock = VirtualClock()
    limiter = Limiter(Limits(None, None, None, concurrency=1), clock=clock, sleep=clock.sleep)
    fanout: Fanout[str] = Fanout(limiter, room=1)
    started: list[str] = []
    hold = asyncio.Event()

    def post(name: str) -> Start:
        async def start(ticket: Ticket) -> str:
            started.append(name)
            await hold.wait()
            return name

        return start

    places = [Place("console", "w1", name) for name in ("a", "b", "c")]
    futures = [fanout.submit(p, post(p.channel_id), p.key) for p in places]
    await asyncio.sleep(0)
    gathered = asyncio.gather(*futures)
    gathered.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gathered
    for _ in range(10):  # the cancellations run
        await asyncio.sleep(0)
    assert started == ["a"]
    assert (fanout.started, fanout.queued) == (0, 0)


def _live_posts() -> int:
    return sum(1 for task in asyncio.all_tasks() if task.get_name().startswith("specimen "))


async def test_channels_answering_429_give_their_room_back_to_the_others(
    context: Context,
) -> None:
    """Twelve channels answer 429 with Retry-After 20 s, more than the fan-out's room of 4: the
    twelve others still post at once, and each refused one 20 s later; while they wait, only
    the twelve retries and at most 4 others are alive."""
    ctx = dataclasses.replace(context, clock=lambda: NINE)
    slow = [f"r{n:02}" for n in range(12)]  # refused, and first in every order
    fast = [f"s{n:02}" for n in range(12)]
    for channel in slow + fast:
        place = Place("console", "w1", channel)
        await ctx.store.subscribe(
            place, post_time="09:00", zone="UTC", by="u1", now=NINE.replace(hour=8)
        )
    clock = VirtualClock()
    poster = LimitedPoster(clock, refuse={channel: 1 for channel in slow})
    most = 0

    async def counting_sleep(seconds: float) -> None:
        nonlocal most
        most = max(most, _live_posts())
        await clock.sleep(seconds)

    limits = {"console": Limits(None, None, None, concurrency=1)}
    limiters = Limiters(counting_sleep, clock, limits)
    results = await clock.run(
        post_due(ctx, {"console": poster}, NINE, counting_sleep, limiters=limiters),
        STARTED_PER_SLOT,
    )
    assert [r.outcome for r in results] == [Outcome.POSTED] * 24
    assert {c: poster.attempts[c] for c in fast} == {c: [0.0] for c in fast}
    assert {c: poster.attempts[c] for c in slow} == {c: [0.0, 20.0] for c in slow}
    assert most <= len(slow) + STARTED_PER_SLOT


async def test_a_scheduler_stopped_mid_pass_drops_the_posts_not_started(context: Context) -> None:
    """20 posts due at 1 a minute, room for 4: stopped after the first post, the 4 started
    give up at their moment and the 15 queued never start; nothing else is sent."""
    ctx = dataclasses.replace(context, clock=lambda: NINE)
    for n in range(20):
        place = Place("console", "w1", f"c{n:02}")
        await ctx.store.subscribe(
            place, post_time="09:00", zone="UTC", by="u1", now=NINE.replace(hour=8)
        )
    clock = VirtualClock()
    poster = LimitedPoster(clock)
    limits = {"console": Limits(Rate(1, 60.0), None, None, concurrency=1)}
    limiters = Limiters(clock.sleep, clock, limits)
    scheduler = Scheduler(ctx, {"console": poster}, clock.sleep, limiters)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stop))
    fanout = limiters.fanout("console")
    async with asyncio.timeout(5):
        await clock.wait_until(lambda: fanout.queued == 15)  # the first ended, a fifth started
    assert fanout.started == 4
    stop.set()
    await clock.run(task, actors=0)
    assert [moment for moment, _ in poster.posted] == [0.0]  # whichever booked first
    assert (fanout.started, fanout.queued) == (0, 0)
