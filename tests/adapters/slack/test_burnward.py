"""Burn-ward curation on Slack: admins only, the add modal, workspace scoping, escaping."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot.adapters.slack import build_app
from bot.adapters.slack.modal import CALLBACK_ID, ROLE_ACTION, add_quote_view
from bot.catalog.lookup import Catalog
from bot.catalog.model import BurnQuote, Role
from bot.runtime.context import Context
from tests.adapters.slack.fake_slack import (
    ADMIN,
    CHANNEL,
    LISTED,
    TEAM,
    FakeSlack,
    SlackBench,
    bench,
    command_payload,
    expected,
    fake,
    modal_submission,
    slack,
    slack_settings,
    twin,
)

__all__ = ["fake", "slack", "twin"]  # fixtures

EVIL = "See <https://evil.example|the docs> & weep <3"
EVIL_ESCAPED = "See &lt;https://evil.example|the docs&gt; &amp; weep &lt;3"
PINGING = "Ping <!channel> and <@U123> about it"


def _texts(message: dict[str, Any]) -> list[str]:
    """Every mrkdwn text of a message: sections, fields and context elements."""
    found: list[str] = []
    for block in message["blocks"]:
        objects = [block.get("text") or {}, *block.get("fields", []), *block.get("elements", [])]
        found += [o["text"] for o in objects if o.get("type") == "mrkdwn"]
    return found


def _added(quote: str, source: str = "") -> dict[str, Any]:
    """The add modal submitted by the admin for the Enterprise Architect."""
    return modal_submission(
        CALLBACK_ID, ADMIN, "enterprise-architect", quote, source, role_text="Enterprise Architect"
    )


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


async def test_a_failed_admin_lookup_still_gets_an_answer(
    slack: SlackBench, fake: FakeSlack, twin: Context
) -> None:
    """users.info answering HTTP 500 in plain text: the command and the modal are answered
    as for a member."""
    fake.answers["users.info"] = lambda call: web.Response(status=500, text="upstream down")
    answer = await slack.command("/burnward", "add", user=ADMIN)
    assert answer.args == await expected(twin, "burnward", "add", user=ADMIN)
    assert "Only admins" in answer.args["text"]
    status, body = await slack.interact(_added("Kept in the modal"))
    assert status == 200
    assert "Only admins" in json.loads(body)["errors"]["quote"]


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

    status, body = await slack.interact(_added(EVIL, "#general"))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    assert _texts(answer["view"]) == [
        ":white_check_mark: Added quote #1 to the burn ward of Enterprise Architect."
    ]

    here = await slack.command("/roast", "Enterprise Architect burn-ward")
    assert f"*#1 · #general · added here*\n“{EVIL_ESCAPED}”" in _texts(here.args)
    assert "<https://evil.example" not in here.raw


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
    status, body = await slack.interact(_added("!!!"))
    assert status == 200
    assert json.loads(body) == {
        "response_action": "errors",
        "errors": {"quote": "The quote needs at least one letter or digit."},
    }


async def test_listed_admin_curates_by_typing(slack: SlackBench, fake: FakeSlack) -> None:
    """Typed add, list and remove by a user in ROASTBOT_SLACK_ADMINS, with no users.info."""
    added = await slack.command(
        "/burnward", "add sdet | It works on my <b>machine</b> pipeline | standup", user=LISTED
    )
    assert added.args["response_type"] == "ephemeral"
    assert added.args["text"] == "Added quote #1 to the burn ward of SDET."

    listed = await slack.command("/burnward", "list sdet", user=LISTED)
    shown = "*#1 · standup*\n“It works on my &lt;b&gt;machine&lt;/b&gt; pipeline”"
    assert shown in _texts(listed.args)
    assert "<b>" not in listed.raw

    removed = await slack.command("/burnward", "remove 1", user=LISTED)
    assert removed.args["text"].startswith("Removed quote #1.")
    after = await slack.command("/burnward", "list sdet", user=LISTED)
    assert "pipeline" not in after.raw
    assert fake.to("users.info") == []


async def test_a_quote_with_mentions_is_refused_when_typed(slack: SlackBench) -> None:
    """`<!channel>` and `<@U123>` never enter the burn ward; the admin is told why."""
    answer = await slack.command("/burnward", f"add SDET | {PINGING}", user=LISTED)
    assert answer.args["response_type"] == "ephemeral"
    assert any("contains a mention" in text for text in _texts(answer.args))


async def test_a_dossier_quote_holding_mentions_arrives_escaped(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """Even a dossier's own text is escaped: `<!channel>` and `<@U123>` reach Slack inert."""
    role = context.catalog.get("sdet")
    assert role is not None
    quotes = [BurnQuote(quote=PINGING, source="<@U999>")]
    dossier = role.dossier.model_copy(update={"burn_ward": quotes})
    others = [r for r in context.catalog.roles if r.id != "sdet"]
    custom = dataclasses.replace(context, catalog=Catalog([*others, Role("sdet", dossier)]))
    async with bench(fake, build_app(slack_settings(fake, tmp_path), context=custom)) as slack:
        answer = await slack.command("/roast", "SDET")
    texts = _texts(answer.args)
    assert any("“Ping &lt;!channel&gt; and &lt;@U123&gt; about it”" in t for t in texts), texts
    assert "<!channel>" not in answer.raw and "<@U123>" not in answer.raw
    assert "<@U999>" not in answer.raw and "&lt;@U999&gt;" in answer.raw
