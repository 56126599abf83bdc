"""Pin, unpin, thread and the user group ping of the daily post through the fake Slack API."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from aiohttp import web

from bot.adapters.slack.poster import open_poster
from bot.daily.scheduler import Outcome, post_due
from bot.runtime.context import Context
from bot.store import Place
from tests.adapters.slack.fake_slack import CHANNEL, TEAM, Call, FakeSlack, fake, slack_settings
from tests.specimen_day import DAY_ONE, Clock, subscribe

__all__ = ["fake"]  # fixtures

PLACE = Place("slack", TEAM, CHANNEL)
GROUP = "<!subteam^S0ROAST|@roasters>"


async def test_pins_unpins_threads_and_pings_the_group_alone(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """Day two pins its post, unpins day one's, threads the full file; both ping S0ROAST."""
    clock = Clock(DAY_ONE)
    ctx = await subscribe(context, PLACE, clock, pin="yes", thread="yes", ping=GROUP)
    async with open_poster(slack_settings(fake, tmp_path)) as poster:
        for day in (DAY_ONE, DAY_ONE + timedelta(days=1)):
            clock.now = day
            assert [r.outcome for r in await post_due(ctx, {"slack": poster}, day)] == [
                Outcome.POSTED
            ]
    steps = [c for c in fake.calls if c.method in ("chat.postMessage", "pins.add", "pins.remove")]
    # the channel holds day one's post, its thread reply, day two's post, its thread reply
    first, second = (fake.messages[CHANNEL][index]["ts"] for index in (0, 2))
    shapes = [(c.method, c.args.get("timestamp") or c.args.get("thread_ts")) for c in steps]
    assert shapes == [
        ("chat.postMessage", None),
        ("pins.add", first),
        ("chat.postMessage", first),
        ("chat.postMessage", None),
        ("pins.add", second),
        ("pins.remove", first),
        ("chat.postMessage", second),
    ]
    assert steps[1].args == {"channel": CHANNEL, "timestamp": first}
    assert steps[5].args == {"channel": CHANNEL, "timestamp": first}
    post, thread = steps[0].args, steps[2].args
    assert post["blocks"][0] == {
        "type": "section",
        "block_id": "roastbot-ping",
        "text": {"type": "mrkdwn", "text": "<!subteam^S0ROAST>"},
    }
    assert post["text"].startswith("<!subteam^S0ROAST> ")
    # the one mention is the group's: no other special mention anywhere in the post
    assert "<!" not in str(post["blocks"][1:])
    assert [b["text"]["text"] for b in thread["blocks"] if b.get("type") == "header"][0].endswith(
        ": [01] The org-chart architecture"
    )
    assert thread["thread_ts"] == first and "<!subteam" not in str(thread["blocks"])


async def test_a_pin_refused_for_missing_scope_is_recorded_and_the_post_stands(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """pins.add answering missing_scope: the post stands, the pin is not tried again."""
    clock = Clock(DAY_ONE)
    ctx = await subscribe(context, PLACE, clock, pin="yes")

    def refuse(call: Call) -> web.StreamResponse:
        return web.json_response({"ok": False, "error": "missing_scope"})

    fake.answers["pins.add"] = refuse
    async with open_poster(slack_settings(fake, tmp_path)) as poster:
        clock.now = DAY_ONE
        first = await post_due(ctx, {"slack": poster}, DAY_ONE)
        again = await post_due(ctx, {"slack": poster}, DAY_ONE)
    assert [r.outcome for r in first + again] == [Outcome.POSTED, Outcome.ALREADY_DONE]
    assert (len(fake.to("chat.postMessage")), len(fake.to("pins.add"))) == (1, 1)
    steps = await ctx.store.daily_steps(PLACE, DAY_ONE.date())
    assert steps["pin"].failure == "slack refused pins.add: missing_scope"
