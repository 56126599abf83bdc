"""Votes on the daily post through the fake Slack API: `response_url` replaces the post."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.adapters.slack import build_app
from bot.adapters.slack.poster import open_poster
from bot.daily.scheduler import Outcome, post_due
from bot.runtime.context import Context
from bot.store import Place, Votes
from tests.adapters.slack.fake_slack import (
    CHANNEL,
    TEAM,
    FakeSlack,
    SlackBench,
    bench,
    block_action,
    fake,
    slack_settings,
)
from tests.specimen_day import DAY_ONE, quote_next, subscribe

__all__ = ["fake"]  # fixtures

PLACE = Place("slack", TEAM, CHANNEL)
GROUP = "<!subteam^S0ROAST|@roasters>"
ACCURATE_ID = "rb1|specimen|vote|day=2026-11-20|vote=accurate"
HARSH_ID = "rb1|specimen|vote|day=2026-11-20|vote=harsh"


@asynccontextmanager
async def posted(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> AsyncIterator[tuple[SlackBench, dict[str, Any]]]:
    """Day one's post made by the real poster, and the app over HTTP to press its buttons."""
    settings = slack_settings(fake, tmp_path)
    async with open_poster(settings) as poster:
        [result] = await post_due(context, {"slack": poster}, DAY_ONE)
    assert result.outcome is Outcome.POSTED
    [post] = fake.to("chat.postMessage")
    async with bench(fake, build_app(settings, context=context)) as running:
        yield running, post.args
    assert running.errors == []


def button(post: dict[str, Any], value: str) -> dict[str, Any]:
    """The post's button that carries `value`, as Slack sends it back when pressed."""
    return next(
        element
        for block in post["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element.get("value") == value
    )


def edit_of(post: dict[str, Any], accurate: int, harsh: int) -> dict[str, Any]:
    """The exact `response_url` post a vote should make: the same post, new counts, in place."""
    blocks = copy.deepcopy(post["blocks"])
    for block in blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element.get("value") == ACCURATE_ID:
                element["text"]["text"] = f"Accurate · {accurate}"
            if element.get("value") == HARSH_ID:
                element["text"]["text"] = f"Too harsh · {harsh}"
    return {"text": post["text"], "blocks": blocks, "replace_original": True}


async def press(bench: SlackBench, post: dict[str, Any], value: str, user: str) -> dict[str, Any]:
    """Press a button of the post as `user`; the JSON its `response_url` received."""
    name = bench.name()
    status, body = await bench.interact(
        block_action(bench.fake, button(post, value), name=name, user=user)
    )
    assert (status, body) == (200, "")
    answer: dict[str, Any] = (await bench.response(name)).args
    return answer


async def test_votes_from_several_members_replace_the_post_each_time(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """Given, changed and taken back: each press replaces the post with its new counts."""
    ctx = await subscribe(context, PLACE, ping=GROUP)
    presses = [
        ("U601", ACCURATE_ID, (1, 0)),
        ("U602", HARSH_ID, (1, 1)),
        ("U601", HARSH_ID, (0, 2)),  # changed
        ("U602", HARSH_ID, (0, 1)),  # taken back
    ]
    async with posted(fake, ctx, tmp_path) as (slack, post):
        assert [button(post, v)["text"]["text"] for v in (ACCURATE_ID, HARSH_ID)] == [
            "Accurate · 0",
            "Too harsh · 0",
        ]
        for user, value, (accurate, harsh) in presses:
            assert await press(slack, post, value, user) == edit_of(post, accurate, harsh)
    # the group mention stays on the edited post, and it is never posted again
    assert edit_of(post, 0, 1)["blocks"][0]["text"]["text"] == "<!subteam^S0ROAST>"
    assert len(fake.to("chat.postMessage")) == 1
    _, [entry] = await ctx.store.daily_history(PLACE, 0, 10)
    assert entry.votes == Votes(0, 1)


async def test_concurrent_presses_count_exactly(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """Twenty members press at once: twenty replacements, each a different running count."""
    ctx = await subscribe(context, PLACE)
    async with posted(fake, ctx, tmp_path) as (slack, post):
        answers = await asyncio.gather(
            *(press(slack, post, ACCURATE_ID, f"U{n:03d}") for n in range(20))
        )
    seen = sorted(
        int(button(answer, ACCURATE_ID)["text"]["text"].split(" · ")[1]) for answer in answers
    )
    assert seen == list(range(1, 21))
    _, [entry] = await ctx.store.daily_history(PLACE, 0, 10)
    assert entry.votes == Votes(20, 0)


async def test_a_group_ping_with_an_everyone_quote_mentions_the_group_alone(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """The post quotes "<!everyone>" and "@here": escaped, so the group's is the one mention."""
    ctx = await subscribe(context, PLACE, ping=GROUP)
    text = "<!everyone> stand-up moved again, @here <!here> too"
    await quote_next(ctx, PLACE, text, "U1")
    async with posted(fake, ctx, tmp_path) as (slack, post):
        edited = await press(slack, post, ACCURATE_ID, "U601")
    for message in (post, edited):
        assert message["blocks"][0]["text"]["text"] == "<!subteam^S0ROAST>"
        rest = str(message["blocks"][1:])
        assert "&lt;!everyone&gt; stand-up moved again, @here &lt;!here&gt; too" in rest
        assert "<!" not in rest


async def test_history_pages_in_place_on_slack(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """`/specimen history` answers ephemerally; its Older posts button replaces that answer."""
    ctx = await subscribe(context, PLACE)
    settings = slack_settings(fake, tmp_path)
    async with open_poster(settings) as poster:
        for day in range(11):
            at = DAY_ONE + timedelta(days=day)
            ctx = dataclasses.replace(ctx, clock=lambda at=at: at)
            [result] = await post_due(ctx, {"slack": poster}, at)
            assert result.outcome is Outcome.POSTED
    async with bench(fake, build_app(settings, context=ctx)) as slack:
        first = (await slack.command("/specimen", "history")).args
        older = button(first, "rb1|specimen|history|page=2")
        name = slack.name()
        status, _ = await slack.interact(
            block_action(fake, older, name=name, ephemeral=True, user="U601")
        )
        second = (await slack.response(name)).args
    assert status == 200 and slack.errors == []
    assert first["response_type"] == "ephemeral"
    assert older["text"]["text"] == "Older posts"
    assert second["replace_original"] is True and "response_type" not in second
    footer = str(second["blocks"])
    assert "Page 2 of 2 · 11 posts" in footer and "Fri 20 Nov 2026" in footer
