"""A virtual clock for pacing tests: time moves only when every actor waits on it.

Sleepers queue on the clock; `run` lets every actor reach its first sleep or post, then wakes
the earliest sleeper, sets the time to its moment, and lets it run until it posts, sleeps
again or ends, before waking the next (whatever other actors do meanwhile). Every post task
(named `specimen …`, as the fan-out names them, started at once or as others end) is an
actor too: time moves on only while each one sleeps on the clock or has ended, never while
one is busy with real I/O. Nothing waits on the wall clock.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")
GUARD = 10.0  # a bound on real waiting, only to fail a broken test instead of hanging
POSTS = "specimen "  # the name of the post tasks a fan-out starts


class VirtualClock:
    """A clock (`clock()` is the time in seconds) with a `sleep` that never waits for real."""

    def __init__(self) -> None:
        self.now = 0.0
        self.events = 0
        self._sleepers: list[tuple[float, int, asyncio.Future[None], asyncio.Task[object]]] = []
        self._marks: dict[asyncio.Task[object], int] = {}  # sleeps and posts, per actor
        self._asleep: set[asyncio.Task[object]] = set()
        self._order = itertools.count()
        self._progress = asyncio.Event()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of virtual time."""
        waker = asyncio.get_running_loop().create_future()
        sleeper = asyncio.current_task()
        assert sleeper is not None
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), waker, sleeper))
        self.mark()
        self._asleep.add(sleeper)
        try:
            await waker
        finally:
            self._asleep.discard(sleeper)

    def mark(self) -> None:
        """Note that an actor did something worth waiting for (slept, posted)."""
        self.events += 1
        task = asyncio.current_task()
        if task is not None:
            self._marks[task] = self._marks.get(task, 0) + 1
        self._progress.set()

    async def wait_until(self, condition: Callable[[], bool]) -> None:
        """Wait, without moving the clock, until `condition()` holds after some progress."""
        while not condition():
            self._progress.clear()
            await self._progress.wait()

    async def _progressed(self, task: asyncio.Future[T], since: int) -> None:
        while self.events == since and not task.done():
            self._progress.clear()
            waiter = asyncio.ensure_future(self._progress.wait())
            await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()

    async def _posts_asleep(self, task: asyncio.Future[T]) -> None:
        """Wait until every post task sleeps on the clock or has ended."""
        while not task.done():
            waiting = {
                other
                for other in asyncio.all_tasks()
                if other.get_name().startswith(POSTS)
                and other not in self._asleep
                and not other.done()
            }
            if not waiting:
                return
            self._progress.clear()
            waiter = asyncio.ensure_future(self._progress.wait())
            await asyncio.wait({task, waiter, *waiting}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()

    async def _resumed(self, task: asyncio.Future[T], sleeper: asyncio.Task[object]) -> None:
        """Wait until the woken `sleeper` posts, sleeps again or ends (or `task` ends)."""
        since = self._marks.get(sleeper, 0)
        while self._marks.get(sleeper, 0) == since and not sleeper.done() and not task.done():
            self._progress.clear()
            waiter = asyncio.ensure_future(self._progress.wait())
            await asyncio.wait({task, sleeper, waiter}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()

    async def run(self, main: Awaitable[T], actors: int) -> T:
        """Run `main`, whose `actors` tasks each sleep or post at least once, to its end.

        The clock first waits for `actors` distinct tasks to have slept or posted, so an
        actor still busy with real I/O (a database round trip) is never overtaken by time.
        """
        task = asyncio.ensure_future(main)
        async with asyncio.timeout(GUARD):
            while len(self._marks) < actors and not task.done():
                await self._progressed(task, self.events)
            while not task.done():
                await self._posts_asleep(task)
                if not self._sleepers:
                    await self._progressed(task, self.events)
                    continue
                moment, _, waker, sleeper = heapq.heappop(self._sleepers)
                self.now = max(self.now, moment)
                waker.set_result(None)
                await self._resumed(task, sleeper)
        return await task
