"""Start a platform's due posts only as its limiter can take them, not all at once.

A pass may find 10,000 posts due in one minute. Started together, each would be a task
asleep in the limiter until its booked moment, minutes ahead (about 2.5 KB of task,
coroutines and timer each, most of the pass's peak memory in bench/fanout.py). A `Fanout`
keeps them queued instead, a few words each, and starts at most `room` at a time (a few
per concurrency slot), the next one as soon as one ends.

Which post starts next: the queue is kept per workspace, and the workspace whose own
buckets (its own and its next channel's, `Limiter.free_at`) free up first goes first, ties
taken in turn. So a workspace whose 10,000 posts pace at 5 a second never holds back
another workspace's one post, and a paused workspace or channel lets the others through
while it waits.

A started post holds its `Ticket` until it ends, except while it waits to try again: a
post refused for now (a 429, or any failure it retries) gives its ticket back before it
waits, and the next queued post starts. So one channel's retries never hold back another
channel's post, however many channels answer 429; the retrying post's task goes on,
uncounted, until it ends.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeVar

from bot.daily.pacing import Limiter
from bot.store import Place

T = TypeVar("T")

# posts started at once, per concurrency slot of the platform
STARTED_PER_SLOT = 4


class Ticket:
    """A started post's room in its fan-out, given back once (`release`) when it ends or waits
    to try again. The `UNCOUNTED` ticket belongs to no fan-out."""

    __slots__ = ("_give_back",)

    def __init__(self, give_back: Callable[[], None] | None) -> None:
        self._give_back = give_back

    def release(self) -> None:
        """Give the room back (once; later calls do nothing)."""
        give_back, self._give_back = self._give_back, None
        if give_back is not None:
            give_back()


UNCOUNTED = Ticket(None)


class _Queued(Generic[T]):
    """One post waiting for room: where it goes, how to start it, and its outcome to come."""

    __slots__ = ("future", "name", "place", "start", "task")

    def __init__(
        self,
        place: Place,
        start: Callable[[Ticket], Coroutine[Any, Any, T]],
        future: asyncio.Future[T],
        name: str,
    ) -> None:
        self.place = place
        self.start = start
        self.future = future
        self.name = name
        self.task: asyncio.Task[T] | None = None

    def dropped(self, future: asyncio.Future[T]) -> None:
        """Its outcome was cancelled (the pass was) after it started: cancel the post too.

        (One cancelled while queued is skipped when its turn comes.)
        """
        if future.cancelled() and self.task is not None:
            self.task.cancel()

    def ended(self, ticket: Ticket, task: asyncio.Task[T]) -> None:
        """Its task ended: give its room back and hand its outcome on."""
        ticket.release()
        if self.future.done():
            return
        if task.cancelled():
            self.future.cancel()
        elif (error := task.exception()) is not None:
            self.future.set_exception(error)
        else:
            self.future.set_result(task.result())


class Fanout(Generic[T]):
    """One platform's due posts: queued per workspace, at most `room` started at once."""

    def __init__(self, limiter: Limiter, room: int | None = None) -> None:
        self._limiter = limiter
        self.room = room or limiter.limits.concurrency * STARTED_PER_SLOT
        self.started = 0  # tickets out
        self._queues: dict[str, deque[_Queued[T]]] = {}
        # (the moment the workspace's next post could go, a turn number, the workspace)
        self._heap: list[tuple[float, int, str]] = []
        self._turns = itertools.count()

    @property
    def queued(self) -> int:
        """Posts waiting for room (cancelled ones included until their turn comes)."""
        return sum(len(queue) for queue in self._queues.values())

    def submit(
        self, place: Place, start: Callable[[Ticket], Coroutine[Any, Any, T]], name: str
    ) -> asyncio.Future[T]:
        """Queue a post to `place`; `start(ticket)` makes it once there is room.

        Returns the post's outcome to come; cancelling it drops the post, or cancels its
        task if it has started.
        """
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        queued = _Queued(place, start, future, name)
        queue = self._queues.get(place.workspace_key)
        if queue is None:
            queue = self._queues[place.workspace_key] = deque()
            self._push(place.workspace_key, place)
        queue.append(queued)
        self._fill()
        return future

    def released(self) -> None:
        """A ticket came back: start the next posts there is room for."""
        self.started -= 1
        self._fill()

    def close(self) -> None:
        """Cancel every post not started yet (a shutdown); started ones go on."""
        queues, self._queues, self._heap = self._queues, {}, []
        for queue in queues.values():
            for queued in queue:
                queued.future.cancel()

    def _push(self, workspace: str, head: Place) -> None:
        moment = self._limiter.free_at(head)
        heapq.heappush(self._heap, (moment, next(self._turns), workspace))

    def _fill(self) -> None:
        """Start posts, the workspace free first first, while there is room."""
        while self.started < self.room and self._heap:
            moment, _, workspace = heapq.heappop(self._heap)
            queue = self._queues[workspace]
            while queue and queue[0].future.done():
                queue.popleft()  # cancelled while queued
            if not queue:
                del self._queues[workspace]
                continue
            if self._limiter.free_at(queue[0].place) > moment:
                # its buckets filled (its started posts booked them) or paused since it
                # was queued: take its turn again at the moment it has room
                self._push(workspace, queue[0].place)
                continue
            queued = queue.popleft()
            if queue:
                self._push(workspace, queue[0].place)
            else:
                del self._queues[workspace]
            self._start(queued)

    def _start(self, queued: _Queued[T]) -> None:
        ticket = Ticket(self.released)
        self.started += 1
        task = asyncio.create_task(queued.start(ticket), name=queued.name)
        queued.task = task
        task.add_done_callback(lambda done: queued.ended(ticket, done))
        queued.future.add_done_callback(queued.dropped)
