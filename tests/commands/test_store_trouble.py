"""Commands in real database trouble: a private line naming it, and nothing done by halves."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import pytest

from bot.cards.model import Reply, Tone
from bot.catalog.lookup import Catalog
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.store import ACCURATE, Place
from tests.conftest import FIXED_NOW, invocation
from tests.logwatch import watching
from tests.trouble import Trouble, outage_server, trouble

__all__ = ["outage_server", "trouble"]


class Channel:
    """A console poster that keeps every message it was asked to post."""

    platform = "console"

    def __init__(self) -> None:
        self.posts: list[tuple[str, Reply]] = []

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        self.posts.append((channel_id, reply))
        return f"m{len(self.posts)}"


async def test_reviews_here_in_trouble_posts_no_notice(catalog: Catalog, trouble: Trouble) -> None:
    """The channel cannot be saved: no public "review channel now" notice goes out; once the
    database is back, one does, and the channel is saved."""
    channel = Channel()
    context = Context(catalog=catalog, store=trouble.store, clock=lambda: FIXED_NOW)
    context.connect_poster(channel)
    here = invocation("burnward", "reviews", admin=True, channel="reviews", mode="here")
    trouble.begin()
    refused = await dispatch(context, here)
    trouble.clear()
    assert refused.private and refused.cards[0].tone is Tone.ERROR
    assert trouble.says in (refused.cards[0].description or "")
    assert channel.posts == []
    assert await trouble.store.review_channel("console:w1") is None
    done = await dispatch(context, here)
    assert done.cards[0].tone is Tone.SUCCESS and [c for c, _ in channel.posts] == ["reviews"]
    assert await trouble.store.review_channel("console:w1") == "reviews"


def going_down_after(trouble: Trouble, method: str) -> None:
    """Make the store's `method` run as usual, then stop the database server at once: the
    server goes away between a command's write and whatever the command does next."""
    done = getattr(trouble.store, method)

    async def then_down(*args: Any, **kwargs: Any) -> Any:
        result = await done(*args, **kwargs)
        await asyncio.to_thread(trouble.begin)
        return result

    setattr(trouble.store, method, then_down)


@pytest.mark.parametrize("trouble", ["unavailable"], indirect=True)
async def test_a_vote_counted_as_the_server_goes_is_not_called_unchanged(
    catalog: Catalog, trouble: Trouble
) -> None:
    """The vote is written, then the server stops: the member sees the redrawn post, not
    "Nothing was changed" over a vote that counts."""
    context = Context(catalog=catalog, store=trouble.store, clock=lambda: FIXED_NOW)
    place, day = Place("console", "w1", "c1"), FIXED_NOW.date()
    await dispatch(context, invocation("specimen", "subscribe", admin=True, time="09:00"))
    await trouble.store.plan_daily(place, day, ["sdet"], FIXED_NOW)
    await trouble.store.claim_daily(place, day, FIXED_NOW, FIXED_NOW - timedelta(hours=1))
    await trouble.store.record_daily(place, day, "m1", FIXED_NOW, None, None)
    going_down_after(trouble, "vote")
    pressed = await dispatch(
        context, invocation("specimen", "vote", day=day.isoformat(), vote=ACCURATE, user="u5")
    )
    trouble.clear()
    assert pressed.cards[0].tone is not Tone.ERROR, pressed.cards[0].description
    assert pressed.in_place
    _, [entry] = await trouble.store.daily_history(place, 0, 10)
    assert entry.votes.accurate == 1


@pytest.mark.parametrize("trouble", ["unavailable"], indirect=True)
async def test_a_suggestion_saved_as_the_server_goes_is_not_called_unchanged(
    catalog: Catalog, trouble: Trouble
) -> None:
    """The suggestion is written, then the server stops before its review card is made: the
    member is told it is in (the review post is logged as not made), and it is kept."""
    context = Context(catalog=catalog, store=trouble.store, clock=lambda: FIXED_NOW)
    context.connect_poster(Channel())
    going_down_after(trouble, "add_suggestion")
    with watching("bot") as watch:
        reply = await dispatch(
            context, invocation("burnward", "suggest", role="SDET", quote="Green on my laptop")
        )
    trouble.clear()
    assert reply.cards[0].tone is Tone.SUCCESS, reply.cards[0].description
    assert [r for r in watch.records if r.levelno >= logging.ERROR or r.exc_info] == []
    assert any("not posted for review" in line for line in watch.lines), watch.lines
    assert [s.text for s in await trouble.store.all_suggestions()] == ["Green on my laptop"]
