"""`DaemonThreads`, the default executor of `roastbot run`: reused daemon threads, no join."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.runtime.lifecycle import DaemonThreads

WAIT = 10.0  # seconds a future may take on a slow machine; never slept on


def _boom() -> None:
    raise ValueError("boom")


def test_calls_reuse_daemon_threads_and_return_results_and_errors() -> None:
    """20 calls one after another start at most 2 daemon threads; results and errors come back.

    (A call's result can arrive just before its thread is counted idle again, so the next
    call may start a second thread; from then on one of the two is always idle.)
    """
    executor = DaemonThreads()
    threads = {executor.submit(threading.current_thread).result(WAIT) for _ in range(20)}
    assert len(threads) <= 2 and all(thread.daemon for thread in threads)
    assert executor.submit(sum, [1, 2, 3]).result(WAIT) == 6
    with pytest.raises(ValueError, match="boom"):
        executor.submit(_boom).result(WAIT)
    executor.shutdown()


def test_a_call_that_never_returns_does_not_hold_shutdown() -> None:
    """A blocked call keeps its thread; others get a new one; shutdown returns regardless."""
    executor = DaemonThreads(max_workers=2)
    release = threading.Event()
    try:
        blocked = executor.submit(release.wait)
        assert executor.submit(lambda: "answered").result(WAIT) == "answered"
        executor.shutdown(wait=True)
        assert not blocked.done()
        with pytest.raises(RuntimeError, match="after shutdown"):
            executor.submit(sum, [1])
    finally:
        release.set()
    assert blocked.result(WAIT) is True


def test_shutdown_can_cancel_calls_not_yet_started() -> None:
    """With one busy thread, a queued call is cancelled by `shutdown(cancel_futures=True)`."""
    executor = DaemonThreads(max_workers=1)
    release = threading.Event()
    try:
        busy = executor.submit(release.wait)
        queued = executor.submit(sum, [1])
        executor.shutdown(cancel_futures=True)
        assert queued.cancelled()
    finally:
        release.set()
    assert busy.result(WAIT) is True


def test_asyncio_takes_it_as_the_default_executor() -> None:
    """`asyncio.to_thread` runs on it, and closing the loop does not wait for a stuck call."""
    release = threading.Event()
    with asyncio.Runner() as runner:
        runner.get_loop().set_default_executor(DaemonThreads())
        name = runner.run(asyncio.to_thread(lambda: threading.current_thread().name))
        assert name.startswith("roastbot-io-")
        runner.get_loop().run_in_executor(None, release.wait)
    release.set()
