"""Post every specimen of the day that is due, exactly once, and sleep until the next one.

Exactly once: a post is planned and then claimed for (channel, local date) under a unique
key before it is sent, and its message id recorded after. Another instance, or this one
after a restart, finds the claim and does not post again. A claim whose send never
finished is taken over once it is older than `STALE_CLAIM`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from bot.cards.model import Reply
from bot.daily.specimen import STALE_CLAIM, due_dates, moment_after, plan_specimen, specimen_reply
from bot.runtime import metrics
from bot.runtime.context import Context
from bot.runtime.poster import DeliveryError, Poster
from bot.store import Place, Subscription

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
RETRY_DELAYS = (2.0, 8.0, 30.0)
RECORD_RETRY_DELAYS = (1.0, 4.0)
# each attempt is bounded so that all of them end well before a claim goes stale
ATTEMPT_TIMEOUT = timedelta(seconds=60)
RETRY_LATER = timedelta(minutes=1)
LONGEST_NAP = timedelta(hours=1)


class Outcome(Enum):
    """What one due post came to."""

    POSTED = "posted"
    ALREADY_DONE = "already done"
    NO_PLATFORM = "platform not connected"
    PAUSED = "paused"
    FAILED = "failed, will retry"
    WOULD_POST = "would post"


# outcomes that count as a daily post made or failed in the metrics
COUNTED = frozenset({Outcome.POSTED, Outcome.FAILED, Outcome.PAUSED})


@dataclass(frozen=True)
class Pacing:
    """How a pass waits between retries, and whether it should give up early (shutdown)."""

    sleep: Sleep = asyncio.sleep
    stop: asyncio.Event | None = None

    def stopping(self) -> bool:
        """Whether the bot is shutting down, so no further retry should start."""
        return self.stop is not None and self.stop.is_set()


@dataclass(frozen=True)
class PostResult:
    """One channel's outcome in a pass."""

    channel: str
    local_date: date
    outcome: Outcome
    detail: str = ""


async def post_due(
    context: Context,
    posters: Mapping[str, Poster],
    now: datetime,
    sleep: Sleep = asyncio.sleep,
    stop: asyncio.Event | None = None,
) -> list[PostResult]:
    """One pass: post every due or missed specimen of today; channels never wait on each other."""
    pacing = Pacing(sleep, stop)
    subs = await context.store.subscriptions()
    due = [(sub, day) for sub in subs for day in due_dates(sub, now)]
    results = list(
        await asyncio.gather(
            *(_post_one(context, posters, sub, day, now, pacing) for sub, day in due)
        )
    )
    for (sub, _), result in zip(due, results, strict=True):
        if result.outcome in COUNTED:
            metrics.count_daily_post(sub.place.platform, posted=result.outcome is Outcome.POSTED)
    return results


async def plan_due(context: Context, platforms: Collection[str], now: datetime) -> list[PostResult]:
    """What `post_due` would do at `now`, reading only: nothing is claimed, sent or recorded."""
    results = []
    for sub in await context.store.subscriptions():
        for day in due_dates(sub, now):
            existing = await context.store.daily(sub.place, day)
            if existing is not None and existing.message_id is not None:
                outcome, detail = Outcome.ALREADY_DONE, existing.role_id
            elif sub.place.platform not in platforms:
                outcome, detail = Outcome.NO_PLATFORM, ""
            else:
                planned = existing.role_id if existing else "the channel's next specimen"
                outcome, detail = Outcome.WOULD_POST, planned
            results.append(PostResult(sub.place.key, day, outcome, detail))
    return results


async def _post_one(
    context: Context,
    posters: Mapping[str, Poster],
    sub: Subscription,
    day: date,
    now: datetime,
    pacing: Pacing,
) -> PostResult:
    """One channel's post; whatever goes wrong stays in this channel and is retried later."""
    try:
        return await _deliver(context, posters, sub, day, now, pacing)
    except Exception:
        log.exception("specimen for %s failed unexpectedly", sub.place.key)
        metrics.count_error(sub.place.platform, "daily")
        return PostResult(sub.place.key, day, Outcome.FAILED, "unexpected error")


async def _deliver(
    context: Context,
    posters: Mapping[str, Poster],
    sub: Subscription,
    day: date,
    now: datetime,
    pacing: Pacing,
) -> PostResult:
    place = sub.place
    existing = await context.store.daily(place, day)
    if existing is not None and existing.message_id is not None:
        return PostResult(place.key, day, Outcome.ALREADY_DONE)
    poster = posters.get(place.platform)
    if poster is None:
        return PostResult(place.key, day, Outcome.NO_PLATFORM)
    role = await plan_specimen(context, place, day)
    if role is None or not await context.store.claim_daily(place, day, now, now - STALE_CLAIM):
        return PostResult(place.key, day, Outcome.ALREADY_DONE)
    try:
        reply = await specimen_reply(context, place, role, day)
        message_id = await _send(poster, place, reply, pacing)
    except DeliveryError as exc:
        await context.store.release_daily(place, day)
        if not exc.permanent:
            return PostResult(place.key, day, Outcome.FAILED, exc.reason)
        await context.store.pause(place, exc.reason, context.clock())
        log.warning("specimen for %s paused: %s", place.key, exc.reason)
        return PostResult(place.key, day, Outcome.PAUSED, exc.reason)
    except BaseException:
        await context.store.release_daily(place, day)
        raise
    await _record(context, place, day, message_id, pacing)
    log.info("specimen for %s posted: %s (%s)", place.key, role.id, message_id)
    return PostResult(place.key, day, Outcome.POSTED, role.id)


async def _send(poster: Poster, place: Place, reply: Reply, pacing: Pacing) -> str:
    """Post with bounded attempts and backoff; raise the last `DeliveryError`."""
    for attempt, delay in enumerate((*RETRY_DELAYS, None), 1):
        try:
            async with asyncio.timeout(ATTEMPT_TIMEOUT.total_seconds()):
                return await poster.post(place.workspace_id, place.channel_id, reply)
        except TimeoutError:
            error = DeliveryError("the platform did not answer in time", permanent=False)
        except DeliveryError as exc:
            if exc.permanent:
                raise
            error = exc
        log.info("specimen for %s failed (attempt %d): %s", place.key, attempt, error.reason)
        if delay is None or pacing.stopping():
            raise error
        await pacing.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


async def _record(
    context: Context, place: Place, day: date, message_id: str, pacing: Pacing
) -> None:
    """Record a sent post, retrying a little.

    If it still fails, the claim is kept: no pass re-sends the post until the claim goes
    stale (`STALE_CLAIM`); after that, a database still refusing writes cannot be told
    apart from a crash between claim and send, and the post may go out a second time.
    """
    for delay in (*RECORD_RETRY_DELAYS, None):
        try:
            await context.store.record_daily(place, day, message_id, context.clock())
            return
        except Exception:
            if delay is None:
                log.exception("posted %s to %s but could not record it", message_id, place.key)
                return
            await pacing.sleep(delay)


async def next_wake(context: Context, now: datetime, results: list[PostResult]) -> datetime:
    """When the scheduler should look again: the earliest next post, or soon after a failure."""
    candidates = [now + LONGEST_NAP]
    if any(r.outcome in (Outcome.FAILED, Outcome.NO_PLATFORM) for r in results):
        candidates.append(now + RETRY_LATER)
    candidates += [
        moment_after(sub, now)
        for sub in await context.store.subscriptions()
        if sub.paused_reason is None
    ]
    return min(candidates)


class Scheduler:
    """Runs `post_due` whenever something is due, sleeping in between (no busy polling).

    A change of subscriptions (`context.schedule_changed`) wakes it at once.
    """

    def __init__(self, context: Context, posters: Mapping[str, Poster], sleep: Sleep | None = None):
        self._context = context
        self._posters = posters
        self._sleep = sleep

    async def run(self, stop: asyncio.Event) -> None:
        """Post and sleep until `stop` is set; a failing pass is logged and tried again later."""
        changed = self._context.schedule_changed

        async def nap(seconds: float) -> None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)

        while not stop.is_set():
            changed.clear()
            now = self._context.clock()
            try:
                results = await post_due(
                    self._context, self._posters, now, self._sleep or nap, stop
                )
                wake = await next_wake(self._context, now, results)
            except Exception:
                log.exception("the specimen scheduler's pass failed; trying again in a minute")
                metrics.count_error("scheduler", "daily")
                wake = now + RETRY_LATER
            timeout = max(1.0, (wake - self._context.clock()).total_seconds())
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(changed.wait())]
            try:
                await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waiters:
                    waiter.cancel()
