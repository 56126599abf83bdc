"""Post every specimen of the day that is due, exactly once, and sleep until the next one.

Exactly once: a post is planned and then claimed for (channel, local date) under a unique
key before it is sent, and its message id recorded after (`bot.daily.delivery`). Another
instance, or this one after a restart, finds the claim and does not post again. A claim
whose send never finished is taken over once it is older than `STALE_CLAIM`.

Paced: every platform's posts go through its `Limiter` (`bot.daily.pacing`), and start
from its `Fanout` (`bot.daily.fanout`) only as there is room, a few per concurrency slot,
instead of 10,000 tasks at once. The `Scheduler` queues each post and plans its next wake
at once, and a post waiting to try again gives its room back, so one channel's retries
never hold back another channel's post, due now or a minute later.

Planned from an index: the `Scheduler` reads only the subscriptions whose `next_post_at`
has come (`Store.due_subscriptions`, in batches) and sleeps until the earliest one to come
(`Store.earliest_next_post`), never reading every subscription. After looking at a row
with nothing due it writes the row's next post moment; after a post is recorded, the next
one after it. A row whose post is on its way, waiting to be retried, or claimed by another
instance stays due until its post is recorded, so the index never skips a post. At start
every row is made due once (`Store.plan_all_again`): the index holds moments worked out with
the zone rules of the instance that wrote it, and newer rules may move a post earlier.
`post_due` and `plan_due`, the one-off pass of `roastbot post-due`, read every
subscription, to report each post due today, done or not.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Collection, Mapping
from datetime import date, datetime, timedelta

from bot.daily.delivery import Outcome, Pacing, PostResult, Sleep, post_one
from bot.daily.fanout import UNCOUNTED, Fanout, Ticket
from bot.daily.local_time import TimeInputError
from bot.daily.pacing import PUBLISHED, UNLIMITED, Clock, Limiter, Limits
from bot.daily.specimen import due_dates, next_moment
from bot.daily.steps import PIN, THREAD, wanted_steps
from bot.runtime import metrics
from bot.runtime.context import Context
from bot.runtime.poster import Poster, StepPoster
from bot.store import StoreError, Subscription

__all__ = [
    "Outcome",
    "PostResult",
    "Scheduler",
    "next_wake",
    "plan_due",
    "plan_next",
    "post_and_plan",
    "post_due",
]

log = logging.getLogger(__name__)

RETRY_LATER = timedelta(minutes=1)
LONGEST_NAP = timedelta(hours=1)
BATCH = 500  # due subscriptions read per query


class Limiters:
    """One `Limiter` and one `Fanout` per platform, made on first use and kept across passes.

    `limits` are each platform's (the published ones by default); `clock` and `sleep` are
    handed to every limiter, so a test runs them on a virtual clock.
    """

    def __init__(
        self,
        sleep: Sleep = asyncio.sleep,
        clock: Clock | None = None,
        limits: Mapping[str, Limits] = PUBLISHED,
    ) -> None:
        self._sleep = sleep
        self._clock = clock
        self._limits = limits
        self._by_platform: dict[str, Limiter] = {}
        self._fanouts: dict[str, Fanout[PostResult]] = {}

    def __getitem__(self, platform: str) -> Limiter:
        limiter = self._by_platform.get(platform)
        if limiter is None:
            limits = self._limits.get(platform, UNLIMITED)
            limiter = Limiter(limits, clock=self._clock, sleep=self._sleep)
            self._by_platform[platform] = limiter
        return limiter

    def fanout(self, platform: str) -> Fanout[PostResult]:
        """The platform's queue of posts, started as its limiter can take them."""
        fanout = self._fanouts.get(platform)
        if fanout is None:
            fanout = self._fanouts[platform] = Fanout(self[platform])
        return fanout

    def close(self) -> None:
        """Drop every post not started yet, on every platform (a shutdown)."""
        for fanout in self._fanouts.values():
            fanout.close()


async def post_due(
    context: Context,
    posters: Mapping[str, Poster],
    now: datetime,
    sleep: Sleep = asyncio.sleep,
    stop: asyncio.Event | None = None,
    limiters: Limiters | None = None,
) -> list[PostResult]:
    """One pass: post every due or missed specimen of today, paced; channels never wait on each other."""
    pacing = Pacing(sleep, stop)
    limiters = limiters or Limiters(sleep)
    # no list of the subscriptions outlives this: each is let go once its post has ended
    posts = [
        _submit(context, posters, limiters, sub, day, pacing)
        for sub in await context.store.subscriptions()
        for day in _due_dates(sub, now) or ()
    ]
    return list(await asyncio.gather(*posts))


def _due_dates(sub: Subscription, now: datetime) -> list[date] | None:
    """`due_dates`, or None (logged) when this host cannot read the row's zone or time.

    A zone saved by a host with newer time zone data is one such: the row waits for an
    admin to subscribe again, and every other channel posts as usual.
    """
    try:
        return due_dates(sub, now)
    except TimeInputError as exc:
        log.warning("specimen for %s cannot be planned here: %s", sub.place.key, exc)
        return None


def _submit(
    context: Context,
    posters: Mapping[str, Poster],
    limiters: Limiters,
    sub: Subscription,
    day: date,
    pacing: Pacing,
) -> asyncio.Future[PostResult]:
    """Queue `post_and_plan` for one due post in its platform's fan-out."""
    platform = sub.place.platform
    post = functools.partial(post_and_plan, context, posters, limiters[platform], sub, day, pacing)
    return limiters.fanout(platform).submit(sub.place, post, f"specimen {sub.place.key} {day}")


async def post_and_plan(
    context: Context,
    posters: Mapping[str, Poster],
    limiter: Limiter,
    sub: Subscription,
    day: date,
    pacing: Pacing,
    ticket: Ticket = UNCOUNTED,
) -> PostResult:
    """`post_one`, then, once the post is recorded, move the subscription's index to its next.

    A pin or thread that failed for now is tried again by a look `RETRY_LATER` on.
    """
    result = await post_one(context, posters, limiter, sub, day, pacing, ticket)
    if result.outcome in (Outcome.POSTED, Outcome.ALREADY_DONE):
        await plan_next(context, sub, done=day, poster=posters.get(sub.place.platform))
    return result


async def plan_next(
    context: Context, sub: Subscription, done: date | None = None, poster: Poster | None = None
) -> None:
    """Write when the scheduler must next look at `sub`: its first post not `done`.

    With `done`, the store writes it only once that date's post is recorded (a post claimed
    by another instance and not yet recorded stays due), and no later than `RETRY_LATER`
    from now while a pin or thread `poster` could do for it is not done. A failure is
    logged: the row stays due, and the next look plans it again.
    """
    try:
        now = context.clock()
        at = next_moment(sub, now, () if done is None else {done})
        if done is not None and await _steps_left(context, poster, sub, done):
            at = min(at, now + RETRY_LATER)
        await context.store.set_next_post(sub, at, done=done)
    except StoreError as exc:
        log.warning(
            "could not plan the next specimen of %s (%s); it is looked at again", sub.place.key, exc
        )
    except Exception:
        log.exception(
            "could not plan the next specimen of %s; it is looked at again", sub.place.key
        )


async def _steps_left(
    context: Context, poster: Poster | None, sub: Subscription, day: date
) -> bool:
    """Whether a pin or thread the poster could do for the day's post is not done yet.

    (An unpin left undone cannot be told from one with nothing to unpin, so it is not counted.)
    """
    wanted = {PIN, THREAD} & set(wanted_steps(sub))
    if not wanted or not isinstance(poster, StepPoster):
        return False
    return bool(wanted - (await context.store.daily_steps(sub.place, day)).keys())


async def plan_due(context: Context, platforms: Collection[str], now: datetime) -> list[PostResult]:
    """What `post_due` would do at `now`, reading only: nothing is claimed, sent or recorded."""
    results = []
    for sub in await context.store.subscriptions():
        for day in _due_dates(sub, now) or ():
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


def next_wake(now: datetime, earliest: datetime | None, retries: Collection[datetime]) -> datetime:
    """When the scheduler should look again: the earliest next post or retry, within an hour."""
    candidates = [now + LONGEST_NAP, *retries]
    if earliest is not None:
        candidates.append(earliest)
    return min(candidates)


class Scheduler:
    """Posts whatever is due through each platform's fan-out, sleeping in between (no busy
    polling).

    A change of subscriptions (`context.schedule_changed`) wakes it at once. A post that
    failed is tried again `RETRY_LATER` after it finished; one whose platform is not
    connected yet, when the platform connects (or a minute later). At `stop`, posts in
    flight finish their current attempt, queued ones are dropped, and nothing new starts.
    After each look, `next_look` holds when it will look again and `looked` is set.
    """

    def __init__(
        self,
        context: Context,
        posters: Mapping[str, Poster],
        sleep: Sleep | None = None,
        limiters: Limiters | None = None,
    ):
        self._context = context
        self._posters = posters
        self._sleep = sleep
        self._limiters = limiters
        # posts queued or started, by (channel, local date)
        self._running: dict[tuple[str, date], asyncio.Future[PostResult]] = {}
        self._retry_at: dict[tuple[str, date], datetime] = {}
        self.next_look: datetime | None = None
        self.looked = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        """Post and sleep until `stop` is set; a failing look is logged and tried again later."""
        changed = self._context.schedule_changed

        async def nap(seconds: float) -> None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)

        sleep = self._sleep or nap
        limiters, pacing = self._limiters or Limiters(sleep), Pacing(sleep, stop)
        await self._plan_all_again()
        try:
            while not stop.is_set():
                changed.clear()
                now = self._context.clock()
                try:
                    wake = await self.look(now, limiters, pacing)
                except StoreError as exc:
                    log.warning(
                        "the specimen scheduler's look failed: %s; trying again in a minute", exc
                    )
                    metrics.count_error("scheduler", "store")
                    wake = now + RETRY_LATER
                except Exception:
                    log.exception("the specimen scheduler's pass failed; trying again in a minute")
                    metrics.count_error("scheduler", "daily")
                    wake = now + RETRY_LATER
                self.next_look = wake
                self.looked.set()
                timeout = max(1.0, (wake - self._context.clock()).total_seconds())
                await _first_of((stop, changed), timeout)
        finally:
            limiters.close()
            if self._running:
                await asyncio.gather(*self._running.values(), return_exceptions=True)

    async def _plan_all_again(self) -> None:
        """Have the first look plan every subscription again: the index was planned with the
        zone rules of the instance that wrote it, and this one's may be newer."""
        try:
            await self._context.store.plan_all_again(self._context.clock())
        except StoreError as exc:
            log.warning("could not have every specimen planned again at start: %s", exc)
        except Exception:
            log.exception("could not have every specimen planned again at start")

    async def look(self, now: datetime, limiters: Limiters, pacing: Pacing) -> datetime:
        """Queue every due post not already on its way; return when to look again.

        Reads the due subscriptions in batches through the index; a row with nothing due
        gets its next post moment written, so it is not read again before then.
        """
        store = self._context.store
        due: set[tuple[str, date]] = set()
        waiting = False
        page: list[Subscription] = []
        while page := await store.due_subscriptions(now, BATCH, page[-1] if page else None):
            for sub in page:
                days = _due_dates(sub, now)
                if days is None:
                    # looked at again in an hour, or at once when subscribed again
                    await store.set_next_post(sub, now + LONGEST_NAP)
                elif not days:
                    await plan_next(self._context, sub)
                for day in days or ():
                    due.add((sub.place.key, day))
                    waiting |= self._start(sub, day, now, limiters, pacing)
            if len(page) < BATCH:
                break
        # a failed post whose date is over is not retried: forget it, or its past retry
        # moment would wake the scheduler every second
        self._retry_at = {key: at for key, at in self._retry_at.items() if key in due}
        retries = [*self._retry_at.values()] + ([now + RETRY_LATER] if waiting else [])
        return next_wake(now, await store.earliest_next_post(now), retries)

    def _start(
        self, sub: Subscription, day: date, now: datetime, limiters: Limiters, pacing: Pacing
    ) -> bool:
        """Queue a due post not already on its way; True if it waits for its platform."""
        key = (sub.place.key, day)
        if key in self._running or self._retry_at.get(key, now) > now:
            return False
        if sub.place.platform not in self._posters:
            return True
        self._retry_at.pop(key, None)
        post = _submit(self._context, self._posters, limiters, sub, day, pacing)
        self._running[key] = post
        post.add_done_callback(functools.partial(self._finished, key))
        return False

    def _finished(self, key: tuple[str, date], post: asyncio.Future[PostResult]) -> None:
        self._running.pop(key, None)
        if post.cancelled() or post.exception() is not None:
            return
        if post.result().outcome is Outcome.FAILED:
            self._retry_at[key] = self._context.clock() + RETRY_LATER
            self._context.schedule_changed.set()


async def _first_of(events: Collection[asyncio.Event], seconds: float) -> None:
    """Wait until one of the events is set, or `seconds` have passed."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
