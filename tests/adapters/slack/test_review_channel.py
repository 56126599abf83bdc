"""Slack: the review channel, its updated messages and the suggester's DM, at the fake API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.adapters.slack.client import web_client
from bot.adapters.slack.poster import SlackPoster
from bot.runtime.context import Context
from tests.adapters.slack.fake_slack import (
    CHANNEL,
    LISTED,
    TEAM,
    USER,
    Call,
    FakeSlack,
    SlackBench,
    block_action,
    dm_channel,
    fake,
    slack,
    slack_settings,
)
from tests.logwatch import watching

__all__ = ["fake", "slack"]  # fixtures

ELSEWHERE = "C2"
LINE = "It works on my <b>pipeline</b>"
SHOWN = "It works on my &lt;b&gt;pipeline&lt;/b&gt;"
APPROVE = {"type": "button", "action_id": "rb1-button-0-0", "value": "rb1|burnward|approve|id=1"}


@pytest.fixture
def poster(fake: FakeSlack, context: Context, tmp_path: Path) -> SlackPoster:
    """The Slack poster, connected to the context as `roastbot run` connects it."""
    made = SlackPoster(web_client(slack_settings(fake, tmp_path)))
    context.connect_poster(made)
    return made


async def _suggested(slack: SlackBench, fake: FakeSlack) -> Call:
    """A listed admin makes `CHANNEL` the review channel; a member suggests elsewhere."""
    set_here = await slack.command("/burnward", "reviews here", user=LISTED)
    assert set_here.args["text"].startswith("New suggestions will be posted in this channel")
    typed = await slack.command("/burnward", f"suggest sdet | {LINE}", channel=ELSEWHERE)
    assert typed.args["text"] == "Suggestion 1 for SDET is in; admins will review it."
    notice, posted = fake.to("chat.postMessage")
    assert notice.args["channel"] == CHANNEL
    assert notice.args["text"].startswith("This is the burn ward's review channel now")
    return posted


def section(text: str) -> dict[str, Any]:
    """A section block of mrkdwn, as the renderer makes it."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def _texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


@pytest.mark.usefixtures("poster")
async def test_a_suggestion_is_posted_in_the_review_channel_with_its_buttons(
    slack: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """`chat.postMessage` to the review channel: the card, escaped, with Approve and Reject."""
    posted = await _suggested(slack, fake)
    assert posted.args == {
        "channel": CHANNEL,
        "text": f"Suggestion 1 · SDET: “{SHOWN}”",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Suggestion 1 · SDET"}},
            section(f"“{SHOWN}”"),
            section(f"*Suggested by*\n{USER}, 2026-11-21 09:00 UTC"),
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Approve 1"},
                        "action_id": "rb1-button-0-0",
                        "value": "rb1|burnward|approve|id=1",
                        "style": "primary",
                    },
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Reject 1"},
                        "action_id": "rb1-button-0-1",
                        "value": "rb1|burnward|reject|id=1",
                    },
                ],
            },
        ],
        "unfurl_links": False,
        "unfurl_media": False,
    }
    made = await context.store.review_post(f"slack:{TEAM}", 1)
    assert made is not None
    assert (made.channel_id, made.message_id) == (CHANNEL, fake.messages[CHANNEL][1]["ts"])


@pytest.mark.usefixtures("poster")
async def test_approve_by_button_updates_the_review_message_and_dms_the_suggester(
    slack: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """The press answers privately; `chat.update` drops the buttons; the member gets a DM."""
    await _suggested(slack, fake)
    status, _ = await slack.interact(block_action(fake, APPROVE, name="ok", user=LISTED))
    assert status == 200
    answer = await slack.response("ok")
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["text"].startswith("Approved suggestion 1:")
    [update] = await fake.wait_for("chat.update")
    assert update.args == {
        "channel": CHANNEL,
        "ts": fake.messages[CHANNEL][1]["ts"],
        "text": f"Suggestion 1 · SDET · approved: “{SHOWN}”",
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": "Suggestion 1 · SDET · approved"},
            },
            section(f"“{SHOWN}”"),
            section(f"*Suggested by*\n{USER}, 2026-11-21 09:00 UTC"),
            section(f"*Approved by*\n{LISTED}, 2026-11-21 09:00 UTC · quote #1"),
        ],
    }
    [opened] = fake.to("conversations.open")
    assert opened.args == {"users": USER}
    direct = fake.to("chat.postMessage")[-1]
    assert direct.args["channel"] == dm_channel(USER)
    assert direct.args["blocks"] == [
        {"type": "header", "text": {"type": "plain_text", "text": "Your burn-ward suggestion"}},
        section(
            "Your suggestion 1 for SDET was approved: it is quote #1 of the burn ward now,"
            " credited to you."
        ),
        section(f"*Quote*\n“{SHOWN}”"),
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": "/burnward mine lists every suggestion of yours with its status.",
                    "verbatim": True,
                }
            ],
        },
    ]


@pytest.mark.usefixtures("poster")
async def test_typed_reject_updates_the_review_message_with_the_reason(
    slack: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """`/burnward reject 1 <reason>` typed elsewhere updates the message; the DM has the reason."""
    await _suggested(slack, fake)
    await slack.command("/burnward", "reject 1 already in S3", user=LISTED, channel=ELSEWHERE)
    [update] = fake.to("chat.update")
    assert update.args["blocks"][-2:] == [
        section(f"*Rejected by*\n{LISTED}, 2026-11-21 09:00 UTC"),
        section("*Reason*\nalready in S3"),
    ]
    assert "actions" not in _texts(update.args["blocks"])
    direct = fake.to("chat.postMessage")[-1]
    assert direct.args["channel"] == dm_channel(USER)
    assert section("*Reason*\nalready in S3") in direct.args["blocks"]


@pytest.mark.usefixtures("poster")
async def test_a_dm_slack_refuses_leaves_the_decision_recorded(
    slack: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """`conversations.open` answering `cannot_dm_bot` is one log line; the approval stands."""
    await _suggested(slack, fake)
    fake.answers["conversations.open"] = lambda call: web.json_response(
        {"ok": False, "error": "cannot_dm_bot"}
    )
    with watching("bot.commands.review_channel") as log:
        answer = await slack.command("/burnward", "approve 1", user=LISTED)
    assert answer.args["text"].startswith("Approved suggestion 1:")
    assert log.lines == [
        f"{USER} was not told of the decision on suggestion 1: slack: cannot_dm_bot (HTTP 200)"
    ]
    [suggestion] = await context.store.suggestions(f"slack:{TEAM}")
    assert (suggestion.status, suggestion.quote_id) == ("approved", 1)
    assert len(fake.to("chat.update")) == 1
    assert len(fake.to("chat.postMessage")) == 2  # the notice and the review post; no DM


@pytest.mark.usefixtures("poster")
async def test_a_member_pressing_approve_in_the_review_channel_changes_nothing(
    slack: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """A plain member's press on the review message is refused; nothing is updated or sent."""
    await _suggested(slack, fake)
    status, _ = await slack.interact(block_action(fake, APPROVE, name="forged", user=USER))
    assert status == 200
    refused = await slack.response("forged")
    assert refused.args["text"] == (
        "Only admins of this workspace can review suggestions. Nothing was changed."
    )
    assert fake.to("chat.update") == [] and fake.to("conversations.open") == []
    assert [s.status for s in await context.store.suggestions(f"slack:{TEAM}")] == ["pending"]


@pytest.mark.usefixtures("poster")
async def test_the_list_credits_the_suggester(
    slack: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """`/burnward list sdet <last page>` shows the approved quote as suggested by its member."""
    await slack.command("/burnward", f"suggest sdet | {LINE}")
    await slack.command("/burnward", "approve 1", user=LISTED)
    listed = await slack.command("/burnward", "list sdet 9")
    assert section(f"*#1 · suggested by {USER}*\n“{SHOWN}”") in listed.args["blocks"]


@pytest.mark.usefixtures("poster")
async def test_a_channel_the_bot_is_not_in_is_not_made_the_review_channel(
    slack: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """`not_in_channel` on the notice is the answer's reason; no review channel is stored."""
    fake.answers["chat.postMessage"] = lambda call: web.json_response(
        {"ok": False, "error": "not_in_channel"}
    )
    answer = await slack.command("/burnward", "reviews here", user=LISTED)
    assert answer.args["text"] == (
        "The bot cannot post in this channel (slack: not_in_channel (HTTP 200)), so it is not"
        " the review channel: invite the bot or let it post here, then try again."
        " Nothing was changed."
    )
    assert await context.store.review_channel(f"slack:{TEAM}") is None
