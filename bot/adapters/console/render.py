"""Render a neutral card for a terminal with rich. Pure: card in, renderable out."""

from __future__ import annotations

from rich.columns import Columns
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from bot.cards.model import Card, Reply, Tone

TONE_STYLES = {
    Tone.ROAST: "red",
    Tone.INFO: "cyan",
    Tone.ERROR: "yellow",
    Tone.SUCCESS: "green",
}


def render_card(card: Card, first_button: int = 1) -> RenderableType:
    """A panel with the card's text; buttons are numbered from `first_button` for the prompt.

    Menus are not drawn: a card's footer says what to type instead.
    """
    parts: list[RenderableType] = []
    if card.header:
        parts.append(Text(card.header.upper(), style="bold magenta"))
    if card.description:
        parts.append(Text(card.description, style="italic" if card.title else ""))
    for field in card.fields:
        parts.append(Text.assemble("\n", (field.name, "bold"), "\n", field.value))
    if card.quote is not None:
        quote = Text.assemble("\n", ("“" + card.quote.text + "”", "italic"))
        if card.quote.source:
            quote.append(f"\n  — {card.quote.source}", style="dim")
        parts.append(quote)
    if card.buttons:
        parts.append(Text(""))
        parts.append(_buttons(card, first_button))
    if card.url:
        parts.append(Text("\nFull file: " + card.url, style="dim underline"))
    if card.footer:
        parts.append(Text("\n" + card.footer, style="dim"))
    if not parts:
        parts.append(Text(""))
    return Panel(
        Group(*parts),
        title=Text(card.title, style="bold") if card.title else None,
        title_align="left",
        border_style=TONE_STYLES[card.tone],
    )


def _buttons(card: Card, first_button: int) -> Columns:
    """The buttons as whole units, wrapped between buttons, never inside one.

    A button wider than the whole card is cut short with "…": its number still presses it.
    """
    return Columns(
        [
            Text(f"[{n}] {b.label}", style="bold blue", no_wrap=True, overflow="ellipsis")
            for n, b in enumerate(card.buttons, first_button)
        ],
        padding=(0, 3),
    )


def render_reply(reply: Reply) -> list[RenderableType]:
    """Every card of a reply, with buttons numbered across the whole reply."""
    rendered: list[RenderableType] = []
    number = 1
    for card in reply.cards:
        rendered.append(render_card(card, number))
        number += len(card.buttons)
    if reply.private:
        rendered.append(Text("(only you can see this)", style="dim"))
    return rendered
