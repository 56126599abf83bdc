"""The App Home tab: published on `app_home_opened`, valid Block Kit, within every limit."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web
from slack_sdk.models.views import View

from bot.adapters.slack.home import home_view, reply_modal
from bot.adapters.slack.runtime import serve
from bot.cards.model import Action, Button, Card, Field
from bot.commands.home import (
    MAX_CHANNELS,
    ChannelStatus,
    Overview,
    TodaysSpecimen,
    more_channels,
    overview,
    pending_line,
)
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.store import Place
from tests.adapters.slack.fake_slack import (
    ADMIN,
    APP_TOKEN,
    TEAM,
    USER,
    WAIT,
    FakeSlack,
    SlackBench,
    fake,
    slack,
    slack_settings,
    twin,
    view_action,
)
from tests.adapters.slack.text_checks import check_mrkdwn, check_plain
from tests.commands.test_home import EARLIER, home_invocation, seed_workspace
from tests.logwatch import watching

__all__ = ["fake", "slack", "twin"]  # fixtures

MANIFEST = Path(__file__).parents[3] / "deploy" / "slack-manifest.yml"
CHANNEL_LINK = re.compile(r"<#[CGD][A-Z0-9]+>")
HOSTILE = "<!channel> <@U123> <https://evil.example|click> & *bold* \x07"


def _ours(text: str) -> str:
    """The text without our own links to subscribed channels."""
    return CHANNEL_LINK.sub("", text)


def check_home(view: dict[str, Any]) -> None:
    """slack_sdk's View model and its blocks accept the view, and every limit holds."""
    model = View(**view)
    model.validate_json()
    for block in model.blocks:
        block.validate_json()
    assert view["type"] == "home" and set(view) == {"type", "blocks"}
    assert 1 <= len(view["blocks"]) <= 100
    action_ids = []
    for block in view["blocks"]:
        match block["type"]:
            case "header":
                check_plain(block["text"], 150)
            case "section":
                check_mrkdwn(block["text"], 3000, _ours)
                if "accessory" in block:
                    button = block["accessory"]
                    assert button["type"] == "button"
                    check_plain(button["text"], 75)
                    assert Action.decode(button["value"]) is not None
                    action_ids.append(button["action_id"])
            case "context":
                assert 1 <= len(block["elements"]) <= 10
                for element in block["elements"]:
                    check_mrkdwn(element, 3000, _ours)
            case kind:
                assert kind == "divider"
    assert all(re.fullmatch(r"rb1-button-[a-z0-9-]+", a) for a in action_ids)
    assert len(set(action_ids)) == len(action_ids)


def _texts(view: dict[str, Any], kind: str = "") -> list[str]:
    """The text of every block and context element, in order; only `kind` ones if given."""
    found: list[dict[str, Any]] = []
    for block in view["blocks"]:
        found += [block["text"]] if "text" in block else block.get("elements", [])
    return [obj["text"] for obj in found if not kind or obj["type"] == kind]


async def test_a_workspace_with_subscriptions_makes_a_valid_home(context: Context) -> None:
    """Guide, specimen with its button, three channels (one paused, one failing), pending count."""
    await seed_workspace(context)
    view = home_view(await overview(context, home_invocation(ADMIN, admin=True)))
    check_home(view)
    texts = _texts(view)
    assert texts[0] == "roastbot: field guide to the modern org chart"
    assert any(t.startswith("`/roast &lt;role&gt; [section]`  A role's dossier.") for t in texts)
    specimen = next(b for b in view["blocks"] if "accessory" in b)
    assert specimen["accessory"] == {
        "type": "button",
        "action_id": "rb1-button-home-0",
        "text": {"type": "plain_text", "text": "Show today's specimen"},
        "value": "rb1|specimen|today",
        "style": "primary",
    }
    channels = [t for t in texts if CHANNEL_LINK.search(t)]
    assert channels[0] == (
        "<#C1>\n*Schedule:* Every day at 09:00 UTC\n*Next post:* Saturday 21 November, 09:00 UTC"
    )
    assert channels[1].startswith(
        ":double_vertical_bar: <#C2>\n*Schedule:* Every day at 09:00 Europe/Berlin\n"
        "*Paused:* Slack said channel_not_found. An admin can resume with /specimen subscribe."
    )
    assert channels[2].endswith("\n*Steps that failed:* pin: not_pinnable")
    assert texts[-1] == pending_line(2)


def _channel(number: int, text: str = "Every day at 09:00 UTC") -> ChannelStatus:
    return ChannelStatus(f"C{number:04d}", (Field("Schedule", text),), paused=number % 7 == 0)


def _overview(channels: list[ChannelStatus], total: int, pending: int | None) -> Overview:
    guide = Card(title="roastbot", description="Help.", fields=(Field("/roast <role>", "A role."),))
    specimen = TodaysSpecimen("Specimen of the day, Saturday 21 November", "SDET", "Tests.")
    return Overview(guide, specimen, tuple(channels), total, pending)


@pytest.mark.parametrize("pending", [None, 4])
def test_150_subscriptions_still_make_at_most_100_blocks(pending: int | None) -> None:
    """The channels that do not fit are counted on one last line; every one is accounted for."""
    view = home_view(_overview([_channel(n) for n in range(150)], 150, pending))
    check_home(view)
    assert len(view["blocks"]) == 100
    shown = [t for t in _texts(view) if CHANNEL_LINK.search(t)]
    more = next(b for b in view["blocks"] if b["type"] == "context")
    assert more["elements"][0]["text"] == more_channels(150 - len(shown))
    assert shown[-1].startswith(f"<#C{len(shown) - 1:04d}>")
    assert (pending_line(pending) in _texts(view)) is (pending is not None)


def test_a_workspace_within_the_room_shows_every_channel() -> None:
    """As many channels as fit, all described, and no line counting the rest."""
    view = home_view(_overview([_channel(n) for n in range(80)], 80, None))
    check_home(view)
    assert len([t for t in _texts(view) if CHANNEL_LINK.search(t)]) == 80
    assert all(b["type"] != "context" for b in view["blocks"])


async def test_the_core_describes_the_first_channels_and_counts_the_rest(
    context: Context,
) -> None:
    """150 real subscriptions: MAX_CHANNELS described, the rest counted, under 100 blocks."""
    for number in range(150):
        place = Place("slack", TEAM, f"C{number:04d}")
        await context.store.subscribe(place, post_time="09:00", zone="UTC", by="U", now=EARLIER)
    view = home_view(await overview(context, home_invocation(ADMIN, admin=True)))
    check_home(view)
    assert len([t for t in _texts(view) if CHANNEL_LINK.search(t)]) == MAX_CHANNELS
    assert more_channels(150 - MAX_CHANNELS) in _texts(view)


def test_hostile_and_huge_text_is_escaped_and_clipped() -> None:
    """Mentions, links and entities arrive as text; every part fits its limit."""
    long = (HOSTILE + " ") * 400
    guide = Card(
        title=long, description=long, fields=tuple(Field(HOSTILE, long) for _ in range(30))
    )
    specimen = TodaysSpecimen(long, long, long, Button(long, Action("specimen", "today")))
    channels = [
        ChannelStatus("<!here>", tuple(Field(HOSTILE, long) for _ in range(8)), paused=True),
        ChannelStatus("C1", (Field("Paused", HOSTILE),), paused=True),
    ]
    view = home_view(Overview(guide, specimen, tuple(channels), 2, 1))
    check_home(view)
    raw = json.dumps(view)
    assert "\\u0007" not in raw
    # plain text (headers, the button) shows mentions as typed; mrkdwn must not ping anyone
    mrkdwn = " ".join(_texts(view, "mrkdwn"))
    for dangerous in ("<!channel>", "<!here>", "<@U123>", "<https://"):
        assert dangerous not in mrkdwn
    assert "&lt;!here&gt;" in mrkdwn and "<#C1>" in mrkdwn


def _home_event(number: int, user: str, tab: str = "home") -> dict[str, Any]:
    """An `app_home_opened` event as Socket Mode delivers it."""
    return {
        "envelope_id": f"env-{number}",
        "type": "events_api",
        "accepts_response_payload": False,
        "payload": {
            "token": "legacy-verification-token",
            "team_id": TEAM,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": f"Ev{number}",
            "event_time": 1763715600,
            "event": {
                "type": "app_home_opened",
                "user": user,
                "channel": f"D{user}",
                "tab": tab,
                "event_ts": f"1763715600.00010{number}",
            },
        },
    }


async def test_opening_home_publishes_the_view_admins_with_the_pending_count(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """Through Bolt and Socket Mode: each reader gets views.publish with exactly the view the
    overview makes; the admin's has the pending count, the member's not; the Messages tab
    publishes nothing."""
    await seed_workspace(context)
    fake.envelopes += [
        _home_event(1, USER, tab="messages"),
        _home_event(2, USER),
        _home_event(3, ADMIN),
    ]
    settings = slack_settings(fake, tmp_path, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="")
    stop = asyncio.Event()
    task = asyncio.create_task(serve(context, settings, stop))
    try:
        await fake.wait_for("views.publish", 2)
        acks = await fake.wait_for("socket", 3)
    finally:
        stop.set()
        await asyncio.wait_for(task, WAIT)
    assert sorted(ack.args["envelope_id"] for ack in acks) == ["env-1", "env-2", "env-3"]
    published = {call.args["user_id"]: call for call in fake.to("views.publish")}
    assert set(published) == {USER, ADMIN}
    for user, admin in ((USER, False), (ADMIN, True)):
        view = home_view(await overview(context, home_invocation(user, admin=admin)))
        assert json.loads(published[user].raw) == {"team_id": TEAM, "user_id": user, "view": view}
        check_home(view)
        assert (pending_line(2) in _texts(view)) is admin
    assert sorted(call.args["user"] for call in fake.to("users.info")) == sorted([USER, ADMIN])


async def test_the_show_button_opens_the_specimen_and_its_buttons_update_the_modal(
    slack: SlackBench, context: Context, twin: Context
) -> None:
    """Pressed in the Home tab, the button opens today's specimen in a modal (views.open);
    a related specimen pressed in that modal replaces it (views.update)."""
    home = home_view(await overview(context, home_invocation()))
    button = next(b["accessory"] for b in home["blocks"] if "accessory" in b)
    status, body = await slack.interact(view_action(button, home | {"id": "VHOME"}, name="home"))
    assert (status, body) == (200, "")
    [opened] = await slack.fake.wait_for("views.open")
    pressed = home_invocation(USER).with_action(Action("specimen", "today"))
    reply = await dispatch(twin, pressed)
    assert json.loads(opened.raw) == {
        "team_id": TEAM,
        "trigger_id": "trigger-home",
        "view": reply_modal(reply),
    }
    shown = (await overview(context, home_invocation())).specimen
    assert shown is not None and reply.cards[0].title == shown.title
    View(**reply_modal(reply)).validate_json()

    modal = reply_modal(reply) | {"id": "V1"}
    actions = next(b for b in modal["blocks"] if b["type"] == "actions")
    related = next(e for e in actions["elements"] if e["type"] == "button")
    await slack.interact(view_action(related, modal, name="modal"))
    [updated] = await slack.fake.wait_for("views.update")
    action = Action.decode(related["value"])
    assert action is not None
    follow = await dispatch(twin, pressed.with_action(action))
    assert json.loads(updated.raw) == {
        "team_id": TEAM,
        "view_id": "V1",
        "view": reply_modal(follow),
    }
    assert slack.fake.to("response") == []


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (web.json_response({"ok": False, "error": "not_enabled"}), "not_enabled"),
        (web.Response(status=500, text="upstream broke"), "HTTP 500"),
    ],
)
async def test_a_refused_views_publish_is_one_warning_not_a_crash(
    fake: FakeSlack, context: Context, tmp_path: Path, answer: web.Response, why: str
) -> None:
    """Slack refusing the Home tab (not enabled, or a 500) is one warning line."""
    fake.answers["views.publish"] = lambda call: answer
    fake.envelopes.append(_home_event(1, USER))
    settings = slack_settings(fake, tmp_path, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="")
    stop = asyncio.Event()
    with watching("bot.adapters.slack.listeners") as log:
        task = asyncio.create_task(serve(context, settings, stop))
        try:
            await asyncio.wait_for(log.first.wait(), WAIT)
        finally:
            stop.set()
            await asyncio.wait_for(task, WAIT)
    assert log.lines == [f"slack: views.publish failed for {USER} ({why})"]
    assert len(fake.to("views.publish")) == 1


async def test_a_modal_that_cannot_open_is_one_warning(slack: SlackBench, context: Context) -> None:
    """A press answered after its trigger expired: one warning line, no error, no answer."""
    slack.fake.answers["views.open"] = lambda call: web.json_response(
        {"ok": False, "error": "expired_trigger_id"}
    )
    home = home_view(await overview(context, home_invocation()))
    button = next(b["accessory"] for b in home["blocks"] if "accessory" in b)
    with watching("bot.adapters.slack.listeners") as log:
        await slack.interact(view_action(button, home | {"id": "VHOME"}, name="late"))
        await asyncio.wait_for(log.first.wait(), WAIT)
    assert log.lines == [
        "slack: the answer to a button in a view was not shown (expired_trigger_id)"
    ]
    assert slack.fake.to("response") == []


def test_manifest_enables_the_home_tab_and_its_event() -> None:
    """deploy/slack-manifest.yml turns the Home tab on and subscribes to app_home_opened."""
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]
