"""Suggestions on Slack: typed by members, reviewed by admins with buttons, JSON at the fake."""

from __future__ import annotations

from bot.runtime.context import Context
from tests.adapters.slack.fake_slack import (
    LISTED,
    TEAM,
    USER,
    FakeSlack,
    SlackBench,
    block_action,
    expected,
    fake,
    slack,
    twin,
)

__all__ = ["fake", "slack", "twin"]  # fixtures

LINE = "It works on my <b>pipeline</b>"
APPROVE = {"type": "button", "action_id": "rb1-button-1-0", "value": "rb1|burnward|approve|id=1"}


async def test_a_member_suggests_by_typing_and_a_listed_admin_approves_by_button(
    slack: SlackBench, fake: FakeSlack, context: Context, twin: Context
) -> None:
    """Typed suggest answers privately with the id; review shows buttons; Approve adds it."""
    typed = await slack.command("/burnward", f"suggest sdet | {LINE} | standup")
    assert typed.args == await expected(
        twin, "burnward", "suggest", role="sdet", quote=LINE, source="standup"
    )
    assert typed.args["response_type"] == "ephemeral"
    assert typed.args["text"] == "Suggestion 1 for SDET is in; admins will review it."

    review = await slack.command("/burnward", "review", user=LISTED)
    buttons = [
        element
        for block in review.args["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert [(b["text"]["text"], b["value"]) for b in buttons] == [
        ("Approve 1", "rb1|burnward|approve|id=1"),
        ("Reject 1", "rb1|burnward|reject|id=1"),
    ]
    assert "&lt;b&gt;pipeline&lt;/b&gt;" in review.raw and "<b>" not in review.raw

    status, _ = await slack.interact(block_action(fake, APPROVE, name="ok", user=LISTED))
    assert status == 200
    approved = await slack.response("ok")
    assert approved.args["text"] == (
        f"Approved suggestion 1: it is quote #1 of the burn ward now, suggested by {USER},"
        f" approved by {LISTED}."
    )
    [quote] = await context.store.live_quotes(f"slack:{TEAM}", "sdet")
    assert (quote.text, quote.source) == (LINE, "standup")


async def test_a_member_pressing_approve_changes_nothing(
    slack: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """A forged Approve from a plain member is refused privately; the suggestion stays pending."""
    await slack.command("/burnward", f"suggest sdet | {LINE}")
    status, _ = await slack.interact(block_action(fake, APPROVE, name="forged"))
    assert status == 200
    refused = await slack.response("forged")
    assert refused.args["text"] == (
        "Only admins of this workspace can review suggestions. Nothing was changed."
    )
    assert [s.status for s in await context.store.suggestions(f"slack:{TEAM}")] == ["pending"]
    assert await context.store.live_quotes(f"slack:{TEAM}", "sdet") == []
