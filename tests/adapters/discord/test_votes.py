"""Votes on the daily post through the fake Discord API: the pressed message edited in place."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import discord

from bot.adapters.discord.runtime import open_poster
from bot.daily.scheduler import Outcome, post_due
from bot.runtime.context import Context
from bot.store import Place, Votes
from tests.adapters.discord.fake_discord import (
    CHANNEL,
    GUILD,
    FakeDiscord,
    command,
    discord_harness,
    fake_settings,
    press,
    running_fake,
)
from tests.adapters.discord.http_interactions import http_endpoint
from tests.conftest import FIXED_NOW
from tests.specimen_day import DAY_ONE, quote_next, subscribe

POST = f"/channels/{CHANNEL}/messages"
PLACE = Place("discord", GUILD, CHANNEL)
UPDATE_MESSAGE = 7
ROLE_ID = "900000000000000042"


@asynccontextmanager
async def posted(context: Context) -> AsyncIterator[tuple[FakeDiscord, dict[str, Any]]]:
    """The fake Discord, and the JSON of day one's post made to it by the real poster."""
    original = discord.http.Route.BASE
    try:
        async with running_fake() as fake:
            async with open_poster(fake_settings(fake)) as poster:
                [result] = await post_due(context, {"discord": poster}, DAY_ONE)
            assert result.outcome is Outcome.POSTED
            [post] = fake.matching("POST", POST)
            yield fake, post.body
    finally:
        discord.http.Route.BASE = original


def counted(components: list[dict[str, Any]], accurate: int, harsh: int) -> list[dict[str, Any]]:
    """The post's components with the vote buttons' labels showing these counts."""
    edited = copy.deepcopy(components)
    first, second = edited[0]["components"][:2]
    first["label"], second["label"] = f"Accurate · {accurate}", f"Too harsh · {harsh}"
    return edited


def edit_of(post: dict[str, Any], accurate: int, harsh: int) -> dict[str, Any]:
    """The exact UPDATE_MESSAGE answer a vote should get: the same post, new counts."""
    data = {
        "embeds": post["embeds"],
        "components": counted(post["components"], accurate, harsh),
        "allowed_mentions": post["allowed_mentions"],
    }
    if "content" in post:
        data["content"] = post["content"]
    return {"type": UPDATE_MESSAGE, "data": data}


async def test_the_daily_post_carries_the_two_vote_buttons(context: Context) -> None:
    """Accurate and Too harsh at zero come first on the post, each its action in the custom id."""
    ctx = await subscribe(context, PLACE)
    async with posted(ctx) as (_, post):
        pass
    buttons = post["components"][0]["components"]
    assert buttons[:2] == [
        {"type": 2, "style": 2, "label": "Accurate · 0", "custom_id": ACCURATE_ID},
        {"type": 2, "style": 2, "label": "Too harsh · 0", "custom_id": HARSH_ID},
    ]
    # no section menu on the shared post: choosing one would replace it, votes and all
    assert all(c["type"] == 2 for row in post["components"] for c in row["components"])


ACCURATE_ID = "rb1|specimen|vote|day=2026-11-20|vote=accurate"
HARSH_ID = "rb1|specimen|vote|day=2026-11-20|vote=harsh"


async def test_votes_from_several_members_edit_the_post_each_time(context: Context) -> None:
    """Given, changed and taken back: every press answers type 7 with the post's new counts."""
    ctx = await subscribe(context, PLACE)
    presses = [
        ("601", ACCURATE_ID, (1, 0)),
        ("602", ACCURATE_ID, (2, 0)),
        ("603", HARSH_ID, (2, 1)),
        ("601", HARSH_ID, (1, 2)),  # changed
        ("602", ACCURATE_ID, (0, 2)),  # taken back
        ("603", HARSH_ID, (0, 1)),  # taken back
    ]
    async with posted(ctx) as (fake, post), discord_harness(ctx, fake) as bot:
        for user, custom_id, (accurate, harsh) in presses:
            body = await bot.interact(press(custom_id, on=post, user_id=user))
            assert body == edit_of(post, accurate, harsh)
        # the post was edited in place each time, never sent again
        assert len(fake.matching("POST", POST)) == 1
    _, [entry] = await ctx.store.daily_history(PLACE, 0, 10)
    assert entry.votes == Votes(0, 1)


async def test_a_role_ping_post_edited_by_a_vote_keeps_its_one_role(context: Context) -> None:
    """The ping post's edit repeats its content with the same `allowed_mentions`: that role."""
    ctx = await subscribe(context, PLACE, ping=f"<@&{ROLE_ID}>")
    async with posted(ctx) as (fake, post), discord_harness(ctx, fake) as bot:
        body = await bot.interact(press(ACCURATE_ID, on=post))
    assert body == edit_of(post, 1, 0)
    assert body["data"]["content"] == f"<@&{ROLE_ID}>"
    assert body["data"]["allowed_mentions"] == {"parse": [], "roles": [ROLE_ID]}


async def test_concurrent_presses_over_the_gateway_count_exactly(context: Context) -> None:
    """Forty members press at once: forty edits, each a different running count, none lost."""
    ctx = await subscribe(context, PLACE)
    async with posted(ctx) as (fake, post), discord_harness(ctx, fake) as bot:
        payloads = [press(ACCURATE_ID, on=post, user_id=f"6{n:03d}") for n in range(40)]
        for payload in payloads:
            bot.deliver(payload)
        answers = await asyncio.gather(
            *(
                fake.wait_for("POST", f"/interactions/{p['id']}/{p['token']}/callback")
                for p in payloads
            )
        )
        assert bot.errors == []
    labels = sorted(
        int(a[0].body["data"]["components"][0]["components"][0]["label"].split(" · ")[1])
        for a in answers
    )
    assert labels == list(range(1, 41))
    assert all(a[0].body["type"] == UPDATE_MESSAGE for a in answers)
    _, [entry] = await ctx.store.daily_history(PLACE, 0, 10)
    assert entry.votes == Votes(40, 0)


async def test_a_vote_over_the_http_endpoint_updates_the_message(context: Context) -> None:
    """Delivered as a signed HTTP request, the press is answered in the response: type 7."""
    ctx = await subscribe(context, PLACE)
    # the endpoint checks request timestamps against its clock: the signing helper's moment
    signing_time = dataclasses.replace(ctx, clock=lambda: FIXED_NOW)
    async with posted(ctx) as (fake, post), http_endpoint(signing_time, fake) as endpoint:
        first = await endpoint.answer(press(HARSH_ID, on=post, user_id="601"))
        second = await endpoint.answer(press(ACCURATE_ID, on=post, user_id="602"))
    assert first == edit_of(post, 0, 1)
    assert second == edit_of(post, 1, 1)


async def test_a_press_on_a_day_with_no_post_is_refused_privately(context: Context) -> None:
    """A forged or stale vote id for a date with no post: an ephemeral line, nothing stored."""
    ctx = await subscribe(context, PLACE)
    async with posted(ctx) as (fake, post), discord_harness(ctx, fake) as bot:
        stale = ACCURATE_ID.replace("2026-11-20", "2026-11-19")
        body = await bot.interact(press(stale, on=post))
        junk = await bot.interact(press("rb1|specimen|vote|day=soon|vote=accurate", on=post))
    assert body["type"] == 4 and body["data"]["flags"] == 64
    assert body["data"]["embeds"][0]["description"] == (
        "No specimen of the day went out here on 19 November 2026 to vote on."
    )
    assert junk["data"]["embeds"][0]["description"].startswith("This button is out of date.")
    _, [entry] = await ctx.store.daily_history(PLACE, 0, 10)
    assert entry.votes == Votes()


async def test_a_role_ping_with_an_everyone_quote_pings_the_role_alone(context: Context) -> None:
    """The post quotes "@everyone" yet allows the role alone: the @everyone stays inert text."""
    ctx = await subscribe(context, PLACE, ping=f"<@&{ROLE_ID}>")
    text = "@everyone stand-up moved again, @here too"
    await quote_next(ctx, PLACE, text, "u1")
    async with posted(ctx) as (_, post):
        pass
    assert post["content"] == f"<@&{ROLE_ID}>"
    assert post["allowed_mentions"] == {"parse": [], "roles": [ROLE_ID]}
    # the renderer breaks the words as well (a zero-width space after "@")
    inert = text.replace("@", "@\u200b")
    assert post["embeds"][0]["fields"][-1]["value"] == f"> “{inert}”"
    assert "@everyone" not in str(post) and "@here" not in str(post)


async def test_a_vote_keeps_the_quote_the_post_showed(context: Context) -> None:
    """The edit redraws the post's own quote, not the channel's next one."""
    ctx = await subscribe(context, PLACE)
    async with posted(ctx) as (fake, post), discord_harness(ctx, fake) as bot:
        body = await bot.interact(press(ACCURATE_ID, on=post))
        later = await bot.interact(press(HARSH_ID, on=post, user_id="609"))
    quote = post["embeds"][0]["fields"][-1]
    assert body["data"]["embeds"][0]["fields"][-1] == quote
    assert later["data"]["embeds"][0]["fields"][-1] == quote


async def test_history_pages_with_buttons(context: Context) -> None:
    """/specimen history: newest first, ten a page, Older posts moves on in place."""
    ctx = await subscribe(context, PLACE)
    original = discord.http.Route.BASE
    try:
        async with running_fake() as fake:
            async with open_poster(fake_settings(fake)) as poster:
                for day in range(12):
                    at = DAY_ONE + timedelta(days=day)
                    ctx = dataclasses.replace(ctx, clock=lambda at=at: at)
                    [result] = await post_due(ctx, {"discord": poster}, at)
                    assert result.outcome is Outcome.POSTED
            last = fake.matching("POST", POST)[-1].body
            async with discord_harness(ctx, fake) as bot:
                await bot.interact(
                    press(last["components"][0]["components"][0]["custom_id"], on=last)
                )
                first = await bot.interact(command("specimen", "history")())
                older = first["data"]["components"][0]["components"][0]
                second = await bot.interact(press(older["custom_id"], on=first["data"]))
    finally:
        discord.http.Route.BASE = original
    assert first["type"] == 4 and first["data"]["flags"] == 64
    description = first["data"]["embeds"][0]["description"].split("\n")
    newest_post = await ctx.store.last_daily(PLACE)
    assert newest_post is not None and newest_post.local_date.isoformat() == "2026-12-01"
    newest = ctx.catalog.get(newest_post.role_id)
    assert newest is not None
    assert description[0] == f"Most accurate in December 2026: 1. {newest.title} (1)"
    assert description[2] == f"Tue 01 Dec 2026 · {newest.title} · Accurate 1 · Too harsh 0"
    assert len(description) == 2 + 10
    assert first["data"]["embeds"][0]["footer"]["text"].startswith("Page 1 of 2 · 12 posts")
    assert older == {
        "type": 2,
        "style": 2,
        "label": "Older posts",
        "custom_id": "rb1|specimen|history|page=2",
    }
    assert second["type"] == UPDATE_MESSAGE
    assert len(second["data"]["embeds"][0]["description"].split("\n")) == 2 + 2
    assert second["data"]["embeds"][0]["footer"]["text"].startswith("Page 2 of 2")
