"""Burn-ward curation on Slack: admins only, the add modal, workspace scoping, escaping."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot.adapters.slack.modal import CALLBACK_ID, ROLE_ACTION, add_quote_view
from bot.context import Context
from tests.adapters.fake_slack import (
    ADMIN,
    CHANNEL,
    LISTED,
    OTHER_TEAM,
    TEAM,
    FakeSlack,
    SlackBench,
    command_payload,
    expected,
    fake,
    slack,
    twin,
)

__all__ = ["fake", "slack", "twin"]  # fixtures

EVIL = "Ping <!channel> and <@U123>, see <https://evil.example|the docs> & weep"
EVIL_ESCAPED = (
    "Ping &lt;!channel&gt; and &lt;@U123&gt;, see &lt;https://evil.example|the docs&gt; &amp; weep"
)


def _texts(message: dict[str, Any]) -> list[str]:
    """Every mrkdwn text of a message: sections, fields and context elements."""
    found: list[str] = []
    for block in message["blocks"]:
        objects = [block.get("text") or {}, *block.get("fields", []), *block.get("elements", [])]
        found += [o["text"] for o in objects if o.get("type") == "mrkdwn"]
    return found


def _submission(quote: str, source: str = "", role: str = "enterprise-architect") -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "acme"},
        "user": {"id": ADMIN, "team_id": TEAM},
        "api_app_id": "A1",
        "token": "legacy-verification-token",
        "trigger_id": "trigger-submit",
        "view": {
            "id": "V1",
            "team_id": TEAM,
            "type": "modal",
            "callback_id": CALLBACK_ID,
            "private_metadata": CHANNEL,
            "state": {
                "values": {
                    "role": {
                        ROLE_ACTION: {
                            "type": "external_select",
                            "selected_option": {
                                "text": {"type": "plain_text", "text": "Enterprise Architect"},
                                "value": role,
                            },
                        }
                    },
                    "quote": {"value": {"type": "plain_text_input", "value": quote}},
                    "source": {"value": {"type": "plain_text_input", "value": source or None}},
                }
            },
        },
        "response_urls": [],
    }


async def _open_modal(slack: SlackBench, fake: FakeSlack) -> dict[str, Any]:
    name = slack.name()
    payload = command_payload(fake, "/burnward", "add", name=name, user=ADMIN)
    assert await slack.post(urlencode(payload)) == (200, "")
    opened = (await fake.wait_for("views.open"))[0]
    assert opened.args["trigger_id"] == f"trigger-{name}"
    return dict(opened.args["view"])


async def test_burnward_add_by_a_non_admin_is_refused(
    slack: SlackBench, fake: FakeSlack, twin: Context
) -> None:
    """A plain member typing `/burnward add` gets the core's private refusal, no modal."""
    answer = await slack.command("/burnward", "add")
    assert answer.args == await expected(twin, "burnward", "add")
    assert "Only admins" in answer.args["text"]
    assert fake.to("views.open") == []


async def test_admin_adds_a_quote_through_the_modal(
    slack: SlackBench, fake: FakeSlack, twin: Context
) -> None:
    """views.open, role options, view_submission stores it; shown in this team, escaped."""
    assert await _open_modal(slack, fake) == add_quote_view(CHANNEL)

    suggestion = {
        "type": "block_suggestion",
        "action_id": ROLE_ACTION,
        "block_id": "role",
        "value": "enterprise arch",
        "team": {"id": TEAM},
        "user": {"id": ADMIN},
        "api_app_id": "A1",
        "view": {"id": "V1", "callback_id": CALLBACK_ID},
    }
    status, body = await slack.interact(suggestion)
    assert status == 200
    assert json.loads(body)["options"][0] == {
        "text": {"type": "plain_text", "text": "Enterprise Architect"},
        "value": "enterprise-architect",
    }

    status, body = await slack.interact(_submission(EVIL, "#general"))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    assert _texts(answer["view"]) == [
        ":white_check_mark: Added quote #1 to the burn ward of Enterprise Architect."
    ]

    here = await slack.command("/roast", "Enterprise Architect burn-ward")
    assert f"*#1 · #general · added here*\n“{EVIL_ESCAPED}”" in _texts(here.args)
    assert "<!channel>" not in here.raw and "<@U123>" not in here.raw
    elsewhere = await slack.command("/roast", "Enterprise Architect burn-ward", team=OTHER_TEAM)
    assert "weep" not in elsewhere.raw


async def test_a_modal_that_does_not_open_is_explained(slack: SlackBench, fake: FakeSlack) -> None:
    """views.open refused (the trigger expired): the admin is told to type the command."""
    fake.answers["views.open"] = lambda call: web.json_response(
        {"ok": False, "error": "expired_trigger_id"}
    )
    answer = await slack.command("/burnward", "add", user=ADMIN)
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["text"] == (
        "The form did not open (expired_trigger_id). "
        "Type it instead: /burnward add &lt;role&gt; | &lt;quote&gt; | &lt;source&gt;"
    )


async def test_a_refused_submission_keeps_the_modal_open_with_the_reason(
    slack: SlackBench, fake: FakeSlack
) -> None:
    """A quote the core refuses comes back as an error under the quote field."""
    await _open_modal(slack, fake)
    status, body = await slack.interact(_submission("!!!"))
    assert status == 200
    assert json.loads(body) == {
        "response_action": "errors",
        "errors": {"quote": "The quote needs at least one letter or digit."},
    }


async def test_listed_admin_curates_by_typing(slack: SlackBench, fake: FakeSlack) -> None:
    """Typed add, list and remove by a user in ROASTBOT_SLACK_ADMINS, with no users.info."""
    added = await slack.command(
        "/burnward", "add sdet | It works on my <!here> pipeline | standup", user=LISTED
    )
    assert added.args["response_type"] == "ephemeral"
    assert added.args["text"] == "Added quote #1 to the burn ward of SDET."

    listed = await slack.command("/burnward", "list sdet", user=LISTED)
    assert "*#1 · standup*\n“It works on my &lt;!here&gt; pipeline”" in _texts(listed.args)
    assert "<!here>" not in listed.raw

    removed = await slack.command("/burnward", "remove 1", user=LISTED)
    assert removed.args["text"].startswith("Removed quote #1.")
    after = await slack.command("/burnward", "list sdet", user=LISTED)
    assert "pipeline" not in after.raw
    assert fake.to("users.info") == []


async def test_typed_add_lands_in_the_right_workspace_only(
    slack: SlackBench, fake: FakeSlack
) -> None:
    """A quote added in one team is listed there and not in another."""
    await slack.command("/burnward", "add sdet | Flaky by design", user=LISTED)
    here = await slack.command("/burnward", "list sdet")
    there = await slack.command("/burnward", "list sdet", team=OTHER_TEAM)
    assert "Flaky by design" in here.raw
    assert "Flaky by design" not in there.raw
