"""`/roaststats [month]`: the month parser, counting on the roast path, the chart and its text."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from PIL import Image

from bot.cards.model import Field, Tone
from bot.cards.stats import empty_line
from bot.commands.registry import dispatch
from bot.commands.stats import parse_month
from bot.runtime.context import Context
from tests.conftest import invocation, rows

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("", (date(2026, 11, 1), date(2026, 11, 30))),
        ("  ", (date(2026, 11, 1), date(2026, 11, 30))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2025-12", (date(2025, 12, 1), date(2025, 12, 31))),
        ("9999-12", (date(9999, 12, 1), date(9999, 12, 31))),
    ],
)
def test_months_parse_to_their_first_and_last_day(text: str, span: tuple[date, date]) -> None:
    """YYYY-MM, or nothing for the current month; leap years and December end right."""
    assert parse_month(text, TODAY) == span


@pytest.mark.parametrize(
    "text",
    ["2026-13", "2026-00", "0000-05", "2026-1", "26-11", "november", "2026/11", "２０２６-11"],
)
def test_a_bad_month_is_one_line_naming_the_form(text: str) -> None:
    """Anything else is refused in one line with an example."""
    error = parse_month(text, TODAY)
    assert isinstance(error, str) and "\n" not in error
    assert error.startswith("Give the month as YYYY-MM, e.g. 2026-11;")


async def test_a_bad_month_answers_privately(context: Context) -> None:
    """Through the dispatcher: a private error card, no picture."""
    reply = await dispatch(context, invocation("roaststats", month="last month"))
    assert reply.private and reply.cards[0].tone is Tone.ERROR and reply.attachments == ()


async def test_an_empty_month_says_so_in_words(context: Context) -> None:
    """Nothing counted: the card says so, and so does the picture it carries."""
    reply = await dispatch(context, invocation("roaststats"))
    (card,) = reply.cards
    assert card.description == empty_line("2026-11")
    assert card.fields == ()
    (chart,) = reply.attachments
    assert card.image == chart.filename == "roaststats-2026-11.png"


async def test_roasts_and_missing_roles_are_counted_and_charted(context: Context) -> None:
    """Summary, section and image roasts count for the role; unknown roles count as typed."""
    for options in (
        {"role": "SDET"},
        {"role": "sdet", "section": "salary"},
        {"role": "SDET image"},
        {"role": "Enterprise Architect"},
        {"role": "Quantum  Llama Wrangler"},
        {"role": "quantum llama WRANGLER"},
    ):
        await dispatch(context, invocation("roast", **options))
    reply = await dispatch(context, invocation("roaststats", text="2026-11"))
    (card,) = reply.cards
    assert not reply.private
    assert [(f.name, f.value) for f in card.fields] == [
        ("Most roasted", "1. SDET: 3\n2. Enterprise Architect: 1"),
        ("Most asked, missing", "1. quantum llama wrangler: 2"),
    ]
    (chart,) = reply.attachments
    assert (chart.filename, chart.mime) == ("roaststats-2026-11.png", "image/png")
    with Image.open(io.BytesIO(chart.content)) as image:
        assert image.size == (1200, 630)
    other = await dispatch(context, invocation("roaststats", workspace="w2"))
    assert other.cards[0].description == empty_line("2026-11")


async def test_a_hostile_missing_role_is_counted_clean(context: Context) -> None:
    """NUL, a lone surrogate, ESC and a bidi override in an unknown role: refused politely,
    counted without them, so the database never chokes and the chart shows plain text."""
    typed = "Qu\x00antum\ud800 \x1b[2J\u202eLlama\u200b"
    reply = await dispatch(context, invocation("roast", role=typed))
    assert reply.cards[0].description.startswith("No specimen called")
    stats = await dispatch(context, invocation("roaststats"))
    assert stats.cards[0].fields[0] == Field("Most asked, missing", "1. quantum [2jllama: 1")


async def test_days_are_counted_in_utc_and_months_kept_apart(context: Context) -> None:
    """A roast at 23:30 UTC on 31 October is October's, whatever the month asked."""
    late = replace(context, clock=lambda: datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    await dispatch(late, invocation("roast", role="SDET"))
    assert await rows(context.store, "SELECT day, count FROM roast_counts") == [("2026-10-31", 1)]  # type: ignore[arg-type]
    november = await dispatch(context, invocation("roaststats"))
    assert november.cards[0].description == empty_line("2026-11")
    october = await dispatch(context, invocation("roaststats", month="2026-10"))
    assert october.cards[0].fields[0].value == "1. SDET: 1"


async def test_concurrent_roasts_are_all_counted(context: Context) -> None:
    """Forty roasts at once from four channels: the month shows all forty."""
    await asyncio.gather(
        *(
            dispatch(context, invocation("roast", role="SDET", channel=f"c{n % 4}"))
            for n in range(40)
        )
    )
    reply = await dispatch(context, invocation("roaststats"))
    assert reply.cards[0].fields[0].value == "1. SDET: 40"
