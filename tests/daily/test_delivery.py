"""Exactly once across lost answers: a send that may have landed is looked for, not repeated."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from datetime import datetime, timedelta

from bot.cards.model import Reply
from bot.commands.registry import dispatch
from bot.daily.scheduler import Outcome, post_due
from bot.runtime.context import Context
from bot.runtime.poster import DailyMark
from bot.store import Place
from tests.conftest import invocation

NINE = datetime.fromisoformat("2026-11-20T09:00:00+00:00")
PLACE = Place("console", "w1", "c1")


class SilentPoster:
    """A `DailyPoster` whose channel keeps every post, but whose answers (to posts and to
    looks alike) are lost while `silent`; with `since` it looks for the mark first, as the
    real ones do."""

    platform = "console"

    def __init__(self) -> None:
        self.channel: list[tuple[str, DailyMark]] = []
        self.silent = True
        self.looked: list[datetime] = []

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        raise AssertionError("daily posts go through post_daily")

    async def post_daily(
        self,
        workspace_id: str,
        channel_id: str,
        reply: Reply,
        mark: DailyMark,
        since: datetime | None,
    ) -> str:
        if since is not None:
            self.looked.append(since)
            if self.silent:
                raise TimeoutError
            found = [mid for mid, m in self.channel if m == mark]
            if found:
                return found[0]
        self.channel.append((f"m{len(self.channel) + 1}", mark))
        if self.silent:
            raise TimeoutError
        return self.channel[-1][0]


async def _no_sleep(_seconds: float) -> None:
    """Backoff without waiting."""


async def test_a_send_never_answered_keeps_its_claim_and_is_looked_for_later(
    context: Context,
) -> None:
    """No answer to any attempt: retries look before sending, the claim stays, later passes
    send nothing until it is stale, then the taker-over finds the post and records its id."""
    await dispatch(
        dataclasses.replace(context, clock=lambda: NINE - timedelta(hours=1)),
        invocation("specimen", "subscribe", admin=True, time="09:00", zone="UTC"),
    )
    poster = SilentPoster()

    async def run(at: datetime) -> list[Outcome]:
        ctx = dataclasses.replace(context, clock=lambda: at)
        return [r.outcome for r in await post_due(ctx, {"console": poster}, at, _no_sleep)]

    assert await run(NINE) == [Outcome.FAILED]
    assert len(poster.channel) == 1 and poster.looked == [NINE] * 3  # each retry looked first
    poster.silent = False
    assert await run(NINE + timedelta(minutes=1)) == [Outcome.ALREADY_DONE]
    assert await run(NINE + timedelta(minutes=11)) == [Outcome.POSTED]
    assert len(poster.channel) == 1
    assert poster.looked[-1] == NINE
    daily = await context.store.daily(PLACE, NINE.date())
    assert daily is not None and daily.message_id == "m1"


async def test_a_send_that_timed_out_is_found_by_the_next_attempt(context: Context) -> None:
    """The first answer is lost; the retry looks, finds the post, and records it: one post."""
    await dispatch(
        dataclasses.replace(context, clock=lambda: NINE - timedelta(hours=1)),
        invocation("specimen", "subscribe", admin=True, time="09:00", zone="UTC"),
    )
    ctx = dataclasses.replace(context, clock=lambda: NINE)
    poster = SilentPoster()
    first = True

    async def lose_first_answer(*args: object) -> str:
        nonlocal first
        poster.silent, first = first, False
        return await SilentPoster.post_daily(poster, *args)  # type: ignore[arg-type]

    poster.post_daily = lose_first_answer  # type: ignore[method-assign]
    results = await post_due(ctx, {"console": poster}, NINE, _no_sleep)
    assert [r.outcome for r in results] == [Outcome.POSTED]
    assert [mid for mid, _ in poster.channel] == ["m1"] and poster.looked == [NINE]
    daily = await context.store.daily(PLACE, NINE.date())
    assert daily is not None and daily.message_id == "m1"


async def test_a_pass_cancelled_mid_send_keeps_the_claim(context: Context) -> None:
    """Shut down while a send is out: the claim stays; the pass that takes it over looks
    for the post first, and finds it."""
    await dispatch(
        dataclasses.replace(context, clock=lambda: NINE - timedelta(hours=1)),
        invocation("specimen", "subscribe", admin=True, time="09:00", zone="UTC"),
    )
    poster = SilentPoster()
    poster.silent = False
    landed = asyncio.Event()

    async def hang_after_landing(*args: object) -> str:
        await SilentPoster.post_daily(poster, *args)  # type: ignore[arg-type]
        landed.set()
        await asyncio.Event().wait()  # the answer never comes before the shutdown
        raise AssertionError("unreachable")

    poster.post_daily = hang_after_landing  # type: ignore[method-assign]
    ctx = dataclasses.replace(context, clock=lambda: NINE)
    task = asyncio.create_task(post_due(ctx, {"console": poster}, NINE, _no_sleep))
    await asyncio.wait_for(landed.wait(), timeout=5)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    daily = await context.store.daily(PLACE, NINE.date())
    assert daily is not None and daily.claimed_at == NINE and daily.message_id is None
    del poster.post_daily
    later = NINE + timedelta(minutes=11)
    ctx_later = dataclasses.replace(context, clock=lambda: later)
    results = await post_due(ctx_later, {"console": poster}, later, _no_sleep)
    assert [r.outcome for r in results] == [Outcome.POSTED]
    assert len(poster.channel) == 1 and poster.looked == [NINE]
