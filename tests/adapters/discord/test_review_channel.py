"""Discord: the review channel, its edited messages and the suggester's DM, at the fake API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from bot.runtime.context import Context
from tests.adapters.discord.fake_discord import (
    GUILD,
    MANAGE_SERVER,
    USER,
    Harness,
    command,
    discord_harness,
    dm_channel,
    interaction,
    press,
    snowflake,
)
from tests.logwatch import watching

REVIEWS = "700000000000000002"
BOSS = "600000000000000002"
LINE = "Flaky means the test found a bug"
APPROVE = "rb1|burnward|approve|id=1"
REJECT = "rb1|burnward|reject|id=1"
NO_MENTIONS: dict[str, list[str]] = {"parse": []}
INFO, SUCCESS, ERROR = 0x5865F2, 0x57F287, 0xED4245
POSTED = f"/channels/{REVIEWS}/messages"
DM = f"/channels/{dm_channel(USER)}/messages"
SUGGESTED = {"name": "Suggested by", "value": f"{USER}, 2026-11-21 09:00 UTC", "inline": False}
REVIEW_CARD = {
    "embeds": [
        {
            "title": "Suggestion 1 · SDET",
            "description": f"“{LINE}”",
            "color": INFO,
            "fields": [SUGGESTED],
        }
    ],
    "components": [
        {
            "type": 1,
            "components": [
                {"type": 2, "style": 1, "label": "Approve 1", "custom_id": APPROVE},
                {"type": 2, "style": 2, "label": "Reject 1", "custom_id": REJECT},
            ],
        }
    ],
    "allowed_mentions": NO_MENTIONS,
}


@pytest_asyncio.fixture
async def bot(context: Context) -> AsyncIterator[Harness]:
    """A client logged in against a fake Discord, posting through its own poster."""
    async with discord_harness(context) as harness:
        context.connect_poster(harness.client.poster)
        yield harness


def reviews(mode: str, *, permissions: str = MANAGE_SERVER) -> dict[str, Any]:
    """`/burnward reviews <mode>` typed in the review channel: a subcommand group's payload."""
    group = {"name": "reviews", "type": 2, "options": [{"name": mode, "type": 1, "options": []}]}
    data = {"id": snowflake(), "name": "burnward", "type": 1, "options": [group]}
    return interaction(2, data, channel_id=REVIEWS, permissions=permissions)


async def _suggested(bot: Harness) -> dict[str, Any]:
    """Set the review channel, suggest as a member; the review message Discord made."""
    answer = await bot.interact(reviews("here"))
    assert answer["data"]["embeds"][0]["description"].startswith(
        "New suggestions will be posted in this channel"
    )
    await bot.interact(command("burnward", "suggest")(role="sdet", quote=LINE))
    notice, posted = bot.fake.matching("POST", POSTED)
    assert notice.body["embeds"][0]["description"].startswith(
        "This is the burn ward's review channel now"
    )
    assert "flags" not in notice.body  # public, for the channel to see
    return dict(posted.body)


async def test_a_suggestion_is_posted_in_the_review_channel_with_its_buttons(
    bot: Harness, context: Context
) -> None:
    """The review card, public, with Approve and Reject, exactly; its id is stored."""
    body = await _suggested(bot)
    assert body == REVIEW_CARD
    made = await context.store.review_post(f"discord:{GUILD}", 1)
    assert made is not None and made.channel_id == REVIEWS


async def test_approve_by_button_edits_the_review_message_and_dms_the_suggester(
    bot: Harness, context: Context
) -> None:
    """The press answers the presser privately, edits the message, and DMs the member."""
    body = await _suggested(bot)
    made = await context.store.review_post(f"discord:{GUILD}", 1)
    assert made is not None
    pressed = press(APPROVE, on=body, channel_id=REVIEWS, user_id=BOSS, permissions=MANAGE_SERVER)
    answer = await bot.interact(pressed)
    assert answer["type"] == 4 and answer["data"]["flags"] == 64
    [edit] = bot.fake.matching("PATCH", f"/channels/{REVIEWS}/messages/{made.message_id}")
    assert edit.body == {
        "embeds": [
            {
                "title": "Suggestion 1 · SDET · approved",
                "description": f"“{LINE}”",
                "color": SUCCESS,
                "fields": [
                    SUGGESTED,
                    {
                        "name": "Approved by",
                        "value": f"{BOSS}, 2026-11-21 09:00 UTC · quote #1",
                        "inline": False,
                    },
                ],
            }
        ],
        "components": [],
        "allowed_mentions": NO_MENTIONS,
    }
    [opened] = bot.fake.matching("POST", "/users/@me/channels")
    assert opened.body == {"recipient_id": USER}
    [direct] = bot.fake.matching("POST", DM)
    assert direct.body == {
        "embeds": [
            {
                "title": "Your burn-ward suggestion",
                "description": "Your suggestion 1 for SDET was approved: it is quote #1 of the"
                " burn ward now, credited to you.",
                "color": SUCCESS,
                "fields": [{"name": "Quote", "value": f"“{LINE}”", "inline": False}],
                "footer": {
                    "text": "/burnward mine lists every suggestion of yours with its status."
                },
            }
        ],
        "components": [],
        "allowed_mentions": NO_MENTIONS,
    }


async def test_typed_reject_edits_the_review_message_and_dms_the_reason(
    bot: Harness, context: Context
) -> None:
    """`/burnward reject 1 <reason>` elsewhere edits the review message; the DM has the reason."""
    await _suggested(bot)
    reject = command("burnward", "reject", user_id=BOSS, permissions=MANAGE_SERVER)
    await bot.interact(reject(id="1", reason="already in S3"))
    [edit] = bot.fake.matching("PATCH", f"/channels/{REVIEWS}/messages/*")
    embed = edit.body["embeds"][0]
    assert (embed["title"], embed["color"], edit.body["components"]) == (
        "Suggestion 1 · SDET · rejected",
        ERROR,
        [],
    )
    assert [(f["name"], f["value"]) for f in embed["fields"][1:]] == [
        ("Rejected by", f"{BOSS}, 2026-11-21 09:00 UTC"),
        ("Reason", "already in S3"),
    ]
    [direct] = bot.fake.matching("POST", DM)
    fields = direct.body["embeds"][0]["fields"]
    assert fields[0] == {"name": "Reason", "value": "already in S3", "inline": False}


async def test_a_dm_the_member_does_not_accept_leaves_the_decision_recorded(
    bot: Harness, context: Context
) -> None:
    """Discord's 403 (50007) on the DM is one log line; the approval stands, the edit is made."""
    await _suggested(bot)
    refusal = {"message": "Cannot send messages to this user", "code": 50007}
    bot.fake.fail("POST", DM, 403, refusal)
    approve = command("burnward", "approve", user_id=BOSS, permissions=MANAGE_SERVER)
    with watching("bot.commands.review_channel") as log:
        answer = await bot.interact(approve(id="1"))
    assert answer["data"]["embeds"][0]["description"].startswith("Approved suggestion 1:")
    assert log.lines == [
        f"{USER} was not told of the decision on suggestion 1: no access to channel"
        f" {dm_channel(USER)}: Cannot send messages to this user"
    ]
    [suggestion] = await context.store.suggestions(f"discord:{GUILD}")
    assert (suggestion.status, suggestion.quote_id) == ("approved", 1)
    assert len(bot.fake.matching("PATCH", f"/channels/{REVIEWS}/messages/*")) == 1


async def test_a_review_post_that_fails_never_fails_the_suggestion(
    bot: Harness, context: Context
) -> None:
    """The review channel refusing the post (403) is logged; the member's suggestion is in."""
    await bot.interact(reviews("here"))
    bot.fake.fail("POST", POSTED, 403, {"message": "Missing Access", "code": 50001})
    with watching("bot.commands.review_channel") as log:
        answer = await bot.interact(command("burnward", "suggest")(role="sdet", quote=LINE))
    assert answer["data"]["embeds"][0]["description"] == (
        "Suggestion 1 for SDET is in; admins will review it."
    )
    assert log.lines == [
        f"suggestion 1 was not posted for review: no access to channel {REVIEWS}: Missing Access"
    ]
    assert [s.status for s in await context.store.suggestions(f"discord:{GUILD}")] == ["pending"]
    assert await context.store.review_post(f"discord:{GUILD}", 1) is None


async def test_a_member_pressing_approve_in_the_review_channel_changes_nothing(
    bot: Harness, context: Context
) -> None:
    """A member's press on the real message (or a forged one) edits nothing and DMs no one."""
    body = await _suggested(bot)
    for pressed in (
        press(APPROVE, on=body, channel_id=REVIEWS, user_id=BOSS),
        press(REJECT, on={"embeds": []}, channel_id=REVIEWS, user_id=BOSS),
    ):
        answer = await bot.interact(pressed)
        assert answer["data"]["embeds"][0]["description"] == (
            "Only admins of this server can review suggestions. Nothing was changed."
        )
    assert bot.fake.matching("PATCH", "/channels/*") == []
    assert bot.fake.matching("POST", "/users/@me/channels") == []
    assert [s.status for s in await context.store.suggestions(f"discord:{GUILD}")] == ["pending"]


async def test_members_cannot_set_the_review_channel(bot: Harness, context: Context) -> None:
    """`/burnward reviews here` without Manage Server is refused; `show` says there is none."""
    refused = await bot.interact(reviews("here", permissions="0"))
    assert refused["data"]["embeds"][0]["description"] == (
        "Only admins of this server can choose the review channel. Nothing was changed."
    )
    shown = await bot.interact(reviews("show", permissions="0"))
    assert shown["data"]["embeds"][0]["description"].startswith("No review channel")
    assert await context.store.review_channel(f"discord:{GUILD}") is None


async def test_the_list_credits_the_suggester_without_a_mention(
    bot: Harness, context: Context
) -> None:
    """`/burnward list` names who suggested an approved quote; nothing may ping anyone."""
    await bot.interact(command("burnward", "suggest")(role="sdet", quote=LINE))
    approve = command("burnward", "approve", user_id=BOSS, permissions=MANAGE_SERVER)
    await bot.interact(approve(id="1"))
    role = context.catalog.get("sdet")
    assert role is not None
    page = str(len(role.dossier.burn_ward) // 10 + 1)
    listed = await bot.interact(command("burnward", "list")(role="sdet", page=int(page)))
    assert listed["data"]["allowed_mentions"] == NO_MENTIONS
    assert listed["data"]["embeds"][0]["fields"][-1] == {
        "name": f"\\#1 · suggested by {USER}",  # Markdown escaped, as every field name
        "value": f"“{LINE}”",
        "inline": False,
    }


async def test_a_channel_the_bot_cannot_post_in_is_not_made_the_review_channel(
    bot: Harness, context: Context
) -> None:
    """`reviews here` tries its notice first; Discord's 403 is the answer's reason, not stored."""
    bot.fake.fail("POST", POSTED, 403, {"message": "Missing Permissions", "code": 50013})
    answer = await bot.interact(reviews("here"))
    assert answer["data"]["embeds"][0]["description"] == (
        f"The bot cannot post in this channel (no access to channel {REVIEWS}: Missing"
        " Permissions), so it is not the review channel: invite the bot or let it post here,"
        " then try again. Nothing was changed."
    )
    assert await context.store.review_channel(f"discord:{GUILD}") is None
