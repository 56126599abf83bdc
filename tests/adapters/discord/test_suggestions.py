"""Discord end to end: members suggest, managers review by button; JSON asserted at a fake API."""

from __future__ import annotations

from bot.runtime.context import Context
from tests.adapters.discord.fake_discord import (
    GUILD,
    MANAGE_SERVER,
    USER,
    Harness,
    bot,
    command,
    press,
)

__all__ = ["bot"]  # fixtures

LINE = "Flaky means the test found a bug"
NO_MENTIONS: dict[str, list[str]] = {"parse": []}
APPROVE = "rb1|burnward|approve|id=1"


async def _sdet_quotes(bot: Harness, context: Context) -> list[str]:
    """The quote field of one full round of SDET roasts plus one."""
    role = context.catalog.get("sdet")
    assert role is not None
    values = []
    for _ in range(len(role.dossier.burn_ward) + 1):
        body = await bot.interact(command("roast")(role="sdet"))
        values.append(body["data"]["embeds"][0]["fields"][-1]["value"])
    return values


async def test_a_member_suggests_and_a_manager_approves_by_button(
    bot: Harness, context: Context
) -> None:
    """Suggest answers privately with the id; the review card's Approve adds the quote."""
    suggest = command("burnward", "suggest")
    body = await bot.interact(suggest(role="sdet", quote=LINE, source="QA"))
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
    assert f"> “{LINE}”\n> — QA" not in await _sdet_quotes(bot, context)
    review = await bot.interact(command("burnward", "review", permissions=MANAGE_SERVER)())
    data = review["data"]
    assert data["flags"] == 64
    assert [e["title"] for e in data["embeds"]] == [
        "Burn ward: suggestions to review",
        "Suggestion 1 · SDET",
    ]
    assert data["components"] == [
        {
            "type": 1,
            "components": [
                {"type": 2, "style": 1, "label": "Approve 1", "custom_id": APPROVE},
                {
                    "type": 2,
                    "style": 2,
                    "label": "Reject 1",
                    "custom_id": "rb1|burnward|reject|id=1",
                },
            ],
        }
    ]
    decided = await bot.interact(press(APPROVE, on=data, permissions=MANAGE_SERVER))
    assert decided["data"]["embeds"][0]["description"] == (
        f"Approved suggestion 1: it is quote #1 of the burn ward now, suggested by {USER},"
        f" approved by {USER}."
    )
    assert f"> “{LINE}”\n> — QA" in await _sdet_quotes(bot, context)


async def test_a_member_pressing_a_forged_approve_changes_nothing(
    bot: Harness, context: Context
) -> None:
    """An Approve press (or typed approve) without Manage Server is refused; nothing changes."""
    await bot.interact(command("burnward", "suggest")(role="sdet", quote=LINE))
    for attempt in (
        press(APPROVE, on={"embeds": []}),
        command("burnward", "approve")(id="1"),
    ):
        body = await bot.interact(attempt)
        assert body["data"]["flags"] == 64
        assert body["data"]["embeds"][0]["description"] == (
            "Only admins of this server can review suggestions. Nothing was changed."
        )
    assert [s.status for s in await context.store.suggestions(f"discord:{GUILD}")] == ["pending"]
    assert await context.store.live_quotes(f"discord:{GUILD}", "sdet") == []


async def test_typed_reject_and_mine_reach_the_core(bot: Harness, context: Context) -> None:
    """/burnward reject with a reason records it; /burnward mine shows it to the suggester."""
    await bot.interact(command("burnward", "suggest")(role="sdet", quote=LINE))
    reject = command("burnward", "reject", permissions=MANAGE_SERVER)
    body = await bot.interact(reject(id="1", reason="already in S3"))
    assert body["data"]["embeds"][0]["description"] == (
        "Rejected suggestion 1. It stays on record but never shows."
    )
    mine = await bot.interact(command("burnward", "mine")())
    assert mine["data"]["embeds"][0]["fields"] == [
        {"name": "1 · SDET · rejected: already in S3", "value": f"“{LINE}”", "inline": False}
    ]
    assert mine["data"]["flags"] == 64
