"""Section cards that could grow without bound stay within a fixed size."""

from __future__ import annotations

from bot.cards.roast import MAX_QUOTE_FIELDS
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from tests.conftest import invocation

SDET = "sdet"


async def test_the_burn_ward_section_shows_the_newest_additions_and_says_what_it_hides(
    context: Context,
) -> None:
    """Thirty additions: the card keeps to its size, names the newest, and points to the list."""
    for n in range(30):
        await dispatch(
            context, invocation("burnward", "add", admin=True, role=SDET, quote=f"addition {n}")
        )
    card = (await dispatch(context, invocation("roast", role=SDET, section="burn-ward"))).cards[0]
    assert len(card.fields) == MAX_QUOTE_FIELDS
    assert card.fields[-2].value == "“addition 29”"
    seeds = len(context.catalog.get(SDET).dossier.burn_ward)  # type: ignore[union-attr]
    hidden = 30 - (MAX_QUOTE_FIELDS - seeds - 1)
    assert card.fields[-1].name == f"{hidden} older additions not shown"
    assert card.fields[-1].value == "See them all: /burnward list SDET"
