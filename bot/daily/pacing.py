"""Paced delivery: each platform's published rate limits, learned facts, bounded concurrency.

Every post draws from up to three buckets: the whole bot (`global`), its workspace and its
channel. Before sending, a post reserves the first moment at which each of its buckets has
room, sleeps until then, and holds one of a few concurrency slots while its request is in
flight. A bucket follows the generic cell rate algorithm ("virtual scheduling"): with one
call every `interval` seconds and a burst of `burst`, a call may go at `t` once
`t >= tat - (burst - 1) * interval`, where `tat` is the bucket's theoretical arrival time.

What the platform says wins over what was published: a 429 or a bucket reported empty
pauses that bucket alone (`Limiter.learn`), and every later reservation in it waits for
the pause to end. Posts in other buckets go on.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.runtime.poster import RateFacts, RateReporting
from bot.store import Place

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


@dataclass(frozen=True)
class Rate:
    """`calls` per `per` seconds, of which `burst` may go back to back."""

    calls: int
    per: float
    burst: int = 1

    @property
    def interval(self) -> float:
        """Seconds between calls at the steady rate."""
        return self.per / self.calls


@dataclass(frozen=True)
class Limits:
    """A platform's limits for posting: the bot, each workspace, each channel, in flight."""

    bot: Rate | None
    workspace: Rate | None
    channel: Rate | None
    concurrency: int


# Discord: 50 requests/s for the whole bot ("global"); message creation is limited per
# channel, published only through X-RateLimit-* headers (5 per 5 s is what it answers today).
# Paced at 48/s so network jitter never packs 51 requests into one second.
DISCORD = Limits(bot=Rate(48, 1.0), workspace=None, channel=Rate(5, 5.0, burst=5), concurrency=16)
# Slack: chat.postMessage allows 1 message per second per channel (short bursts tolerated)
# and "several hundred per minute" per workspace and app: paced at 300 per minute.
SLACK = Limits(bot=None, workspace=Rate(300, 60.0, burst=10), channel=Rate(1, 1.0), concurrency=8)
UNLIMITED = Limits(bot=None, workspace=None, channel=None, concurrency=16)
PUBLISHED = {"discord": DISCORD, "slack": SLACK}


class Bucket:
    """One rate bucket: its steady rate, its next free moment, and any pause it is under."""

    __slots__ = ("paused_until", "rate", "tat")

    def __init__(self, rate: Rate | None) -> None:
        self.rate = rate
        self.tat = float("-inf")
        self.paused_until = float("-inf")

    def earliest(self) -> float:
        """The first moment a call may go through this bucket."""
        if self.rate is None:
            return self.paused_until
        tolerance = (self.rate.burst - 1) * self.rate.interval
        return max(self.tat - tolerance, self.paused_until)

    def take(self, moment: float) -> None:
        """Spend one call at `moment` (never earlier than `earliest()`)."""
        if self.rate is not None:
            self.tat = max(self.tat, moment) + self.rate.interval

    def pause(self, until: float) -> None:
        """Let no call through before `until`."""
        self.paused_until = max(self.paused_until, until)

    def busy(self, now: float) -> bool:
        """Whether a call is booked or a pause lasts beyond `now` (if not, the bucket acts
        as a new one would)."""
        return self.tat > now or self.paused_until > now


# channel buckets kept before the limiter first forgets the ones back to new
SWEEP_FROM = 1024


class Limiter:
    """One platform's pacing: buckets per scope, a pause per bucket, a bound on requests in flight.

    `clock` and `sleep` are injected (the event loop's time and `asyncio.sleep` by default),
    so tests and benchmarks run on a virtual clock.
    """

    def __init__(
        self,
        limits: Limits,
        *,
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self._clock = clock or asyncio.get_running_loop().time
        self._sleep = sleep
        self._bot = Bucket(limits.bot)
        self._workspaces: dict[str, Bucket] = {}
        self._channels: dict[str, Bucket] = {}
        self._sweep_at = SWEEP_FROM
        self._in_flight = asyncio.Semaphore(limits.concurrency)

    def buckets(self, place: Place) -> tuple[Bucket, Bucket, Bucket]:
        """The bot's, the workspace's and the channel's bucket for a post to `place`."""
        workspace = self._workspaces.get(place.workspace_key)
        if workspace is None:
            workspace = self._workspaces[place.workspace_key] = Bucket(self.limits.workspace)
        channel = self._channels.get(place.key)
        if channel is None:
            if len(self._channels) >= self._sweep_at:
                self._sweep()
            channel = self._channels[place.key] = Bucket(self.limits.channel)
        return self._bot, workspace, channel

    @property
    def channels_kept(self) -> int:
        """How many channel buckets the limiter holds now."""
        return len(self._channels)

    def _sweep(self) -> None:
        """Forget the channel buckets that act as new ones would, so that a pass over 10,000
        channels keeps only those that posted a moment ago (each sweep is paid for by at
        least as many new buckets as it keeps)."""
        now = self._clock()
        self._channels = {key: b for key, b in self._channels.items() if b.busy(now)}
        self._sweep_at = max(SWEEP_FROM, 2 * len(self._channels))

    def ready_at(self, place: Place) -> float:
        """The first moment a post to `place` could go, on the limiter's clock."""
        return max(self._clock(), *(bucket.earliest() for bucket in self.buckets(place)))

    def free_at(self, place: Place) -> float:
        """The first moment the workspace's and channel's buckets of `place` have room.

        The bot's bucket, which every post shares, and the clock are left out: the moment
        orders places against each other (`bot.daily.fanout`).
        """
        _, workspace, channel = self.buckets(place)
        return max(workspace.earliest(), channel.earliest())

    def delay(self, place: Place) -> float:
        """Seconds until a post to `place` could go."""
        return self.ready_at(place) - self._clock()

    def reserve(self, place: Place) -> float:
        """Book the first free moment in every bucket of `place`; return it."""
        moment = self.ready_at(place)
        for bucket in self.buckets(place):
            bucket.take(moment)
        return moment

    async def wait(self, place: Place) -> None:
        """Sleep until this post's booked moment; book again if a pause came in meanwhile."""
        moment = self.reserve(place)
        while True:
            delay = moment - self._clock()
            if delay > 0:
                await self._sleep(delay)
            paused = max(bucket.paused_until for bucket in self.buckets(place))
            if paused <= moment:
                return
            moment = self.reserve(place)

    @asynccontextmanager
    async def in_flight(self) -> AsyncIterator[None]:
        """Hold one of the platform's concurrency slots while a request is out."""
        async with self._in_flight:
            yield

    def heard(self, poster: object, place: Place) -> None:
        """Learn what `poster`'s latest answer in the channel of `place` said about its
        bucket, when the poster reports such facts (`RateReporting`)."""
        if isinstance(poster, RateReporting):
            facts = poster.rate_facts(place.channel_id)
            if facts is not None:
                self.learn(place, facts)

    def learn(self, place: Place, facts: RateFacts) -> None:
        """Apply what the platform said about a post to `place` to the bucket it names."""
        bot, workspace, channel = self.buckets(place)
        bucket = {"global": bot, "workspace": workspace, "channel": channel}[facts.scope]
        now = self._clock()
        if facts.retry_after is not None:
            bucket.pause(now + facts.retry_after)
        elif facts.remaining == 0 and facts.reset_after is not None:
            bucket.pause(now + facts.reset_after)
