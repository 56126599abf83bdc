"""A graceful life for `roastbot run`: commands in flight, stop signals, and a clean exit.

The first SIGTERM or SIGINT asks the bot to stop: commands already running finish, the
scheduler stops, the database is closed. A second one exits at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from queue import Empty, SimpleQueue
from typing import Any, ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class InFlight:
    """Counts commands being served, so that shutdown can wait until none is left."""

    def __init__(self) -> None:
        self._count = 0
        self._waiters: list[asyncio.Future[None]] = []

    @property
    def count(self) -> int:
        """How many commands are being served right now."""
        return self._count

    @contextmanager
    def track(self) -> Iterator[None]:
        """Count the block as one command in flight."""
        self._count += 1
        try:
            yield
        finally:
            self._count -= 1
            if self._count == 0:
                for waiter in self._waiters:
                    if not waiter.done():
                        waiter.set_result(None)
                self._waiters.clear()

    async def idle(self) -> None:
        """Return once no command is in flight."""
        if self._count == 0:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter


IN_FLIGHT = InFlight()
DRAIN_SECONDS = 30.0  # how long a stop waits for commands in flight


async def drain(seconds: float = DRAIN_SECONDS) -> None:
    """Wait for the commands in flight to finish, for at most `seconds`."""
    try:
        await asyncio.wait_for(IN_FLIGHT.idle(), seconds)
    except TimeoutError:
        log.warning(
            "%d command(s) still running after %.0fs; stopping anyway", IN_FLIGHT.count, seconds
        )


class StopSignals:
    """While installed, the first SIGTERM or SIGINT sets `stop`; the second exits at once."""

    def __init__(self, stop: asyncio.Event) -> None:
        self._stop = stop
        self._received = False

    def install(self) -> None:
        """Handle the stop signals in the running event loop."""
        loop = asyncio.get_running_loop()
        for number in STOP_SIGNALS:
            loop.add_signal_handler(number, self.received, number)

    def received(self, number: int) -> None:
        """React to one stop signal."""
        name = signal.Signals(number).name
        if self._received:
            log.warning("%s again: exiting at once, without waiting", name)
            sys.stderr.flush()
            sys.stdout.flush()
            os._exit(128 + number)
        self._received = True
        log.info(
            "%s: stopping after %d command(s) in flight; send it again to exit at once",
            name,
            IN_FLIGHT.count,
        )
        self._stop.set()


class DaemonThreads(ThreadPoolExecutor):
    """An event loop's default executor whose threads are daemons, reused from call to call.

    The console reads standard input in a thread; a read that never returns (a terminal or
    pipe kept open) must not keep the process alive once the bot has stopped. So the threads
    are daemons and `shutdown` never joins them. A new thread starts only when no idle one is
    waiting, up to `max_workers` (by default as many as `ThreadPoolExecutor` allows).
    A `ThreadPoolExecutor` only in name (asyncio accepts no other default executor): none of
    its own machinery runs.
    """

    def __init__(self, max_workers: int | None = None) -> None:
        super().__init__(max_workers)
        self._limit = max_workers or min(32, (os.cpu_count() or 1) + 4)
        self._calls: SimpleQueue[tuple[Future[Any], Callable[[], None]] | None] = SimpleQueue()
        self._idle_threads = threading.Semaphore(0)
        self._starting = threading.Lock()
        self._started = 0
        self._closed = False

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run `fn` in one of the threads; its outcome arrives in the returned future."""
        future: Future[T] = Future()

        def call() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)

        with self._starting:
            if self._closed:
                raise RuntimeError("cannot run new calls after shutdown")
            self._calls.put((future, call))
            if not self._idle_threads.acquire(blocking=False) and self._started < self._limit:
                self._started += 1
                name = f"roastbot-io-{self._started}"
                threading.Thread(target=self._serve, name=name, daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Take no new calls and let idle threads end; never wait for a call still running.

        With `cancel_futures`, calls not yet started are cancelled instead of run.
        """
        with self._starting:
            self._closed = True
        while cancel_futures and (queued := self._next_queued()) is not None:
            queued[0].cancel()
        self._calls.put(None)

    def _next_queued(self) -> tuple[Future[Any], Callable[[], None]] | None:
        try:
            return self._calls.get_nowait()
        except Empty:
            return None

    def _serve(self) -> None:
        while (queued := self._calls.get()) is not None:
            queued[1]()
            del queued  # let go of the call's arguments and result while idle
            self._idle_threads.release()
        self._calls.put(None)  # pass the stop on to the next thread
