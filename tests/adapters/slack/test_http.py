"""Slash commands and buttons end to end: signed HTTP into Bolt, JSON out to the fake Slack."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import ClientSession

from bot.adapters.slack.render import message_payload
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.runtime.lifecycle import IN_FLIGHT
from tests.adapters.slack.fake_slack import (
    CHANNEL,
    SECRET,
    TEAM,
    USER,
    WAIT,
    FakeSlack,
    SlackBench,
    block_action,
    command_payload,
    expected,
    fake,
    slack,
    twin,
)

__all__ = ["fake", "slack", "twin"]  # fixtures

EA_FLIGHT_RISK = "rb1|roast||role=enterprise-architect|section=flight-risk"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button"
    ]


async def test_roast_is_acked_then_answered_in_the_channel(
    slack: SlackBench, fake: FakeSlack, twin: Context
) -> None:
    """`/roast Enterprise Architect`: an empty ack, then blocks and text on `response_url`."""
    answer = await slack.command("/roast", "Enterprise Architect")
    assert answer.args == await expected(twin, "roast", role="Enterprise Architect")
    assert answer.args["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Enterprise Architect"},
    }
    assert answer.args["text"].startswith("Enterprise Architect: ")
    assert [call.method for call in fake.calls] == ["auth.test", "response"]


async def test_only_commands_that_need_admin_rights_ask_slack_for_them(
    slack: SlackBench, fake: FakeSlack
) -> None:
    """`/roast` and `/roasthelp` make no `users.info` call; `/burnward list` makes one."""
    await slack.command("/roast", "SDET")
    await slack.command("/roasthelp")
    assert fake.to("users.info") == []
    await slack.command("/burnward", "list")
    assert [call.args for call in fake.to("users.info")] == [{"user": USER, "team_id": TEAM}]


@pytest.mark.parametrize(
    ("case", "secret", "age"),
    [
        ("signed with the wrong secret", "not-the-signing-secret", 0),
        ("timestamp six minutes old", SECRET, 360),
        ("timestamp six minutes ahead", SECRET, -360),
    ],
)
async def test_bad_or_stale_signatures_are_refused(
    slack: SlackBench, fake: FakeSlack, case: str, secret: str, age: int
) -> None:
    """A request Slack did not sign just now gets 401 and causes no call to Slack."""
    body = "command=%2Froast&text=SDET&team_id=T1&channel_id=C1&user_id=U1"
    status, _ = await slack.post(body, secret=secret, age=age)
    assert status == 401, case
    assert fake.calls == []


ROAST_FORM = command_payload(FakeSlack(), "/roast", "SDET", name="junk")


@pytest.mark.parametrize(
    ("case", "body", "timestamp", "content_type", "status"),
    [
        ("timestamp not a number", urlencode(ROAST_FORM).encode(), "abc", FORM, 401),
        ("timestamp empty", urlencode(ROAST_FORM).encode(), "", FORM, 401),
        ("timestamp with a fraction", urlencode(ROAST_FORM).encode(), "1.5", FORM, 401),
        ("timestamp nan", urlencode(ROAST_FORM).encode(), "nan", FORM, 401),
        ("timestamp of 5,000 digits", urlencode(ROAST_FORM).encode(), "9" * 5000, FORM, 401),
        ("body not UTF-8", b"command=%2Froast&text=\xff\xfe", None, FORM, 400),
        ("JSON array", b"[1, 2]", None, JSON, 400),
        ("JSON string", b'"event"', None, JSON, 400),
        ("not JSON", b"{event", None, JSON, 400),
        ("JSON nested past reading", b"[" * 100_000, None, JSON, 400),
        ("neither form nor JSON", b"<event/>", None, "text/xml", 400),
    ],
)
async def test_a_strangers_junk_is_refused_with_a_4xx_and_no_work_done(
    slack: SlackBench,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    case: str,
    body: bytes,
    timestamp: str | None,
    content_type: str,
    status: int,
) -> None:
    """Bad timestamps, non-UTF-8, JSON that is no object (signed): 401 or 400, no call, no ERROR."""
    answer = await slack.send(body, timestamp=timestamp, content_type=content_type)
    assert answer[0] == status, (case, answer)
    assert fake.calls == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


HOOK = "https://hooks.slack.com/actions/T1/1/junk"
PRESS = block_action(FakeSlack(), {"type": "button", "action_id": "rb1-button-0-0"}, name="j")
PRESS |= {"response_url": HOOK}


def _payload(payload: Any) -> bytes:
    """An interactivity form whose `payload` field holds `payload` as JSON."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def _event(event: Any, **fields: Any) -> bytes:
    """An Events API callback from the team holding `event`."""
    body = {"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event": event}
    return json.dumps(body | fields).encode()


MISSHAPEN: list[tuple[str, bytes, str]] = [
    ("payload not JSON", b"payload=%7Bjunk", FORM),
    ("payload a JSON list", _payload([PRESS]), FORM),
    ("payload nested past reading", urlencode({"payload": "[" * 100_000}).encode(), FORM),
    ("form opening with a brace", b"{command=/roast", FORM),
    ("actions null", _payload(PRESS | {"actions": None}), FORM),
    ("actions empty", _payload(PRESS | {"actions": []}), FORM),
    ("actions a string", _payload(PRESS | {"actions": "rb1"}), FORM),
    ("action without action_id", _payload(PRESS | {"actions": [{"type": "button"}]}), FORM),
    (
        "view a string",
        _payload({"type": "view_submission", "team": {"id": "T1"}, "view": "v"}),
        FORM,
    ),
    (
        "submitted view without its type",
        _payload({"type": "view_submission", "team": {"id": "T1"}, "view": {"callback_id": "c"}}),
        FORM,
    ),
    ("event null", _event(None), JSON),
    ("event a string", _event("app_home_opened"), JSON),
    ("user id a number", _event({"type": "app_home_opened", "user": 5, "tab": "home"}), JSON),
    (
        "reacted-to channel a number",
        _event({"type": "reaction_added", "user": "U1", "item": {"channel": 5, "ts": "1"}}),
        JSON,
    ),
    ("authorizations a string", _event({"type": "app_home_opened"}, authorizations="a"), JSON),
    (
        "command without response_url",
        urlencode({k: v for k, v in ROAST_FORM.items() if k != "response_url"}).encode(),
        FORM,
    ),
    ("command whose response_url is no URL", urlencode(ROAST_FORM).encode(), FORM),
]


@pytest.mark.parametrize(("case", "body", "content_type"), MISSHAPEN, ids=[m[0] for m in MISSHAPEN])
async def test_a_signed_body_of_another_shape_than_slacks_gets_400_not_a_500(
    slack: SlackBench,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    case: str,
    body: bytes,
    content_type: str,
) -> None:
    """Signed, but shaped otherwise than Slack sends: 400 before Bolt, no call, no ERROR."""
    with caplog.at_level(logging.DEBUG):
        status, text = await slack.send(body, content_type=content_type)
    assert status == 400, (case, text)
    assert fake.calls == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_signed_url_verification_is_answered_with_its_challenge(
    slack: SlackBench, fake: FakeSlack
) -> None:
    """Events API callbacks are JSON objects: Slack's URL check gets its challenge back."""
    body = json.dumps({"token": "t", "type": "url_verification", "challenge": "c-42"}).encode()
    status, text = await slack.send(body, content_type=JSON)
    assert (status, json.loads(text)) == (200, {"challenge": "c-42"})
    status, _ = await slack.send(body, content_type=JSON, secret="not-the-signing-secret")
    assert status == 401
    assert fake.calls == []


async def test_a_refused_request_is_one_log_line_without_its_body(
    slack: SlackBench, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """A request signed with the wrong secret is logged once, at INFO, without response_url."""
    caplog.set_level(logging.DEBUG)
    status, _ = await slack.send(urlencode(ROAST_FORM).encode(), secret="not-the-secret")
    assert status == 401
    logged = [(r.levelname, r.name, r.getMessage()) for r in caplog.records]
    assert [entry for entry in logged if "response_url" in entry[2] or "junk" in entry[2]] == []
    assert [entry for entry in logged if entry[1].startswith(("bot.adapters", "slack_bolt"))] == [
        (
            "INFO",
            "bot.adapters.slack.gate",
            "slack: refused POST /slack/events from 127.0.0.1 with 401: invalid or stale signature",
        )
    ]


@pytest.mark.parametrize("text", ["", "help", "  HELP "])
async def test_roast_without_a_role_shows_help_privately(
    slack: SlackBench, twin: Context, text: str
) -> None:
    """`/roast` alone or `/roast help` answers the help card, ephemeral."""
    answer = await slack.command("/roast", text)
    assert answer.args == await expected(twin, "help")
    assert answer.args["response_type"] == "ephemeral"


async def test_unknown_role_answers_privately_with_suggestion_buttons(
    slack: SlackBench, twin: Context
) -> None:
    """A typo gets an ephemeral answer whose buttons roast the suggested roles."""
    answer = await slack.command("/roast", "Enterprize Architekt")
    assert answer.args == await expected(twin, "roast", role="Enterprize Architekt")
    assert answer.args["response_type"] == "ephemeral"
    assert "rb1|roast||role=enterprise-architect" in [b["value"] for b in _buttons(answer.args)]


async def test_related_button_posts_a_new_message_in_the_channel(
    slack: SlackBench, twin: Context
) -> None:
    """Pressing a related specimen acks, then posts that role's card, public, as a new message."""
    element = {
        "type": "button",
        "action_id": "rb1-button-0-0",
        "text": {"type": "plain_text", "text": "Staff Engineer · 91%"},
        "value": "rb1|roast||role=staff-engineer",
    }
    status, body = await slack.interact(block_action(slack.fake, element, name="press"))
    assert (status, body) == (200, "")
    answer = await slack.response("press")
    assert answer.args == await expected(twin, "roast", role="staff-engineer")


async def test_section_menu_replaces_the_message(slack: SlackBench, twin: Context) -> None:
    """Choosing a section from the menu replaces the original message with that section."""
    element = {
        "type": "static_select",
        "action_id": "rb1-menu-0",
        "selected_option": {
            "text": {"type": "plain_text", "text": "[04] The flight risk"},
            "value": EA_FLIGHT_RISK,
        },
    }
    status, _ = await slack.interact(block_action(slack.fake, element, name="menu"))
    assert status == 200
    answer = await slack.response("menu")
    reply = await dispatch(
        twin,
        Invocation(
            "slack",
            TEAM,
            CHANNEL,
            USER,
            False,
            "roast",
            None,
            {"role": "enterprise-architect", "section": "flight-risk"},
        ),
    )
    assert answer.args == message_payload(reply) | {"replace_original": True}
    assert answer.args["blocks"][0]["text"]["text"] == "Enterprise Architect: [04] The flight risk"


@pytest.mark.parametrize(
    ("case", "value", "ephemeral", "extra"),
    [
        (
            "suggestion under a private error: a new public message",
            "rb1|roast||role=sdet",
            True,
            {"response_type": "in_channel"},
        ),
        (
            "page of a private list: replaces it",
            "rb1|burnward|list|role=sdet|page=1",
            True,
            {"replace_original": True},
        ),
        (
            "private list from a public card: a new private message",
            "rb1|burnward|list|role=sdet|page=1",
            False,
            {"response_type": "ephemeral"},
        ),
    ],
)
async def test_where_a_button_answer_goes(
    slack: SlackBench,
    twin: Context,
    case: str,
    value: str,
    ephemeral: bool,
    extra: dict[str, Any],
) -> None:
    """A private answer to a private message replaces it; anything else is a new message."""
    element = {"type": "button", "action_id": "rb1-button-0-0", "value": value}
    await slack.interact(block_action(slack.fake, element, name="b", ephemeral=ephemeral))
    answer = await slack.response("b")
    command, subcommand, *options = value.split("|")[1:]
    pairs = dict(option.split("=") for option in options)
    reply = await dispatch(
        twin, Invocation("slack", TEAM, CHANNEL, USER, False, command, subcommand or None, pairs)
    )
    assert answer.args == message_payload(reply) | extra, case


async def test_foreign_action_values_are_ignored(slack: SlackBench, fake: FakeSlack) -> None:
    """A button value that is not an encoded action is acked and answered with nothing."""
    element = {"type": "button", "action_id": "rb1-button-0-0", "value": "not|ours"}
    status, body = await slack.interact(block_action(fake, element, name="x"))
    assert (status, body) == (200, "")
    follow_up = await slack.command("/roast", "SDET")
    assert follow_up.path != "x"
    assert [call.path for call in fake.to("response")] == [follow_up.path]


async def test_specimen_is_wired_to_the_core(slack: SlackBench, twin: Context) -> None:
    """`/specimen status` reaches the core's specimen command with this channel."""
    answer = await slack.command("/specimen", "status")
    assert answer.args == await expected(twin, "specimen", "status")


async def test_healthz_answers_ok(slack: SlackBench) -> None:
    """`GET /healthz` answers 200 for load balancers and probes."""
    async with ClientSession() as session, session.get(slack.url + "/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"ok": True}


async def test_a_command_is_in_flight_until_its_answer_is_out(
    slack: SlackBench, fake: FakeSlack
) -> None:
    """A stop drains commands until the response_url post is done, not just the core's reply."""
    fake.gate = asyncio.Event()
    answer = asyncio.create_task(slack.command("/roast", "SDET"))
    await fake.wait_for("response")
    assert IN_FLIGHT.count == 1
    fake.gate.set()
    await asyncio.wait_for(IN_FLIGHT.idle(), WAIT)
    assert (await answer).args["response_type"] == "in_channel"
