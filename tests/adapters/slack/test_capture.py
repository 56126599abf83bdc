"""Capture a quote on Slack: the "Suggest for burn ward" message shortcut and the suggest modal.

Driven through Bolt's real HTTP server with signed requests, asserting on the exact JSON sent
to the fake Web API; every view is also read back by slack_sdk's `View` model and validated.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from aiohttp import web
from slack_sdk.models.views import View

from bot.adapters.slack.modal import ROLE_ACTION, SHORTCUT_ID, SUGGEST_CALLBACK_ID
from bot.quotes.text import MAX_QUOTE, MAX_SOURCE
from bot.runtime.context import Context
from tests.adapters.slack.fake_slack import (
    CHANNEL,
    TEAM,
    USER,
    FakeSlack,
    SlackBench,
    command_payload,
    fake,
    modal_submission,
    slack,
)

__all__ = ["fake", "slack"]  # fixtures

AUTHOR = "UAUTHOR"
LINE = "Flaky means the test found a bug"
WORKSPACE = f"slack:{TEAM}"
MANIFEST = Path(__file__).parents[3] / "deploy" / "slack-manifest.yml"
TEXT_INPUT_MAX = 3000  # Slack's most for a plain_text_input's max_length


def shortcut(fake: FakeSlack, text: str, *, name: str) -> dict[str, Any]:
    """The `message_action` payload of the shortcut used on AUTHOR's message saying `text`."""
    return {
        "type": "message_action",
        "token": "legacy-verification-token",
        "action_ts": "1764000002.000300",
        "team": {"id": TEAM, "domain": "acme"},
        "user": {"id": USER, "username": "someone", "team_id": TEAM},
        "channel": {"id": CHANNEL, "name": "general"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": SHORTCUT_ID,
        "trigger_id": f"trigger-{name}",
        "response_url": fake.response_url(name),
        "message_ts": "1764000000.000100",
        "message": {
            "type": "message",
            "user": AUTHOR,
            "ts": "1764000000.000100",
            "text": text,
        },
    }


def suggest_view(quote: str | None) -> dict[str, Any]:
    """The suggest modal as it must reach views.open, its quote field holding `quote`."""
    quote_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": True,
        "max_length": MAX_QUOTE,
    }
    if quote is not None:
        quote_input["initial_value"] = quote
    return {
        "type": "modal",
        "callback_id": SUGGEST_CALLBACK_ID,
        "private_metadata": CHANNEL,
        "title": {"type": "plain_text", "text": "Suggest for burn ward"},
        "submit": {"type": "plain_text", "text": "Suggest"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "role",
                "label": {"type": "plain_text", "text": "Specimen"},
                "element": {
                    "type": "external_select",
                    "action_id": ROLE_ACTION,
                    "placeholder": {"type": "plain_text", "text": "Start typing a role"},
                    "min_query_length": 0,
                },
            },
            {
                "type": "input",
                "block_id": "quote",
                "label": {"type": "plain_text", "text": "Quote"},
                "element": quote_input,
            },
            {
                "type": "input",
                "block_id": "source",
                "optional": True,
                "label": {"type": "plain_text", "text": "Source"},
                "hint": {
                    "type": "plain_text",
                    "text": "Who said it or where; left blank, no one is named",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "max_length": MAX_SOURCE,
                },
            },
        ],
    }


def validated(view: dict[str, Any]) -> dict[str, Any]:
    """The view, after slack_sdk's `View` model has read and validated it (its title within
    24 characters among others), with each text input's value within its `max_length` and
    that within Slack's 3000."""
    model = View(**view)
    model.validate_json()
    assert model.to_dict() == view
    for block in view["blocks"]:
        element = block.get("element", {})
        if element.get("type") == "plain_text_input":
            assert element["max_length"] <= TEXT_INPUT_MAX
            assert len(element.get("initial_value", "")) <= element["max_length"]
    return view


async def _shortcut(slack: SlackBench, fake: FakeSlack, text: str) -> dict[str, Any]:
    """Use the shortcut on a message; the view the bot opened, acked empty."""
    name = slack.name()
    assert await slack.interact(shortcut(fake, text, name=name)) == (200, "")
    [opened] = await fake.wait_for("views.open")
    assert opened.args["trigger_id"] == f"trigger-{name}"
    return validated(dict(opened.args["view"]))


async def test_the_shortcut_opens_the_modal_prefilled_with_the_message(
    slack: SlackBench, fake: FakeSlack
) -> None:
    """views.open gets the suggest modal, the message's text unescaped in the quote field."""
    view = await _shortcut(slack, fake, f"{LINE} &amp; <https://ci.example/42|the logs> &lt;3")
    assert view == suggest_view(f"{LINE} & the logs <3")
    assert AUTHOR not in json.dumps(view)
    assert fake.to("response") == []


async def test_a_submitted_suggestion_is_pending_and_answered_in_the_modal(
    slack: SlackBench, context: Context
) -> None:
    """view_submission runs /burnward suggest: the modal shows the id; nothing is credited."""
    status, body = await slack.interact(modal_submission(SUGGEST_CALLBACK_ID, USER, "sdet", LINE))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    view = validated(answer["view"])
    assert view["title"] == {"type": "plain_text", "text": "Suggest for burn ward"}
    assert view["blocks"][0]["text"]["text"] == (
        ":white_check_mark: Suggestion 1 for SDET is in; admins will review it."
    )
    [stored] = await context.store.suggestions(WORKSPACE)
    assert (stored.role_id, stored.text, stored.source) == ("sdet", LINE, None)
    assert (stored.status, stored.suggested_by) == ("pending", USER)
    assert await context.store.live_quotes(WORKSPACE, "sdet") == []


async def test_a_hostile_message_is_prefilled_safely_and_refused_in_the_modal(
    slack: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """Control characters go, the text is cut to the limit; its mentions keep it out."""
    hostile = "<!channel> ask <@U999>:\x00\x07 ship\u200b it\n" + "x" * 5000
    view = await _shortcut(slack, fake, hostile)
    prefilled = view["blocks"][1]["element"]["initial_value"]
    assert prefilled.startswith("<!channel> ask <@U999>: ship it x")
    assert len(prefilled) == MAX_QUOTE and prefilled.endswith("…")
    assert not any(ch in prefilled for ch in "\x00\x07\u200b\n")

    status, body = await slack.interact(
        modal_submission(SUGGEST_CALLBACK_ID, USER, "sdet", prefilled)
    )
    assert status == 200
    refused = json.loads(body)
    assert refused["response_action"] == "errors"
    assert list(refused["errors"]) == ["quote"]
    assert refused["errors"]["quote"].startswith("The quote contains a mention")
    assert await context.store.suggestions(WORKSPACE) == []


async def test_bare_suggest_opens_the_empty_modal_for_a_member(
    slack: SlackBench, fake: FakeSlack
) -> None:
    """`/burnward suggest` alone opens the modal at once, with no admin lookup and no reply."""
    name = slack.name()
    payload = command_payload(fake, "/burnward", "suggest", name=name)
    assert await slack.post(urlencode(payload)) == (200, "")
    [opened] = await fake.wait_for("views.open")
    assert opened.args["trigger_id"] == f"trigger-{name}"
    assert validated(dict(opened.args["view"])) == suggest_view(None)
    assert fake.to("users.info") == [] and fake.to("response") == []


async def test_a_modal_that_does_not_open_gives_the_typed_form(
    slack: SlackBench, fake: FakeSlack
) -> None:
    """views.open refused (the trigger expired): the member is told privately how to type it."""
    fake.answers["views.open"] = lambda call: web.json_response(
        {"ok": False, "error": "expired_trigger_id"}
    )
    name = slack.name()
    assert await slack.interact(shortcut(fake, LINE, name=name)) == (200, "")
    answer = await slack.response(name)
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["text"] == (
        "The form did not open (expired_trigger_id)."
        " Type it instead: /burnward suggest &lt;role&gt; | &lt;quote&gt; | [source]"
    )


def test_the_manifest_declares_the_message_shortcut() -> None:
    """deploy/slack-manifest.yml has the shortcut the listener answers, under `commands`."""
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    [declared] = manifest["features"]["shortcuts"]
    assert declared["name"] == "Suggest for burn ward" and len(declared["name"]) <= 24
    assert (declared["type"], declared["callback_id"]) == ("message", SHORTCUT_ID)
    assert 0 < len(declared["description"]) <= 150
    assert "commands" in manifest["oauth_config"]["scopes"]["bot"]
