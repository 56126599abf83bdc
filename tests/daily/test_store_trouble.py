"""The daily pass in database trouble: one warning line, no traceback, the post made once after."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from bot.cards.model import Reply
from bot.catalog.lookup import Catalog
from bot.daily.delivery import Outcome, Pacing
from bot.daily.scheduler import Limiters, Scheduler, post_and_plan
from bot.runtime.context import Context
from bot.store import Place
from tests.logwatch import LogWatch, watching
from tests.trouble import Trouble, outage_server, trouble

__all__ = ["outage_server", "trouble"]

EIGHT = datetime(2026, 11, 20, 8, tzinfo=UTC)
NINE = EIGHT + timedelta(hours=1)
PLACE = Place("console", "w1", "c1")


class Poster:
    """A console poster that keeps what it posted; with `trouble`, the database fails as the
    post goes out (between the send and its record)."""

    platform = "console"

    def __init__(self, trouble: Trouble | None = None) -> None:
        self.channels: list[str] = []
        self._trouble = trouble

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        if self._trouble is not None:
            await asyncio.to_thread(self._trouble.begin)
        self.channels.append(channel_id)
        return f"m{len(self.channels)}"


async def no_sleep(_seconds: float) -> None:
    """Backoff without waiting."""


def assert_one_line_warnings(watch: LogWatch, says: str) -> None:
    """Something was logged about the trouble, by name, and nothing as an error or traceback."""
    assert [r for r in watch.records if r.levelno >= logging.ERROR or r.exc_info] == []
    assert any(says in line for line in watch.lines), watch.lines


async def subscribed(catalog: Catalog, trouble: Trouble, now: datetime) -> Context:
    """A context at `now` whose channel c1 is subscribed at 09:00 UTC since 08:00."""
    await trouble.store.subscribe(PLACE, post_time="09:00", zone="UTC", by="u1", now=EIGHT)
    return Context(catalog=catalog, store=trouble.store, clock=lambda: now)


async def test_a_look_in_trouble_is_a_warning_and_the_scheduler_goes_on(
    catalog: Catalog, trouble: Trouble
) -> None:
    """The look cannot read or plan: one warning line, and once the database is back the
    next look plans the row."""
    ctx = await subscribed(catalog, trouble, EIGHT)
    scheduler = Scheduler(ctx, {"console": Poster()}, no_sleep)
    stop = asyncio.Event()
    trouble.begin()
    with watching("bot") as watch:
        task = asyncio.create_task(scheduler.run(stop))
        try:
            await asyncio.wait_for(scheduler.looked.wait(), timeout=30)
            assert_one_line_warnings(watch, trouble.says)
            trouble.clear()
            scheduler.looked.clear()
            ctx.schedule_changed.set()
            await asyncio.wait_for(scheduler.looked.wait(), timeout=30)
            assert not task.done()
            assert scheduler.next_look == NINE
            assert await trouble.store.earliest_next_post(EIGHT) == NINE
        finally:
            stop.set()
            await asyncio.wait_for(task, timeout=30)


async def test_a_post_in_trouble_fails_in_one_line_and_goes_out_once_it_clears(
    catalog: Catalog, trouble: Trouble
) -> None:
    """Nothing can be planned or claimed: the post fails with the trouble named, nothing is
    sent; after, it is posted and recorded once."""
    ctx = await subscribed(catalog, trouble, NINE)
    [sub] = await trouble.store.due_subscriptions(NINE, 10)
    poster = Poster()
    limiter, pacing = Limiters(no_sleep)["console"], Pacing(no_sleep)
    trouble.begin()
    with watching("bot") as watch:
        failed = await post_and_plan(ctx, {"console": poster}, limiter, sub, NINE.date(), pacing)
    assert failed.outcome is Outcome.FAILED and trouble.says in failed.detail
    assert_one_line_warnings(watch, trouble.says)
    assert poster.channels == []
    trouble.clear()
    posted = await post_and_plan(ctx, {"console": poster}, limiter, sub, NINE.date(), pacing)
    assert posted.outcome is Outcome.POSTED and poster.channels == ["c1"]
    recorded = await trouble.store.daily(PLACE, NINE.date())
    assert recorded is not None and recorded.message_id == "m1"


async def test_trouble_between_send_and_record_keeps_the_claim_in_one_line(
    catalog: Catalog, trouble: Trouble
) -> None:
    """The database fails while the post goes out: a warning names it, the claim is kept,
    and a later pass does not post again."""
    ctx = await subscribed(catalog, trouble, NINE)
    [sub] = await trouble.store.due_subscriptions(NINE, 10)
    poster = Poster(trouble)
    limiter, pacing = Limiters(no_sleep)["console"], Pacing(no_sleep)
    with watching("bot") as watch:
        sent = await post_and_plan(ctx, {"console": poster}, limiter, sub, NINE.date(), pacing)
    assert sent.outcome is Outcome.POSTED and poster.channels == ["c1"]
    assert_one_line_warnings(watch, trouble.says)
    trouble.clear()
    claimed = await trouble.store.daily(PLACE, NINE.date())
    assert claimed is not None and claimed.message_id is None
    again = await post_and_plan(ctx, {"console": Poster()}, limiter, sub, NINE.date(), pacing)
    assert again.outcome is Outcome.ALREADY_DONE and poster.channels == ["c1"]
