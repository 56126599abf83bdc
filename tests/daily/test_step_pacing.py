"""Pin, unpin and thread requests are paced like the post: on a virtual clock, a pass whose
steps would break the platform's limit spreads them without a 429, and a step's 429 pauses
the bucket it names."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from bot.commands.registry import dispatch
from bot.daily.pacing import Limiter, Limits, Rate
from bot.daily.scheduler import Limiters, Outcome, post_due
from bot.daily.steps import Posted, finish_steps
from bot.runtime.context import Context
from bot.runtime.poster import DeliveryError, RateFacts
from tests.conftest import invocation
from tests.daily.test_pacing import RETRY_AFTER, LimitedPoster, RecordingSleep, place
from tests.daily.virtual_clock import VirtualClock

NINE = datetime.fromisoformat("2026-11-20T09:00:00+00:00")


class LimitedStepPoster(LimitedPoster):
    """The limited platform of test_pacing, which also pins, unpins and opens threads; every
    request counts against the same window (`posted` holds them all) and may be refused
    with a 429."""

    def __init__(self, clock: VirtualClock, **limits: object) -> None:
        super().__init__(clock, **limits)  # type: ignore[arg-type]
        self.steps: list[tuple[float, str, str]] = []

    async def _request(self, what: str, channel_id: str) -> None:
        await self.post("w1", channel_id, None)  # type: ignore[arg-type]
        self.steps.append((self.clock(), what, channel_id))

    async def pin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        await self._request("pin", channel_id)

    async def unpin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        await self._request("unpin", channel_id)

    async def open_thread(
        self, workspace_id: str, channel_id: str, message_id: str, name: str, reply: object
    ) -> str:
        await self._request("thread", channel_id)
        return f"t-{channel_id}"


async def subscribe_with_steps(ctx: Context, channel: str) -> None:
    await dispatch(
        dataclasses.replace(ctx, clock=lambda: NINE.replace(hour=8)),
        invocation(
            "specimen",
            "subscribe",
            admin=True,
            channel=channel,
            time="09:00",
            zone="UTC",
            pin="yes",
            thread="yes",
        ),
    )


async def test_a_pass_spreads_its_steps_within_the_limit_without_a_429(context: Context) -> None:
    """8 channels, each a post, a pin and a thread (24 requests), against 10 requests a
    minute: every post and step is done and the platform refuses none."""
    ctx = dataclasses.replace(context, clock=lambda: NINE)
    channels = [f"c{n}" for n in range(8)]
    for channel in channels:
        await subscribe_with_steps(ctx, channel)
    clock = VirtualClock()
    poster = LimitedStepPoster(clock, per_window=10, window=60.0)
    limiters = Limiters(clock.sleep, clock, {"console": Limits(Rate(10, 60.0), None, None, 4)})
    results = await clock.run(
        post_due(ctx, {"console": poster}, NINE, clock.sleep, limiters=limiters), actors=8
    )
    assert [r.outcome for r in results] == [Outcome.POSTED] * 8
    assert poster.refused == 0
    assert sorted((what, channel) for _, what, channel in poster.steps) == sorted(
        [("pin", c) for c in channels] + [("thread", c) for c in channels]
    )
    for channel in channels:
        steps = await ctx.store.daily_steps(place(channel), NINE.date())
        # nothing was pinned before: the unpin is done without a request
        assert {name for name, step in steps.items() if step.failure is None} == {
            "pin",
            "unpin",
            "thread",
        }


async def test_a_steps_429_pauses_its_channel_for_the_retry_after(context: Context) -> None:
    """The platform refuses one channel's pin with Retry-After 20: the pin is left for the
    next pass and that channel's thread waits the 20 s; another channel's steps, done next,
    wait for nothing."""
    ctx = dataclasses.replace(context, clock=lambda: NINE)
    for channel in ("fast", "slow"):
        await subscribe_with_steps(ctx, channel)
    sleep = RecordingSleep()
    poster = LimitedStepPoster(VirtualClock())
    refusing = poster.pin

    async def refuse_slow_pin(workspace_id: str, channel_id: str, message_id: str) -> None:
        if channel_id == "slow":
            facts = RateFacts("channel", retry_after=RETRY_AFTER)
            raise DeliveryError("429 rate limited", permanent=False, rate=facts)
        await refusing(workspace_id, channel_id, message_id)

    poster.pin = refuse_slow_pin  # type: ignore[method-assign]
    limiter = Limiter(Limits(None, None, None, 4), clock=sleep.clock, sleep=sleep)
    subs = {sub.place.channel_id: sub for sub in await ctx.store.subscriptions()}
    for channel in ("slow", "fast"):
        posted = Posted(subs[channel], NINE.date(), f"m-{channel}", "sdet")
        await finish_steps(ctx, poster, posted, limiter)
        if channel == "slow":
            assert sleep.waits == [RETRY_AFTER]  # its thread waited out the pin's 429
    assert sleep.waits == [RETRY_AFTER]  # the other channel's steps waited for nothing
    assert [(what, channel) for _, what, channel in poster.steps] == [
        ("thread", "slow"),
        ("pin", "fast"),
        ("thread", "fast"),
    ]
    slow = await ctx.store.daily_steps(place("slow"), NINE.date())
    assert set(slow) == {"thread"}  # the pin was refused for now: the next pass does it
