"""The specimen of the day delivered through the fake Slack Web API, and paused on errors."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot.adapters.slack.poster import open_poster
from bot.daily.scheduler import Limiters, Outcome, post_due
from bot.runtime.context import Context
from bot.store import Place
from tests.adapters.slack.fake_slack import CHANNEL, TEAM, Call, FakeSlack, fake, slack_settings
from tests.specimen_day import DAY_ONE, subscribe

__all__ = ["fake"]  # fixtures

PLACE = Place("slack", TEAM, CHANNEL)


async def test_the_daily_post_reaches_the_channel_as_blocks(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """chat.postMessage carries the header block and the card; a second pass posts nothing."""
    ctx = await subscribe(context, PLACE)
    async with open_poster(slack_settings(fake, tmp_path)) as poster:
        first = await post_due(ctx, {"slack": poster}, DAY_ONE)
        again = await post_due(ctx, {"slack": poster}, DAY_ONE)
    [call] = fake.to("chat.postMessage")
    assert [r.outcome for r in first] == [Outcome.POSTED]
    assert [r.outcome for r in again] == [Outcome.ALREADY_DONE]
    assert call.args["channel"] == CHANNEL
    header = call.args["blocks"][0]
    assert header["type"] == "header"
    assert header["text"]["text"] == "Specimen of the day, Friday 20 November"
    daily = await ctx.store.last_daily(PLACE)
    assert daily is not None and daily.message_id == "1764000000.000100"


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
async def test_a_gone_or_closed_channel_pauses_the_subscription(
    fake: FakeSlack, context: Context, tmp_path: Path, error: str
) -> None:
    """Slack's permanent errors pause with the reason; later passes do not retry."""
    ctx = await subscribe(context, PLACE)

    def refuse(_call: Call) -> web.StreamResponse:
        return web.json_response({"ok": False, "error": error})

    fake.answers["chat.postMessage"] = refuse
    async with open_poster(slack_settings(fake, tmp_path)) as poster:
        results = await post_due(ctx, {"slack": poster}, DAY_ONE)
        later = await post_due(ctx, {"slack": poster}, DAY_ONE)
    assert [r.outcome for r in results] == [Outcome.PAUSED] and later == []
    assert len(fake.to("chat.postMessage")) == 1
    sub = await ctx.store.subscription(PLACE)
    assert sub is not None and sub.paused_reason is not None and error in sub.paused_reason


async def _no_sleep(_seconds: float) -> None:
    """Backoff without waiting."""


async def test_a_send_whose_record_was_lost_is_not_sent_again(
    fake: FakeSlack, context: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between send and record: past the stale window, the next pass finds the post
    by its metadata in the channel's history since the claim, records its ts, posts nothing."""
    ctx = await subscribe(context, PLACE)
    later = DAY_ONE + timedelta(minutes=11)
    fake.clock = lambda: DAY_ONE

    async def lost(*_args: object) -> None:
        """The process died before the record was written."""

    async with open_poster(slack_settings(fake, tmp_path)) as poster:
        with monkeypatch.context() as crash:
            crash.setattr(ctx.store, "record_daily", lost)
            first = await post_due(ctx, {"slack": poster}, DAY_ONE, _no_sleep)
        ctx_later = dataclasses.replace(ctx, clock=lambda: later)
        second = await post_due(ctx_later, {"slack": poster}, later, _no_sleep)
    assert [r.outcome for r in first] == [r.outcome for r in second] == [Outcome.POSTED]
    [post] = fake.to("chat.postMessage")
    assert post.args["metadata"] == {
        "event_type": "roastbot_specimen",
        "event_payload": {"local_date": "2026-11-20"},
    }
    [look] = fake.to("conversations.history")
    assert look.args["channel"] == CHANNEL
    assert look.args["oldest"] == f"{DAY_ONE.timestamp():.6f}"
    [message] = fake.messages[CHANNEL]
    daily = await ctx.store.daily(PLACE, DAY_ONE.date())
    assert daily is not None and daily.message_id == message["ts"]


async def test_a_429_pauses_that_channel_for_its_retry_after(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """Slack's 429 comes back at once with Retry-After; the limiter waits exactly that long."""
    ctx = await subscribe(context, PLACE)
    answers = iter(
        [
            web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "30"}
            ),
            web.json_response({"ok": True, "channel": CHANNEL, "ts": "1795165200.000200"}),
        ]
    )
    fake.answers["chat.postMessage"] = lambda call: next(answers)
    waits: list[float] = []
    clock = {"now": 0.0}

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock["now"] += seconds

    limiters = Limiters(sleep, lambda: clock["now"])
    async with open_poster(slack_settings(fake, tmp_path)) as poster:
        results = await post_due(ctx, {"slack": poster}, DAY_ONE, sleep, limiters=limiters)
    assert [r.outcome for r in results] == [Outcome.POSTED]
    assert waits == [30.0] and len(fake.to("chat.postMessage")) == 2
