"""`/burnward suggest` typed with too little: the console answers with how to type it."""

from __future__ import annotations

from bot.cards.model import Tone
from bot.commands.registry import dispatch
from bot.commands.textargs import parse_line
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation


async def _console(context: Context, line: str) -> tuple[str, Tone, bool]:
    """The description, tone and privacy of the answer to a console line."""
    parsed = parse_line(line)
    assert parsed is not None
    invocation = Invocation(
        "console", "w1", "c1", "u1", False, parsed.command, parsed.subcommand, parsed.options
    )
    card = (reply := await dispatch(context, invocation)).cards[0]
    return card.description, card.tone, reply.private


async def test_bare_suggest_answers_with_the_typed_form(context: Context) -> None:
    """`/burnward suggest` alone gets the typed form privately (no form on a console)."""
    assert await _console(context, "/burnward suggest") == (
        "Suggest a quote for admins to review: /burnward suggest <role> | <quote> | [source],"
        " e.g. /burnward suggest SDET | It works on my pipeline | standup.",
        Tone.INFO,
        True,
    )
    assert await context.store.suggestions("console:w1") == []


async def test_a_quote_without_a_role_shows_the_suggest_example(context: Context) -> None:
    """A quote with no role before the bar asks for the role with a suggest example."""
    description, tone, private = await _console(context, "/burnward suggest | Synergy ate it")
    assert description == (
        "Which specimen? Give a role, e.g."
        " /burnward suggest Enterprise Architect | <quote> | [source]."
    )
    assert tone is Tone.ERROR and private
    assert await context.store.suggestions("console:w1") == []
