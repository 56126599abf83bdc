"""Every suggestion card fits Discord's and Slack's limits at its fullest."""

from __future__ import annotations

import json

from bot.adapters.discord.render import message_payload as discord_payload
from bot.adapters.slack.render import message_payload as slack_payload
from bot.commands.registry import dispatch
from bot.quotes.text import MAX_QUOTE, MAX_SOURCE
from bot.runtime.context import Context
from tests.adapters.discord.test_render import assert_within_limits
from tests.adapters.slack.test_render import check_limits
from tests.conftest import invocation


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
