"""Quote rotation through the command layer: fifty concurrent roasts in one channel."""

from __future__ import annotations

import asyncio
from collections import Counter

from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.store import SqlStore
from tests.conftest import invocation, rows

EA = "enterprise-architect"


async def test_fifty_concurrent_roasts_never_repeat_a_quote_within_a_round(
    context: Context,
) -> None:
    """Each round is a permutation of the quotes, and no round opens with the last one."""
    quotes = [q.quote for q in context.catalog.get(EA).dossier.burn_ward]  # type: ignore[union-attr]
    replies = await asyncio.gather(
        *(dispatch(context, invocation("roast", role=EA)) for _ in range(50))
    )
    shown = Counter(r.cards[0].quote.text for r in replies)  # type: ignore[union-attr]
    rounds, extra = divmod(50, len(quotes))
    assert sorted(shown.values()) == [rounds] * (len(quotes) - extra) + [rounds + 1] * extra
    assert set(shown) == set(quotes)
    await assert_bag_keeps_its_promise(context.store, len(quotes))  # type: ignore[arg-type]


async def assert_bag_keeps_its_promise(store: SqlStore, size: int, role: str = EA) -> None:
    """The bag's kept rounds, in draw order: whole permutations, no round opening on the last."""
    drawn = await rows(
        store,
        "SELECT round, seq, item FROM bag_draws WHERE bag = :bag ORDER BY round, seq",
        bag=f"quote:{role}",
    )
    by_round: dict[object, list[object]] = {}
    for number, seq, item in drawn:
        assert seq == len(by_round.setdefault(number, []))
        by_round[number].append(item)
    kept = list(by_round.values())
    assert all(len(set(r)) == len(r) for r in kept)
    assert all(len(r) == size for r in kept[:-1])
    assert all(kept[i][-1] != kept[i + 1][0] for i in range(len(kept) - 1))
