"""Every suggestion card fits Discord's and Slack's limits at its fullest: the review page,
`mine`, and a decided suggestion's review message and direct message."""

from __future__ import annotations

import json
from dataclasses import replace

from bot.adapters.discord.render import message_payload as discord_payload
from bot.adapters.slack.render import message_payload as slack_payload
from bot.cards.decision import decided_card, decision_message
from bot.cards.model import Reply
from bot.commands.registry import dispatch
from bot.commands.suggestions import MAX_REASON
from bot.quotes.text import MAX_QUOTE, MAX_SOURCE
from bot.runtime.context import Context
from bot.store import APPROVED, REJECTED, Suggestion
from tests.adapters.discord.test_render import assert_within_limits
from tests.adapters.slack.test_render import check_limits
from tests.conftest import FIXED_NOW, invocation


async def test_a_full_review_page_and_a_full_mine_fit_both_platforms(context: Context) -> None:
    """Twelve members' longest suggestions (near duplicates all) render whole on both."""
    for member in range(12):
        quote = f"{member} " + "word " * ((MAX_QUOTE - 5) // 5)
        reply = await dispatch(
            context,
            invocation(
                "burnward",
                "suggest",
                user=f"u{member}",
                role="sdet",
                quote=quote,
                source="s" * MAX_SOURCE,
            ),
        )
        assert reply.cards[0].description.startswith(f"Suggestion {member + 1} for SDET")
    for page in ("1", "2", "3"):
        review = await dispatch(context, invocation("burnward", "review", admin=True, page=page))
        assert len(review.cards) > 1
        assert_within_limits(discord_payload(review))
        slack = slack_payload(review)
        check_limits(slack)
        assert "Shortened" not in json.dumps(slack)
    mine = await dispatch(context, invocation("burnward", "mine", user="u0"))
    assert_within_limits(discord_payload(mine))
    check_limits(slack_payload(mine))


def test_decided_review_messages_and_direct_messages_fit_both_platforms() -> None:
    """The edited review message and the DM, at the longest quote, source, reason and ids."""
    longest = "word " * (MAX_QUOTE // 5)
    base = Suggestion(
        id=10**15 - 1,
        workspace="discord:1",
        role_id="sdet",
        text=longest.strip(),
        source="s" * MAX_SOURCE,
        fingerprint="f",
        suggested_by="9" * 20,
        suggested_at=FIXED_NOW,
        decided_by="8" * 20,
        decided_at=FIXED_NOW,
    )
    decided = (
        replace(base, status=APPROVED, quote_id=10**15 - 1),
        replace(base, status=REJECTED, reason="r " * (MAX_REASON // 2)),
    )
    title = "T" * 120
    for suggestion in decided:
        for reply in (
            Reply((decided_card(title, suggestion),)),
            decision_message(title, suggestion),
        ):
            assert_within_limits(discord_payload(reply))
            slack = slack_payload(reply)
            check_limits(slack)
            assert "Shortened" not in json.dumps(slack)
