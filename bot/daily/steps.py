"""The steps of a daily post after the post itself: pin (and unpin the previous), thread.

Each step is claimed before it is done (so two instances never both open a thread) and
recorded once done, so a pass after a crash between steps does the missing
ones only and never repeats a done one (or the post). Each step is a request like the
post: it waits for its moment in the platform's `Limiter` and holds a concurrency slot, and a
429 it meets pauses the bucket it names. A step the platform refuses for good
(no permission to pin, threads disabled) is recorded with its reason, shown by
`/specimen status`, and never blocks the post or the other steps. A step that failed for
now is left unrecorded, for the next pass. The one order between steps: the previous post
is unpinned only once today's is pinned, so a channel never loses its pinned specimen to a
pin that failed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from bot.cards.model import Reply
from bot.cards.roast import section_card
from bot.catalog.sections import SECTIONS, SUMMARY
from bot.daily.local_time import day_heading
from bot.daily.pacing import Limiter
from bot.daily.specimen import STALE_CLAIM
from bot.runtime.context import Context
from bot.runtime.poster import DeliveryError, Poster, StepPoster
from bot.store import DailyStep, Place, Subscription

log = logging.getLogger(__name__)

PIN, UNPIN, THREAD = "pin", "unpin", "thread"
T = TypeVar("T")


@dataclass(frozen=True)
class Posted:
    """A daily post that went out: where, for which date, which message, which role."""

    sub: Subscription
    local_date: date
    message_id: str
    role_id: str


def wanted_steps(sub: Subscription) -> tuple[str, ...]:
    """The steps the subscription's options ask for, in the order they are done."""
    options = sub.options
    return (PIN, UNPIN) * options.pin + (THREAD,) * options.thread


async def finish_steps(
    context: Context, poster: Poster, posted: Posted, limiter: Limiter
) -> list[DailyStep]:
    """Do every wanted step not yet recorded, each paced by `limiter`; return the steps
    recorded by this call."""
    sub = posted.sub
    if not isinstance(poster, StepPoster) or not wanted_steps(sub):
        return []
    done = await context.store.daily_steps(sub.place, posted.local_date)
    recorded = []
    store, place, day = context.store, sub.place, posted.local_date
    for step in wanted_steps(sub):
        if step == UNPIN and not _succeeded(done.get(PIN)):
            continue  # keep the previous pin until today's is in place
        now = context.clock()
        if step in done or not await store.claim_step(place, day, step, now, now - STALE_CLAIM):
            continue
        try:
            action = _action(context, poster, posted, step, limiter)
            outcome = await _attempt(step, action, limiter, place)
        except Exception:
            await store.release_step(place, day, step, now)
            raise
        if outcome is None:
            await store.release_step(place, day, step, now)
            continue
        await store.record_step(place, day, outcome, context.clock())
        recorded.append(outcome)
        done[step] = outcome
    return recorded


def _succeeded(step: DailyStep | None) -> bool:
    return step is not None and step.failure is None


def _action(
    context: Context, poster: StepPoster, posted: Posted, step: str, limiter: Limiter
) -> Callable[[], Awaitable[str | None]]:
    place = posted.sub.place

    async def paced(request: Callable[[], Awaitable[T]]) -> T:
        """Send one request at its moment in the platform's buckets, in a concurrency slot,
        and learn what the platform's answer said about the bucket."""
        await limiter.wait(place)
        async with limiter.in_flight():
            answer = await request()
        limiter.heard(poster, place)
        return answer

    async def pin() -> str:
        await paced(lambda: poster.pin(place.workspace_id, place.channel_id, posted.message_id))
        return posted.message_id

    async def unpin() -> str | None:
        previous = await context.store.last_pinned(place, posted.local_date)
        if previous is None or previous == posted.message_id:
            return None
        await paced(lambda: poster.unpin(place.workspace_id, place.channel_id, previous))
        return previous

    async def thread() -> str:
        role = context.catalog.get(posted.role_id)
        title = role.title if role else posted.role_id
        name = f"{title}, {day_heading(posted.local_date)}"
        # the full file, every section, without buttons or menus (a thread reply is a record)
        cards = tuple(
            replace(section_card(role, section, context.catalog), buttons=(), menu=None)
            for section in SECTIONS
            if role is not None and section is not SUMMARY
        )
        return await paced(
            lambda: poster.open_thread(
                place.workspace_id, place.channel_id, posted.message_id, name, Reply(cards)
            )
        )

    return {PIN: pin, UNPIN: unpin, THREAD: thread}[step]


async def _attempt(
    step: str, action: Callable[[], Awaitable[str | None]], limiter: Limiter, place: Place
) -> DailyStep | None:
    """Run one step: done, failed for good, or (None) failed for now; a 429 teaches the limiter."""
    try:
        return DailyStep(step, await action(), None)
    except DeliveryError as exc:
        if exc.rate is not None:
            limiter.learn(place, exc.rate)
        if not exc.permanent:
            log.info("daily step %s failed for now: %s", step, exc.reason)
            return None
        log.warning("daily step %s failed for good: %s", step, exc.reason)
        return DailyStep(step, None, exc.reason)
