"""Pin, unpin and thread of the daily post through the fake Discord API, each step once."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import discord
import pytest

from bot.adapters.discord.poster import DiscordPoster
from bot.adapters.discord.runtime import open_poster
from bot.cards.model import Reply
from bot.commands.registry import dispatch
from bot.daily.scheduler import Outcome, post_due
from bot.runtime.context import Context
from bot.store import Place
from tests.adapters.discord.fake_discord import (
    CHANNEL,
    GUILD,
    FakeDiscord,
    fake_settings,
    running_fake,
)
from tests.conftest import invocation
from tests.specimen_day import DAY_ONE, Clock, subscribe

POST = f"/channels/{CHANNEL}/messages"
PINS = f"/channels/{CHANNEL}/pins/*"
PLACE = Place("discord", GUILD, CHANNEL)


@asynccontextmanager
async def discord_poster() -> AsyncIterator[tuple[FakeDiscord, DiscordPoster]]:
    """The fake Discord and a poster talking to it."""
    original = discord.http.Route.BASE
    try:
        async with running_fake() as fake, open_poster(fake_settings(fake)) as poster:
            yield fake, poster
    finally:
        discord.http.Route.BASE = original


async def run_pass(ctx: Context, clock: Clock, poster: DiscordPoster, at: datetime) -> Outcome:
    """One pass at `at`; the outcome of the channel's one due post."""
    clock.now = at
    [result] = await post_due(ctx, {"discord": poster}, at)
    return result.outcome


async def test_pin_unpin_and_thread_across_two_days(context: Context) -> None:
    """Day two pins its post, unpins day one's, and opens a thread named after the specimen."""
    clock = Clock(DAY_ONE)
    ctx = await subscribe(context, PLACE, clock, pin="yes", thread="yes")
    async with discord_poster() as (fake, poster):
        assert await run_pass(ctx, clock, poster, DAY_ONE) is Outcome.POSTED
        assert await run_pass(ctx, clock, poster, DAY_ONE) is Outcome.ALREADY_DONE
        day_two = DAY_ONE + timedelta(days=1)
        assert await run_pass(ctx, clock, poster, day_two) is Outcome.POSTED
        first, second = (str(m["id"]) for m in fake.channel_messages[CHANNEL])
        calls = [(r.method, r.path) for r in fake.requests if r.path.startswith("/channels/")]
        threads = [r for r in fake.matching("POST", f"{POST}/*") if r.path.endswith("/threads")]
    assert calls == [
        ("POST", POST),
        ("PUT", f"/channels/{CHANNEL}/pins/{first}"),
        ("POST", f"{POST}/{first}/threads"),
        ("POST", POST),
        ("PUT", f"/channels/{CHANNEL}/pins/{second}"),
        ("DELETE", f"/channels/{CHANNEL}/pins/{first}"),
        ("POST", f"{POST}/{second}/threads"),
    ]
    day_one_role = context.catalog.get(
        (await context.store.daily(PLACE, DAY_ONE.date())).role_id  # type: ignore[union-attr]
    )
    assert day_one_role is not None
    assert threads[0].body == {
        "name": f"{day_one_role.title}, Friday 20 November",
        "auto_archive_duration": 1440,
    }
    assert threads[1].body["name"].endswith(", Saturday 21 November")


async def test_a_kill_between_post_and_pin_pins_on_the_next_pass_without_reposting(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pass dies right after the post is recorded; the next pass pins and threads only."""
    clock = Clock(DAY_ONE)
    ctx = await subscribe(context, PLACE, clock, pin="yes", thread="yes")
    async with discord_poster() as (fake, poster):

        async def killed(*args: object) -> bool:
            raise asyncio.CancelledError

        with monkeypatch.context() as patch:
            patch.setattr(ctx.store, "claim_step", killed)
            with pytest.raises(asyncio.CancelledError):
                await run_pass(ctx, clock, poster, DAY_ONE)
        assert fake.matching("PUT", PINS) == []
        assert await run_pass(ctx, clock, poster, DAY_ONE) is Outcome.ALREADY_DONE
        assert await run_pass(ctx, clock, poster, DAY_ONE) is Outcome.ALREADY_DONE
        [posted] = fake.matching("POST", POST)
        [pinned] = fake.matching("PUT", PINS)
        threads = [r for r in fake.matching("POST", f"{POST}/*") if r.path.endswith("/threads")]
        message_id = str(fake.channel_messages[CHANNEL][0]["id"])
    assert posted.body["embeds"]
    assert pinned.path == f"/channels/{CHANNEL}/pins/{message_id}"
    assert len(threads) == 1


async def test_a_kill_in_the_middle_of_a_pin_is_taken_over_once_stale(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed while pinning, the step's claim holds other passes off until it goes stale."""
    clock = Clock(DAY_ONE)
    ctx = await subscribe(context, PLACE, clock, pin="yes")
    async with discord_poster() as (fake, poster):

        async def killed(workspace_id: str, channel_id: str, message_id: str) -> None:
            raise asyncio.CancelledError

        with monkeypatch.context() as patch:
            patch.setattr(poster, "pin", killed)
            with pytest.raises(asyncio.CancelledError):
                await run_pass(ctx, clock, poster, DAY_ONE)
        later = DAY_ONE + timedelta(minutes=5)
        assert await run_pass(ctx, clock, poster, later) is Outcome.ALREADY_DONE
        assert fake.matching("PUT", PINS) == []
        stale = DAY_ONE + timedelta(minutes=11)
        assert await run_pass(ctx, clock, poster, stale) is Outcome.ALREADY_DONE
        assert await run_pass(ctx, clock, poster, stale) is Outcome.ALREADY_DONE
        pins = fake.matching("PUT", PINS)
    assert len(pins) == 1
    assert fake.matching("POST", POST)[0].path == POST


async def test_a_pin_refused_with_403_is_recorded_and_shown_while_the_post_stands(
    context: Context,
) -> None:
    """403 on pin: the post and the thread stand, the pin is not retried, status says why."""
    clock = Clock(DAY_ONE)
    ctx = await subscribe(context, PLACE, clock, pin="yes", thread="yes")
    async with discord_poster() as (fake, poster):
        fake.fail("PUT", PINS, 403, {"message": "Missing Permissions", "code": 50013})
        assert await run_pass(ctx, clock, poster, DAY_ONE) is Outcome.POSTED
        assert await run_pass(ctx, clock, poster, DAY_ONE) is Outcome.ALREADY_DONE
        pins = fake.matching("PUT", PINS)
        threads = [r for r in fake.matching("POST", f"{POST}/*") if r.path.endswith("/threads")]
        posts = fake.matching("POST", POST)
    assert (len(posts), len(pins), len(threads)) == (1, 1, 1)
    status = await dispatch(
        ctx,
        invocation("specimen", "status", platform="discord", workspace=GUILD, channel=CHANNEL),
    )
    fields = {f.name: f.value for f in status.cards[0].fields}
    assert fields["Steps that failed"] == (
        f"pin: no access to channel {CHANNEL}: Missing Permissions"
    )
    assert fields["Options"] == "Pinned, with a thread"


async def test_a_pin_refused_for_good_keeps_the_previous_pin(context: Context) -> None:
    """Day two's pin refused with 403: day one's pin is not taken down, so the channel keeps one."""
    clock = Clock(DAY_ONE)
    ctx = await subscribe(context, PLACE, clock, pin="yes")
    async with discord_poster() as (fake, poster):
        assert await run_pass(ctx, clock, poster, DAY_ONE) is Outcome.POSTED
        fake.fail("PUT", PINS, 403, {"message": "Missing Permissions", "code": 50013})
        day_two = DAY_ONE + timedelta(days=1)
        assert await run_pass(ctx, clock, poster, day_two) is Outcome.POSTED
        assert await run_pass(ctx, clock, poster, day_two) is Outcome.ALREADY_DONE
        first, second = (str(m["id"]) for m in fake.channel_messages[CHANNEL])
        calls = [(r.method, r.path) for r in fake.requests if r.path.startswith("/channels/")]
    assert calls == [
        ("POST", POST),
        ("PUT", f"/channels/{CHANNEL}/pins/{first}"),
        ("POST", POST),
        ("PUT", f"/channels/{CHANNEL}/pins/{second}"),
    ]
    steps = await context.store.daily_steps(PLACE, day_two.date())
    assert set(steps) == {"pin"}
    assert steps["pin"].failure is not None


async def test_a_pin_failing_for_now_unpins_only_once_the_retry_pins(context: Context) -> None:
    """Day two's pin answered 503: nothing is unpinned; the next pass pins, then unpins day one."""
    clock = Clock(DAY_ONE)
    ctx = await subscribe(context, PLACE, clock, pin="yes")
    async with discord_poster() as (fake, poster):
        assert await run_pass(ctx, clock, poster, DAY_ONE) is Outcome.POSTED
        # 503, not 500: discord.py itself retries a 500 after sleeping
        fake.fail("PUT", PINS, 503, {"message": "Service Unavailable", "code": 0})
        day_two = DAY_ONE + timedelta(days=1)
        assert await run_pass(ctx, clock, poster, day_two) is Outcome.POSTED
        assert fake.matching("DELETE", PINS) == []
        assert await run_pass(ctx, clock, poster, day_two) is Outcome.ALREADY_DONE
        first, second = (str(m["id"]) for m in fake.channel_messages[CHANNEL])
        pins = [r.path for r in fake.matching("PUT", PINS)]
        unpins = [r.path for r in fake.matching("DELETE", PINS)]
    assert pins == [f"/channels/{CHANNEL}/pins/{m}" for m in (first, second, second)]
    assert unpins == [f"/channels/{CHANNEL}/pins/{first}"]


async def test_a_role_ping_allows_that_role_alone(context: Context) -> None:
    """The post mentions the role in `content`; `allowed_mentions` names that role and no other."""
    clock = Clock(DAY_ONE)
    role_id = "900000000000000042"
    ctx = await subscribe(context, PLACE, clock, ping=f"<@&{role_id}>")
    async with discord_poster() as (fake, poster):
        assert await run_pass(ctx, clock, poster, DAY_ONE) is Outcome.POSTED
        [posted] = fake.matching("POST", POST)
    assert posted.body["content"] == f"<@&{role_id}>"
    assert posted.body["allowed_mentions"] == {"parse": [], "roles": [role_id]}
    assert posted.body["nonce"] and posted.body["enforce_nonce"] is True


async def test_a_ping_that_is_no_role_is_refused_on_discord(context: Context) -> None:
    """A typed `ping:@roasters` on Discord is not a role id: one line, nothing saved."""
    clock = Clock(DAY_ONE)
    ctx = dataclasses.replace(context, clock=clock)
    call = invocation(
        "specimen",
        "subscribe",
        admin=True,
        platform="discord",
        workspace=GUILD,
        channel=CHANNEL,
        time="09:00",
        zone="UTC",
        ping="@roasters",
    )
    reply = await dispatch(ctx, call)
    assert reply.cards[0].description == (
        "'@roasters' names no role or group to ping: pick one from the list as you type @. "
        "Example: /specimen subscribe 09:00 Europe/Berlin weekdays."
    )
    assert await ctx.store.subscription(PLACE) is None


async def test_a_thread_name_is_one_line_within_discord_limit() -> None:
    """A long title with line breaks and controls: one line of at most 100 characters, "…"."""
    async with discord_poster() as (fake, poster):
        name = "Chief\nVibes\tOfficer\x00\u202e " + "x" * 200 + ", Friday 20 November"
        await poster.open_thread(GUILD, CHANNEL, "1", name, Reply(()))
        [thread] = [r for r in fake.requests if r.path.endswith("/threads")]
    assert thread.body["name"] == "Chief Vibes Officer " + "x" * 79 + "…"
