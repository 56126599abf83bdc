"""Deliver one channel's specimen of the day: paced, claimed, sent, recorded, exactly once.

A post first waits for its moment in the platform's `Limiter` (so a claim never ages in a
queue), then claims (channel, local date) under a unique key, sends, and records the
message id. Whatever goes wrong stays in that channel: retries pause only the bucket the
platform named, and never hold a concurrency slot, nor the post's room in its fan-out
(`bot.daily.fanout.Ticket`), while they wait.

Taking over a stale claim (the instance that made it died between send and record), a
`DailyPoster` is told since when the first send may have landed, and looks for it before
posting again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from bot.cards.model import Quote, Reply
from bot.daily.fanout import UNCOUNTED, Ticket
from bot.daily.pacing import Limiter
from bot.daily.specimen import STALE_CLAIM, daily_post_reply, plan_specimen
from bot.daily.steps import Posted, finish_steps
from bot.runtime import metrics
from bot.runtime.context import Context
from bot.runtime.poster import DailyMark, DailyPoster, DeliveryError, Poster
from bot.store import Place, StoreError, Subscription

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
RETRY_DELAYS = (2.0, 8.0, 30.0)
RECORD_RETRY_DELAYS = (1.0, 4.0)
# each attempt is bounded, and no retry starts after SEND_BUDGET, so that a claim is always
# recorded or released well before it goes stale
ATTEMPT_TIMEOUT = timedelta(seconds=60)
SEND_BUDGET = STALE_CLAIM / 2


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
    """How a post waits between retries, and whether it should give up early (shutdown)."""

    sleep: Sleep = asyncio.sleep
    stop: asyncio.Event | None = None

    def stopping(self) -> bool:
        """Whether the bot is shutting down, so no further retry should start."""
        return self.stop is not None and self.stop.is_set()


@dataclass(frozen=True, slots=True)
class PostResult:
    """One channel's outcome in a pass (slotted: a pass keeps 10,000 of them to report)."""

    channel: str
    local_date: date
    outcome: Outcome
    detail: str = ""


async def post_one(
    context: Context,
    posters: Mapping[str, Poster],
    limiter: Limiter,
    sub: Subscription,
    day: date,
    pacing: Pacing,
    ticket: Ticket = UNCOUNTED,
) -> PostResult:
    """One channel's post; whatever goes wrong stays in this channel and is retried later.

    `ticket` is the post's room in its fan-out, given back before any wait to try again.
    """
    try:
        result = await _deliver(context, posters, limiter, sub, day, pacing, ticket)
    except StoreError as exc:
        log.warning("specimen for %s not posted now: %s", sub.place.key, exc)
        metrics.count_error(sub.place.platform, "store")
        result = PostResult(sub.place.key, day, Outcome.FAILED, str(exc))
    except Exception:
        log.exception("specimen for %s failed unexpectedly", sub.place.key)
        metrics.count_error(sub.place.platform, "daily")
        result = PostResult(sub.place.key, day, Outcome.FAILED, "unexpected error")
    if result.outcome in COUNTED:
        metrics.count_daily_post(sub.place.platform, posted=result.outcome is Outcome.POSTED)
    return result


async def _deliver(
    context: Context,
    posters: Mapping[str, Poster],
    limiter: Limiter,
    sub: Subscription,
    day: date,
    pacing: Pacing,
    ticket: Ticket,
) -> PostResult:
    place = sub.place
    existing = await context.store.daily(place, day)
    poster = posters.get(place.platform)
    if existing is not None and existing.message_id is not None:
        if poster is not None:
            # a crash may have come between the post and its steps: finish them
            posted = Posted(sub, day, existing.message_id, existing.role_id)
            await finish_steps(context, poster, posted, limiter)
        return PostResult(place.key, day, Outcome.ALREADY_DONE)
    if poster is None:
        return PostResult(place.key, day, Outcome.NO_PLATFORM)
    await limiter.wait(place)
    if pacing.stopping():
        return PostResult(place.key, day, Outcome.FAILED, "shutting down")
    role = await plan_specimen(context, place, day)
    # read again just before claiming: a claim found here and taken over is a stale one
    existing = await context.store.daily(place, day)
    now = context.clock()
    if role is None or not await context.store.claim_daily(place, day, now, now - STALE_CLAIM):
        return PostResult(place.key, day, Outcome.ALREADY_DONE)
    since = existing.claimed_at if existing is not None else None
    attempt = Attempt(poster, limiter, ticket, place, DailyMark(place.key, day), since, now)
    try:
        reply = await daily_post_reply(context, place, role, day, sub.options.ping)
        message_id = await _send(attempt, reply, context, pacing)
    except DeliveryError as exc:
        if not exc.permanent and attempt.unanswered:
            # the last send may have landed: keep the claim, so that whoever takes it over
            # once it is stale looks for the post before sending it again
            return PostResult(place.key, day, Outcome.FAILED, f"{exc.reason}; claim kept")
        await context.store.release_daily(place, day, now)
        if not exc.permanent:
            return PostResult(place.key, day, Outcome.FAILED, exc.reason)
        await context.store.pause(place, exc.reason, context.clock())
        log.warning("specimen for %s paused: %s", place.key, exc.reason)
        return PostResult(place.key, day, Outcome.PAUSED, exc.reason)
    except BaseException:
        # cancelled (shutdown) while a send was out: it may have landed, so keep the claim
        if not attempt.unanswered:
            await context.store.release_daily(place, day, now)
        raise
    if not await _record(context, place, day, message_id, reply.cards[0].quote, pacing):
        # unrecorded, the steps would be tied to a post the store does not know of
        return PostResult(place.key, day, Outcome.POSTED, role.id)
    log.info("specimen for %s posted: %s (%s)", place.key, role.id, message_id)
    await finish_steps(context, poster, Posted(sub, day, message_id, role.id), limiter)
    return PostResult(place.key, day, Outcome.POSTED, role.id)


@dataclass
class Attempt:
    """One claimed post on its way: where it goes, how it is marked, since when it may exist."""

    poster: Poster
    limiter: Limiter
    ticket: Ticket
    place: Place
    mark: DailyMark
    since: datetime | None
    claimed_at: datetime
    # a send is out with no answer yet (or its answer was lost): it may have landed
    unanswered: bool = False

    async def post(self, reply: Reply) -> str:
        """Send once, tagged with the mark when the poster can tag."""
        place = self.place
        if isinstance(self.poster, DailyPoster):
            message_id = await self.poster.post_daily(
                place.workspace_id, place.channel_id, reply, self.mark, self.since
            )
        else:
            message_id = await self.poster.post(place.workspace_id, place.channel_id, reply)
        self.limiter.heard(self.poster, place)
        return message_id


async def _send(attempt: Attempt, reply: Reply, context: Context, pacing: Pacing) -> str:
    """Post with bounded attempts; raise the last `DeliveryError`.

    A rate-limited attempt teaches the limiter, and the next one waits for the bucket the
    platform named; any other transient failure backs off by `RETRY_DELAYS`. No retry
    starts that would begin after `SEND_BUDGET` has passed since the claim. A post about to
    wait for a retry gives its ticket back, so the next queued post starts meanwhile.
    """
    place = attempt.place
    for number, delay in enumerate((*RETRY_DELAYS, None), 1):
        if number > 1:
            await attempt.limiter.wait(place)
        try:
            async with (
                attempt.limiter.in_flight(),
                asyncio.timeout(ATTEMPT_TIMEOUT.total_seconds()),
            ):
                attempt.unanswered = True
                message_id = await attempt.post(reply)
                attempt.unanswered = False
                return message_id
        except TimeoutError:
            error = DeliveryError("the platform did not answer in time", permanent=False)
            # the send may have landed all the same: look before posting again
            attempt.since = attempt.since or attempt.claimed_at
        except DeliveryError as exc:
            attempt.unanswered = False
            if exc.permanent:
                raise
            error = exc
        except Exception:
            attempt.unanswered = False
            raise
        log.info("specimen for %s failed (attempt %d): %s", place.key, number, error.reason)
        if error.rate is not None:
            attempt.limiter.learn(place, error.rate)
        left = (SEND_BUDGET - (context.clock() - attempt.claimed_at)).total_seconds()
        wait = attempt.limiter.delay(place) if error.rate is not None else delay or 0.0
        if delay is None or pacing.stopping() or wait > left:
            raise error
        attempt.ticket.release()
        if error.rate is None:
            await pacing.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


async def _record(
    context: Context, place: Place, day: date, message_id: str, quote: Quote | None, pacing: Pacing
) -> bool:
    """Record a sent post and the quote it showed (so a vote redraws the same card), retrying
    a little.

    If it still fails, the claim is kept: no pass re-sends the post until the claim goes
    stale (`STALE_CLAIM`); the pass that takes it over then asks the platform whether the
    post landed (`DailyPoster.post_daily` with `since`) before posting again. Returns
    whether the post was recorded.
    """
    for delay in (*RECORD_RETRY_DELAYS, None):
        try:
            text, source = (quote.text, quote.source) if quote is not None else (None, None)
            await context.store.record_daily(place, day, message_id, context.clock(), text, source)
            return True
        except Exception as exc:
            if delay is not None:
                await pacing.sleep(delay)
            elif isinstance(exc, StoreError):  # the database's trouble, said in one line
                log.warning(
                    "posted %s to %s but could not record it: %s", message_id, place.key, exc
                )
                return False
            else:
                log.exception("posted %s to %s but could not record it", message_id, place.key)
                return False
    raise AssertionError("unreachable")  # pragma: no cover
