"""Render a neutral `Reply` as a Discord message: embeds, components, no mentions. Pure.

`message_payload(reply)` is the exact JSON the bot sends (interaction responses, follow-ups
and channel posts alike) and what `roastbot roast X --format discord` prints. Whatever the
cards hold, Discord's limits are kept: every string is clipped with "…", fields, embeds,
rows, buttons and options beyond the limits are dropped, and the 6000 characters of a
message are shared out header first, then title, footer, description, quote and fields.
A reply's files are listed under `attachments`, at most 10, each `id` the index of the
`files[n]` part that carries its bytes (see `responses.send`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import Any

from bot.adapters.discord.text import BLANK, fit_markdown, fit_plain
from bot.cards.model import Action, Button, ButtonStyle, Card, Field, Menu, Quote, Reply, Tone

TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
MESSAGE_TOTAL = 6000
EMBEDS = 10
ROWS = 5
BUTTONS_PER_ROW = 5
LABEL = 80
CUSTOM_ID = 100
OPTIONS = 25
OPTION_TEXT = 100
PLACEHOLDER = 150
QUOTE_SOURCE = 200
ATTACHMENTS = 10
URL = 2048

EPHEMERAL = 64
NO_MENTIONS: dict[str, list[str]] = {"parse": []}
MENU_PREFIX = "rb1-menu:"
"""Custom ids of section menus; the chosen option's value is the encoded `Action`."""

COLOURS = {
    Tone.ROAST: 0xE8590C,
    Tone.INFO: 0x5865F2,
    Tone.ERROR: 0xED4245,
    Tone.SUCCESS: 0x57F287,
}
BUTTON_STYLES = {ButtonStyle.PRIMARY: 1, ButtonStyle.SECONDARY: 2}


def message_payload(reply: Reply) -> dict[str, Any]:
    """The message JSON for a reply; ephemeral (flags 64) when the reply is private."""
    payload: dict[str, Any] = {
        "embeds": render_embeds(reply.cards),
        "components": render_components(reply.cards),
        "allowed_mentions": NO_MENTIONS,
    }
    if reply.ping is not None and reply.ping.isdigit():
        payload["content"] = f"<@&{reply.ping}>"
        payload["allowed_mentions"] = {"parse": [], "roles": [reply.ping]}
    if reply.private:
        payload["flags"] = EPHEMERAL
    if reply.attachments:
        payload["attachments"] = [
            {"id": index, "filename": attachment.filename}
            for index, attachment in enumerate(reply.attachments[:ATTACHMENTS])
        ]
    return payload


class _Budget:
    """The characters left of a message's 6000."""

    def __init__(self, total: int) -> None:
        self.left = total

    def take(self, text: str) -> str:
        self.left -= len(text)
        return text


def render_embeds(cards: Sequence[Card]) -> list[dict[str, Any]]:
    """One embed per card, at most 10, sharing the message's 6000 characters."""
    budget = _Budget(MESSAGE_TOTAL)
    embeds = []
    for card in cards[:EMBEDS]:
        if budget.left < 1:
            break
        embeds.append(_embed(card, budget))
    return embeds


def _embed(card: Card, budget: _Budget) -> dict[str, Any]:
    author = budget.take(fit_plain(card.header, min(AUTHOR, budget.left)))
    title = budget.take(fit_markdown(card.title, min(TITLE, budget.left)))
    footer = budget.take(fit_plain(card.footer, min(FOOTER, budget.left)))
    description = budget.take(fit_markdown(card.description, min(DESCRIPTION, budget.left)))
    quote = _quote_field(card.quote, budget) if card.quote is not None else None
    fields = _fields(card.fields, budget, FIELDS - (quote is not None))
    if quote is not None:
        fields.append(quote)
    if not (author or title or footer or description or fields):
        description = budget.take(BLANK)
    embed: dict[str, Any] = {}
    if author:
        embed["author"] = {"name": author}
    if title:
        embed["title"] = title
    if description:
        embed["description"] = description
    embed["color"] = COLOURS[card.tone]
    if fields:
        embed["fields"] = fields
    if footer:
        embed["footer"] = {"text": footer}
    if card.timestamp is not None:
        embed["timestamp"] = card.timestamp.astimezone(UTC).isoformat()
    if title and card.url.startswith(("https://", "http://")) and len(card.url) <= URL:
        embed["url"] = card.url
    if card.image:
        embed["image"] = {"url": f"attachment://{card.image}"}
    return embed


def _fields(fields: Iterable[Field], budget: _Budget, limit: int) -> list[dict[str, Any]]:
    rendered: list[dict[str, Any]] = []
    for field in fields:
        if len(rendered) == limit or budget.left < 2:
            break
        name = fit_markdown(field.name, min(FIELD_NAME, budget.left - 1)) or BLANK
        budget.take(name)
        value = budget.take(fit_markdown(field.value, min(FIELD_VALUE, budget.left)) or BLANK)
        rendered.append({"name": name, "value": value, "inline": field.inline})
    return rendered


def _quote_field(quote: Quote, budget: _Budget) -> dict[str, Any] | None:
    """The quote as a block quote: `> “text”` and `> — source` under a blank name."""
    room = min(FIELD_VALUE, budget.left - len(BLANK))
    source = fit_markdown(" ".join((quote.source or "").split()), QUOTE_SOURCE)
    source_line = f"\n> — {source}" if source else ""
    if room - len(source_line) < len("> “…”"):
        source_line = ""
    text = fit_markdown(" ".join(quote.text.split()), room - len(source_line) - len("> “”"))
    if not text:
        return None
    value = f"> “{text}”{source_line}"
    budget.take(BLANK + value)
    return {"name": BLANK, "value": value, "inline": False}


def render_components(cards: Sequence[Card]) -> list[dict[str, Any]]:
    """Action rows: the cards' buttons five to a row, then one row per section menu.

    Menus keep their rows; buttons fill what is left of the five. A button whose action
    does not fit in a custom id, or repeats one already on the message, is left out.
    """
    menus = [
        row
        for index, card in enumerate(cards)
        if card.menu is not None and (row := _menu_row(card.menu, index)) is not None
    ][:ROWS]
    buttons = _buttons(button for card in cards for button in card.buttons)
    button_rows = [
        {"type": 1, "components": buttons[start : start + BUTTONS_PER_ROW]}
        for start in range(0, len(buttons), BUTTONS_PER_ROW)
    ]
    return button_rows[: ROWS - len(menus)] + menus


def _buttons(buttons: Iterable[Button]) -> list[dict[str, Any]]:
    rendered: list[dict[str, Any]] = []
    seen: set[str] = set()
    for button in buttons:
        custom_id = button.action.encode()
        label = fit_plain(button.label, LABEL)
        if len(custom_id) > CUSTOM_ID or custom_id in seen or not label:
            continue
        seen.add(custom_id)
        rendered.append(
            {
                "type": 2,
                "style": BUTTON_STYLES[button.style],
                "label": label,
                "custom_id": custom_id,
            }
        )
    return rendered


def _menu_row(menu: Menu, index: int) -> dict[str, Any] | None:
    options: list[dict[str, Any]] = []
    seen: set[str] = set()
    has_default = False
    for option in menu.options:
        value = option.action.encode()
        label = fit_plain(option.label, OPTION_TEXT)
        if len(value) > OPTION_TEXT or value in seen or not label:
            continue
        seen.add(value)
        rendered: dict[str, Any] = {"label": label, "value": value}
        description = fit_plain(option.description, OPTION_TEXT)
        if description:
            rendered["description"] = description
        if option.selected and not has_default:
            rendered["default"] = has_default = True
        options.append(rendered)
        if len(options) == OPTIONS:
            break
    if not options:
        return None
    select: dict[str, Any] = {"type": 3, "custom_id": f"{MENU_PREFIX}{index}"}
    placeholder = fit_plain(menu.placeholder, PLACEHOLDER)
    if placeholder:
        select["placeholder"] = placeholder
    select["options"] = options
    return {"type": 1, "components": [select]}


def component_action(custom_id: str, values: Sequence[str]) -> Action | None:
    """The action a pressed button or a chosen menu option stands for, if it is ours."""
    if custom_id.startswith(MENU_PREFIX):
        return Action.decode(values[0]) if len(values) == 1 else None
    return Action.decode(custom_id)
