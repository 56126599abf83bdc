"""The specimen of the day delivered through the fake Discord API, and paused on 403/404."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import discord
import pytest

from bot.adapters.discord.runtime import open_poster
from bot.daily.scheduler import Outcome, post_due
from bot.runtime.context import Context
from bot.runtime.poster import DailyMark
from bot.store import Place
from tests.adapters.discord.fake_discord import CHANNEL, GUILD, fake_settings, running_fake
from tests.specimen_day import DAY_ONE, subscribe

POST = f"/channels/{CHANNEL}/messages"
PLACE = Place("discord", GUILD, CHANNEL)


async def test_the_daily_post_reaches_the_channel_as_an_embed(context: Context) -> None:
    """The posted JSON carries the header, the card and no allowed mentions; once only."""
    ctx = await subscribe(context, PLACE)
    original = discord.http.Route.BASE
    try:
        async with running_fake() as fake, open_poster(fake_settings(fake)) as poster:
            first = await post_due(ctx, {"discord": poster}, DAY_ONE)
            again = await post_due(ctx, {"discord": poster}, DAY_ONE)
            [posted] = fake.matching("POST", POST)
    finally:
        discord.http.Route.BASE = original
    assert [r.outcome for r in first] == [Outcome.POSTED]
    assert [r.outcome for r in again] == [Outcome.ALREADY_DONE]
    embed = posted.body["embeds"][0]
    assert embed["author"] == {"name": "Specimen of the day, Friday 20 November"}
    assert embed["title"] == context.catalog.get(first[0].detail).title  # type: ignore[union-attr]
    assert posted.body["allowed_mentions"] == {"parse": []}
    assert "flags" not in posted.body
    daily = await ctx.store.last_daily(Place("discord", GUILD, CHANNEL))
    assert daily is not None and daily.message_id and daily.message_id.isdigit()


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (403, {"message": "Missing Access", "code": 50001}, "no access to channel"),
        (404, {"message": "Unknown Channel", "code": 10003}, "is gone: Unknown Channel"),
    ],
)
async def test_a_denied_or_deleted_channel_pauses_the_subscription(
    context: Context, status: int, body: dict[str, object], reason: str
) -> None:
    """403 and 404 pause with the reason; nothing retries."""
    ctx = await subscribe(context, PLACE)
    original = discord.http.Route.BASE
    try:
        async with running_fake() as fake, open_poster(fake_settings(fake)) as poster:
            fake.fail("POST", POST, status, body, times=5)
            results = await post_due(ctx, {"discord": poster}, DAY_ONE)
            later = await post_due(ctx, {"discord": poster}, DAY_ONE)
            attempts = len(fake.matching("POST", POST))
    finally:
        discord.http.Route.BASE = original
    assert [r.outcome for r in results] == [Outcome.PAUSED] and later == []
    assert attempts == 1
    sub = await ctx.store.subscription(Place("discord", GUILD, CHANNEL))
    assert sub is not None and sub.paused_reason and reason in sub.paused_reason


async def _no_sleep(_seconds: float) -> None:
    """Backoff without waiting."""


@pytest.mark.parametrize(
    ("history_readable", "nonce_window_passed", "creates"),
    [(True, True, 1), (False, False, 2)],
    ids=["found-in-history", "nonce-returns-it"],
)
async def test_a_send_whose_record_was_lost_is_not_sent_again(
    context: Context,
    monkeypatch: pytest.MonkeyPatch,
    history_readable: bool,
    nonce_window_passed: bool,
    creates: int,
) -> None:
    """Killed between send and record: past the stale window, the next pass finds the post
    (in the channel since the claim, or by its nonce) and records its id; one message in all."""
    ctx = await subscribe(context, PLACE)
    place = Place("discord", GUILD, CHANNEL)
    later = DAY_ONE + timedelta(minutes=11)

    async def lost(*_args: object) -> None:
        """The process died before the record was written."""

    original = discord.http.Route.BASE
    try:
        async with running_fake() as fake, open_poster(fake_settings(fake)) as poster:
            fake.clock = lambda: DAY_ONE
            with monkeypatch.context() as crash:
                crash.setattr(ctx.store, "record_daily", lost)
                first = await post_due(ctx, {"discord": poster}, DAY_ONE, _no_sleep)
            if nonce_window_passed:
                fake.forget_nonces()
            if not history_readable:
                fake.fail("GET", POST, 403, {"message": "Missing Access", "code": 50001})
            ctx_later = dataclasses.replace(ctx, clock=lambda: later)
            second = await post_due(ctx_later, {"discord": poster}, later, _no_sleep)
    finally:
        discord.http.Route.BASE = original
    assert [r.outcome for r in first] == [r.outcome for r in second] == [Outcome.POSTED]
    [created] = fake.channel_messages[CHANNEL]
    daily = await ctx.store.daily(place, DAY_ONE.date())
    assert daily is not None and daily.message_id == created["id"]
    posts = fake.matching("POST", POST)
    assert len(posts) == creates
    nonce = DailyMark(place.key, DAY_ONE.date()).nonce
    assert all(p.body["nonce"] == nonce and p.body["enforce_nonce"] is True for p in posts)
    assert len(nonce) <= 25
