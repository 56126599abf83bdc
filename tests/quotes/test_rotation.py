"""Quote rotation through the command layer: fifty concurrent roasts in one channel."""

from __future__ import annotations

import asyncio

from bot.commands.registry import dispatch
from bot.runtime.context import Context
from tests.conftest import invocation

EA = "enterprise-architect"


async def test_fifty_concurrent_roasts_never_repeat_a_quote_within_a_round(
    context: Context,
) -> None:
    """Each round is a permutation of the quotes, and no round opens with the last one."""
    quotes = [q.quote for q in context.catalog.get(EA).dossier.burn_ward]  # type: ignore[union-attr]
    replies = await asyncio.gather(
        *(dispatch(context, invocation("roast", role=EA)) for _ in range(50))
    )
    shown = [r.cards[0].quote.text for r in replies]  # type: ignore[union-attr]
    # the store's lock is first-come first-served, so replies are in draw order
    rounds = [shown[i : i + len(quotes)] for i in range(0, len(shown), len(quotes))]
    for whole in rounds[:-1]:
        assert sorted(whole) == sorted(quotes)
    assert len(set(rounds[-1])) == len(rounds[-1])
    assert all(rounds[i][-1] != rounds[i + 1][0] for i in range(len(rounds) - 1))
