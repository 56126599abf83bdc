"""Hostile text typed into commands: echoed back clean and short, stored without failing."""

from __future__ import annotations

import re

import pytest

from bot.cards.model import Tone
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.store import Place
from tests.conftest import invocation

# C0/C1 controls, bidi embeddings, overrides and isolates, marks, lone surrogates
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
HOSTILE = "\u202eLive\x1b[2J\x00\u2066lihc\ud800\u2069\r\nDeo"


ECHOED = [
    ("roast", None, {"role": HOSTILE}),
    ("roast", None, {"role": "SDET", "section": HOSTILE}),
    ("burnward", "list", {"role": HOSTILE}),
    ("burnward", "suggest", {"role": HOSTILE, "quote": "fine words"}),
    ("burnward", "review", {"page": HOSTILE}),
    ("specimen", "subscribe", {"zone": HOSTILE}),
    ("specimen", "subscribe", {"time": HOSTILE}),
    ("specimen", "subscribe", {"days": HOSTILE}),
    ("specimen", "subscribe", {"ping": HOSTILE}),
    ("specimen", "subscribe", {"unknown": HOSTILE}),
    ("specimen", "history", {"page": HOSTILE}),
    ("roaststats", None, {"month": HOSTILE}),
]


@pytest.mark.parametrize(
    ("platform", "command", "subcommand", "options"),
    [
        (platform, *case)
        for platform in ("discord", "slack", "console")
        for case in ECHOED
        if not (platform == "console" and "ping" in case[2])  # the console pings any name
    ],
)
async def test_typed_text_is_echoed_without_control_or_bidi_characters(
    context: Context, platform: str, command: str, subcommand: str | None, options: dict[str, str]
) -> None:
    """A refusal quoting what was typed carries no override, escape, NUL or line break."""
    reply = await dispatch(
        context, invocation(command, subcommand, admin=True, platform=platform, **options)
    )
    (card, *_) = reply.cards
    assert card.tone is Tone.ERROR and "Live" in card.description, card.description
    assert not UNSAFE.search(card.description), ascii(card.description)


@pytest.mark.parametrize("option", ["days", "ping", "unknown"])
async def test_a_long_word_is_echoed_cut_short(context: Context, option: str) -> None:
    """Five thousand characters typed to /specimen subscribe come back as one short line."""
    reply = await dispatch(
        context,
        invocation("specimen", "subscribe", admin=True, platform="slack", **{option: "x" * 5000}),
    )
    assert reply.cards[0].tone is Tone.ERROR and len(reply.cards[0].description) < 300


async def test_a_console_ping_of_junk_characters_subscribes_without_failing(
    context: Context,
) -> None:
    """NUL and a lone surrogate as the console's ping name: nothing left to ping, no failure."""
    reply = await dispatch(
        context, invocation("specimen", "subscribe", admin=True, ping="\ud800\x00")
    )
    assert reply.cards[0].tone is Tone.SUCCESS, reply.cards[0].description
    stored = await context.store.subscription(Place("console", "w1", "c1"))
    assert stored is not None and stored.options.ping is None
