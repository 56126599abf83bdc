"""Capture a quote from a message: the "Suggest for burn ward" command, its form, its submission.

Driven through the gateway and the HTTP interactions endpoint against the fake Discord API,
asserting on the exact JSON of each callback.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.adapters.discord.modal import CAPTURE, submitted_action
from bot.cards.model import Action
from bot.quotes.text import MAX_QUOTE, MAX_SOURCE
from bot.runtime.context import Context
from tests.adapters.discord.fake_discord import (
    CHANNEL,
    GUILD,
    USER,
    FakeDiscord,
    Harness,
    bot,
    discord_harness,
    fake,
    interaction,
    message,
    press,
    snowflake,
)
from tests.adapters.discord.http_interactions import Endpoint, http_endpoint
from tests.twin import twin

__all__ = ["bot", "fake", "twin"]  # fixtures

AUTHOR = "600000000000000002"
LINE = "Flaky means the test found a bug"
NO_MENTIONS: dict[str, list[str]] = {"parse": []}
WORKSPACE = f"discord:{GUILD}"
TEXT_INPUT_VALUE = 4000  # Discord's most for a text input's value
LABEL = 45  # Discord's most for a modal title and a label
SUGGEST_ID = "rb1|burnward|suggest"


def message_command(content: str, **where: Any) -> dict[str, Any]:
    """The interaction of "Suggest for burn ward" used on a message by AUTHOR saying `content`."""
    target = snowflake()
    said = message(CHANNEL, {"content": content}) | {
        "id": target,
        "author": {"id": AUTHOR, "username": "author", "discriminator": "0", "avatar": None},
    }
    data = {
        "id": snowflake(),
        "name": CAPTURE,
        "type": 3,
        "target_id": target,
        "resolved": {"messages": {target: said}},
    }
    return interaction(2, data, **where)


def form_submit(
    role: str, quote: str, source: str = "", custom_id: str = SUGGEST_ID
) -> dict[str, Any]:
    """A modal submit (type 5) of the form, its inputs inside Label components as Discord sends."""
    fields = {"role": role, "quote": quote, "source": source}
    components = [
        {"type": 18, "id": index, "component": {"type": 4, "custom_id": key, "value": value}}
        for index, (key, value) in enumerate(fields.items(), 1)
    ]
    return interaction(5, {"custom_id": custom_id, "components": components})


def _form_limits_kept(form: dict[str, Any]) -> None:
    """The modal's title, labels and text inputs are within Discord's limits."""
    data = form["data"]
    assert form["type"] == 9 and len(data["title"]) <= LABEL
    assert len(data["custom_id"]) <= 100 and len(data["components"]) <= 5
    for label in data["components"]:
        assert label["type"] == 18 and len(label["label"]) <= LABEL
        assert len(label["description"]) <= 100
        text_input = label["component"]
        assert text_input["type"] == 4 and "label" not in text_input
        assert text_input["max_length"] <= TEXT_INPUT_VALUE
        assert len(text_input.get("value", "")) <= text_input["max_length"]


async def test_the_message_command_opens_the_form_prefilled(bot: Harness) -> None:
    """The callback is a type-9 modal: role empty, the message as the quote, no source."""
    form = await bot.interact(message_command(f"  {LINE}\n"))
    assert form == {
        "type": 9,
        "data": {
            "custom_id": "rb1|burnward|suggest",
            "title": "Suggest for burn ward",
            "components": [
                {
                    "type": 18,
                    "label": "Role",
                    "description": "The specimen it roasts, e.g. Enterprise Architect",
                    "component": {
                        "type": 4,
                        "custom_id": "role",
                        "style": 1,
                        "max_length": 100,
                        "required": True,
                        "placeholder": "Enterprise Architect",
                    },
                },
                {
                    "type": 18,
                    "label": "Quote",
                    "description": "Edit it freely; mentions are not allowed",
                    "component": {
                        "type": 4,
                        "custom_id": "quote",
                        "style": 2,
                        "max_length": MAX_QUOTE,
                        "required": True,
                        "value": LINE,
                    },
                },
                {
                    "type": 18,
                    "label": "Source (optional)",
                    "description": "Who said it or where; left blank, no one is named",
                    "component": {
                        "type": 4,
                        "custom_id": "source",
                        "style": 1,
                        "max_length": MAX_SOURCE,
                        "required": False,
                    },
                },
            ],
        },
    }
    _form_limits_kept(form)
    assert "author" not in json.dumps(form) and AUTHOR not in json.dumps(form)


async def test_submitting_the_form_suggests_privately_with_the_id(
    bot: Harness, context: Context
) -> None:
    """The form runs /burnward suggest: a pending suggestion by the submitter, no source."""
    body = await bot.interact(form_submit("sdet", LINE))
    assert body == {
        "type": 4,
        "data": {
            "embeds": [
                {
                    "description": "Suggestion 1 for SDET is in; admins will review it.",
                    "color": body["data"]["embeds"][0]["color"],
                }
            ],
            "components": [],
            "allowed_mentions": NO_MENTIONS,
            "flags": 64,
        },
    }
    [stored] = await context.store.suggestions(WORKSPACE)
    assert (stored.role_id, stored.text, stored.source) == ("sdet", LINE, None)
    assert (stored.status, stored.suggested_by) == ("pending", USER)
    assert await context.store.live_quotes(WORKSPACE, "sdet") == []


async def test_a_hostile_message_is_prefilled_safely_then_refused_until_cleaned(
    bot: Harness, context: Context
) -> None:
    """Control characters go, an over-long text is cut to the limit, mentions are refused."""
    hostile = f"<@{AUTHOR}> and @everyone:\x00\x07 ship\u200b it\r\n" + "x" * 5000
    form = await bot.interact(message_command(hostile))
    _form_limits_kept(form)
    prefilled = form["data"]["components"][1]["component"]["value"]
    assert prefilled.startswith(f"<@{AUTHOR}> and @everyone: ship it x")
    assert len(prefilled) == MAX_QUOTE and prefilled.endswith("…")
    assert not any(ch in prefilled for ch in "\x00\x07\u200b\r\n")

    refused = await bot.interact(form_submit("sdet", prefilled))
    assert refused["data"]["flags"] == 64
    assert refused["data"]["embeds"][0]["description"].startswith("The quote contains a mention")
    assert await context.store.suggestions(WORKSPACE) == []

    edited = await bot.interact(form_submit("sdet", "ship\x00 it\u200b, says QA", "standup"))
    assert edited["data"]["embeds"][0]["description"].startswith("Suggestion 1 for SDET")
    [stored] = await context.store.suggestions(WORKSPACE)
    assert (stored.text, stored.source) == ("ship it, says QA", "standup")


async def test_an_unknown_role_gets_suggestions_that_keep_the_quote(
    bot: Harness, context: Context
) -> None:
    """A misspelt role answers "did you mean" privately; its button suggests the quote."""
    body = await bot.interact(form_submit("enterprize archtect", LINE))
    data = body["data"]
    assert data["flags"] == 64
    assert data["embeds"][0]["description"].startswith(
        "No specimen called 'enterprize archtect'. Did you mean: Enterprise Architect"
    )
    button = data["components"][0]["components"][0]
    assert button["label"] == "Enterprise Architect"
    assert button["custom_id"].startswith("rb1|burnward|suggest|draft=")
    assert await context.store.suggestions(WORKSPACE) == []
    picked = await bot.interact(press(button["custom_id"], on=data))
    assert picked["data"]["embeds"][0]["description"] == (
        "Suggestion 1 for Enterprise Architect is in; admins will review it."
    )
    [stored] = await context.store.suggestions(WORKSPACE)
    assert (stored.role_id, stored.text) == ("enterprise-architect", LINE)


async def test_a_form_that_is_not_ours_is_refused_privately(bot: Harness, context: Context) -> None:
    """A submitted modal whose custom id is no action of ours changes nothing."""
    body = await bot.interact(form_submit("sdet", LINE, custom_id="someone-elses-modal"))
    assert body["data"]["flags"] == 64
    assert body["data"]["embeds"][0]["description"] == (
        "This form is out of date. Run the command again."
    )
    assert await context.store.suggestions(WORKSPACE) == []


def _text_input(custom_id: Any, value: Any) -> dict[str, Any]:
    return {"type": 4, "custom_id": custom_id, "value": value}


SUBMISSIONS = [
    (
        "inputs in labels",
        {
            "custom_id": SUGGEST_ID,
            "components": [{"type": 18, "component": _text_input("role", "sdet")}],
        },
        Action("burnward", "suggest", (("role", "sdet"),)),
    ),
    (
        "inputs in action rows (the older form)",
        {
            "custom_id": SUGGEST_ID,
            "components": [
                {"type": 1, "components": [_text_input("quote", LINE), _text_input("source", "QA")]}
            ],
        },
        Action("burnward", "suggest", (("quote", LINE), ("source", "QA"))),
    ),
    (
        "blank, unknown, non-text and junk parts are skipped",
        {
            "custom_id": SUGGEST_ID,
            "components": [
                1,
                None,
                {"type": 18, "component": None},
                {"type": 1, "components": "junk"},
                {"type": 18, "component": _text_input("role", "")},
                {"type": 18, "component": _text_input("draft", "forged")},
                {"type": 18, "component": _text_input("quote", 42)},
                {"type": 18, "component": _text_input(7, "x")},
            ],
        },
        Action("burnward", "suggest"),
    ),
    (
        "components that are not a list",
        {"custom_id": SUGGEST_ID, "components": "x"},
        Action("burnward", "suggest"),
    ),
    ("a custom id that is not ours", {"custom_id": "theirs", "components": []}, None),
    ("no custom id", {}, None),
]


@pytest.mark.parametrize(
    ("data", "action"), [case[1:] for case in SUBMISSIONS], ids=[case[0] for case in SUBMISSIONS]
)
def test_a_submission_is_read_back_whatever_its_shape(
    data: dict[str, Any], action: Action | None
) -> None:
    """Role, quote and source are read from labels or action rows; anything else is ignored."""
    assert submitted_action(data) == action


@pytest_asyncio.fixture
async def endpoint(fake: FakeDiscord, twin: Context) -> AsyncIterator[Endpoint]:
    """The HTTP interactions endpoint over the twin context."""
    async with http_endpoint(twin, fake) as served:
        yield served


async def test_over_http_the_form_and_its_answer_match_the_gateway_byte_for_byte(
    fake: FakeDiscord, context: Context, twin: Context, endpoint: Endpoint
) -> None:
    """The message command and the modal submit (type 5) answer in the HTTP response."""
    async with discord_harness(context, fake) as gateway:
        for payload in (message_command(LINE), form_submit("sdet", LINE, "standup")):
            gateway.deliver(payload)
            path = f"/interactions/{payload['id']}/{payload['token']}/callback"
            (callback,) = await fake.wait_for("POST", path)
            assert await endpoint.interact(payload) == callback.raw
    assert json.loads(callback.raw)["data"]["flags"] == 64
    for store in (context.store, twin.store):
        [stored] = await store.suggestions(WORKSPACE)
        assert (stored.text, stored.source, stored.suggested_by) == (LINE, "standup", USER)


async def test_a_junk_form_over_http_gets_a_private_refusal(
    endpoint: Endpoint, twin: Context
) -> None:
    """A signed type-5 interaction holding junk is answered 200 with one line; nothing stored."""
    junk = interaction(5, {"custom_id": None, "components": [[["deep"]]]})
    answer = await endpoint.answer(junk)
    assert answer["type"] == 4 and answer["data"]["flags"] == 64
    assert answer["data"]["embeds"][0]["description"] == (
        "This form is out of date. Run the command again."
    )
    assert await twin.store.suggestions(WORKSPACE) == []
