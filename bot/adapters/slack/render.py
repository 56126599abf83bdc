"""Render a neutral `Reply` as a Slack message: Block Kit blocks plus fallback text. Pure.

`message_payload(reply)` is the exact JSON the bot sends (what `roastbot roast X --format
slack` prints, ready for Block Kit Builder). Every user-visible string is escaped for mrkdwn
and clipped to Slack's limits, and the whole message stays within `MESSAGE_BUDGET`, well
under the ~13,000 characters at which Slack answers `msg_blocks_too_long`: when a card
holds more, the parts that do not fit are left out and a note says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from bot.adapters.slack.mrkdwn import clip, clip_mrkdwn, json_units, printable, units
from bot.cards.model import Button, ButtonStyle, Card, Field, Menu, Reply, Tone

Block = dict[str, Any]

MAX_BLOCKS = 50
REMEMBERED = 256  # replies whose payload is kept, as JSON text (a few KB each)
PING_BLOCK = "roastbot-ping"
SUBTEAM_ID = re.compile(r"S[A-Z0-9]+")
SECTION_TEXT = 3000
FIELD_TEXT = 2000
MAX_FIELDS = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
OPTION_TEXT = 75
OPTION_VALUE = 150
MAX_OPTIONS = 100
ACTION_ELEMENTS = 25
PLACEHOLDER_TEXT = 150
MESSAGE_BUDGET = 11_000  # units of the blocks' JSON
MAX_CARDS = 3
TITLE_TEXT = 250
NAME_TEXT = 250
QUOTE_TEXT = 2600
SOURCE_TEXT = 200
FOOTER_TEXT = 300
URL_TEXT = 1000
FALLBACK_TEXT = 500
NOTE_RESERVE = 200  # room kept for the "shortened" note
MIN_SHRUNK = 200  # a part clipped to less room than this is left out instead
SEPARATOR = 2  # ", " between blocks in the JSON
ACTION_PREFIX = "rb1-"
FALLBACK = "roastbot"
TONE_MARKS = {Tone.ERROR: ":warning: ", Tone.SUCCESS: ":white_check_mark: "}


def message_payload(reply: Reply) -> dict[str, Any]:
    """The message Slack receives for a reply: `blocks` and the fallback `text`.

    Fitting a card to Slack's limits measures the JSON of every block, and the same replies
    come back again and again (a role's summary with one of its few quotes), so the last
    `REMEMBERED` payloads are kept as JSON text; each call gets a fresh copy of its own.
    """
    try:
        text = _remembered(reply)
    except TypeError:  # a reply holding something unhashable is rendered afresh
        return _payload(reply)
    payload: dict[str, Any] = json.loads(text)
    return payload


@lru_cache(maxsize=REMEMBERED)
def _remembered(reply: Reply) -> str:
    return json.dumps(_payload(reply), ensure_ascii=False)


def _payload(reply: Reply) -> dict[str, Any]:
    cards = reply.cards[:MAX_CARDS]
    count = max(1, len(cards))
    divider: Block = {"type": "divider"}
    blocks: list[Block] = _ping_blocks(reply.ping)
    taken = sum(json_units(block) + SEPARATOR for block in blocks)
    budget = (MESSAGE_BUDGET - 2 - taken - (json_units(divider) + SEPARATOR) * (count - 1)) // count
    slots = (MAX_BLOCKS - len(blocks) - (count - 1)) // count
    for index, card in enumerate(cards):
        if index:
            blocks.append(divider)
        blocks += card_blocks(card, index, budget, slots)
    text = fallback_text(reply)
    if blocks and blocks[0].get("block_id") == PING_BLOCK:
        text = f"{blocks[0]['text']['text']} {text}"
    return {"blocks": blocks, "text": text}


def _ping_blocks(ping: str | None) -> list[Block]:
    """A first block mentioning the one user group to ping (`<!subteam^ID>`), if any."""
    if ping is None or not SUBTEAM_ID.fullmatch(ping):
        return []
    mention = {"type": "mrkdwn", "text": f"<!subteam^{ping}>"}
    return [{"type": "section", "block_id": PING_BLOCK, "text": mention}]


def fallback_text(reply: Reply) -> str:
    """The notification text: the first card's header and title with its description."""
    if not reply.cards:
        return FALLBACK
    card = reply.cards[0]
    head = " · ".join(part for part in (card.header, card.title) if _visible(part))
    line = f"{head}: {card.description}" if head and _visible(card.description) else head
    for candidate in (line, card.description, card.footer):
        if _visible(candidate):
            return clip_mrkdwn(candidate, FALLBACK_TEXT).strip()
    return FALLBACK


def comment_text(reply: Reply) -> str:
    """A shared file's comment: the notification text, then the first card's fields in full.

    The fields carry what a picture shows (the `/roaststats` figures) for screen readers.
    """
    fields = reply.cards[0].fields if reply.cards else ()
    lines = "\n".join(f"*{field.name}*\n{field.value}" for field in fields)
    return "\n".join([fallback_text(reply), clip_mrkdwn(lines, SECTION_TEXT)]).strip()


def card_blocks(card: Card, index: int, budget: int, slots: int) -> list[Block]:
    """One card's blocks, at most `slots` of them and `budget` units of JSON in all."""
    top = _top_blocks(card)
    actions = _actions(card, index, budget // 3)
    bottom = [actions] if actions else []
    footer = _context(card.footer, "", card.timestamp)
    room = budget - _cost(top + bottom) - (_cost([footer]) if footer else 0) - NOTE_RESERVE
    free = slots - len(top) - len(bottom) - 1
    kept, left_out, cut = _fit(_content(card), room, free)
    note = ""
    if left_out or cut:
        note = "Shortened to fit one Slack message" + (
            f"; {left_out} more not shown." if left_out else "."
        )
    context = _context(card.footer, note, card.timestamp)
    return top + kept + bottom + ([context] if context else [])


@dataclass(frozen=True)
class _Part:
    """A content block that can be rebuilt with its main text clipped to a smaller limit."""

    position: int
    priority: int
    limit: int
    build: Callable[[int], Block | None]


def _fit(parts: list[_Part], room: int, free: int) -> tuple[list[Block], int, bool]:
    """The blocks that fit in display order, how many parts were left out, whether one was cut.

    Parts are taken by priority; once one does not fit whole, it is cut (if there is room
    for a useful piece of it) and every part after it is left out.
    """
    kept: dict[int, Block] = {}
    left_out = 0
    full = cut = False
    for part in sorted(parts, key=lambda p: (p.priority, p.position)):
        block = part.build(part.limit)
        if block is None:
            continue
        if full or free == 0:
            left_out += 1
            continue
        if _cost([block]) > room:
            full = True
            block = _shrink(part, room)
            if block is None:
                left_out += 1
                continue
            cut = True
        kept[part.position] = block
        room -= _cost([block])
        free -= 1
    return [kept[position] for position in sorted(kept)], left_out, cut


def _shrink(part: _Part, room: int) -> Block | None:
    """The part rebuilt with the longest text that fits in `room`, or None if too little room."""
    if room < MIN_SHRUNK:
        return None
    low, high, best = 1, part.limit, None
    while low <= high:
        middle = (low + high) // 2
        block = part.build(middle)
        if block is not None and _cost([block]) <= room:
            best, low = block, middle + 1
        else:
            high = middle - 1
    return best


def _cost(blocks: list[Block]) -> int:
    return sum(json_units(block) + SEPARATOR for block in blocks)


def _top_blocks(card: Card) -> list[Block]:
    blocks: list[Block] = []
    if _visible(card.header):
        blocks.append({"type": "header", "text": _plain(card.header, HEADER_TEXT)})
    if _visible(card.title):
        if card.url.startswith(("https://", "http://")):
            title = clip_mrkdwn(card.title, TITLE_TEXT)
            blocks.append(_mrkdwn_section(f"*<{_href(card.url)}|{title}>*"))
        elif blocks:
            blocks.append(_mrkdwn_section(f"*{clip_mrkdwn(card.title, TITLE_TEXT)}*"))
        else:
            blocks.append({"type": "header", "text": _plain(card.title, HEADER_TEXT)})
    return blocks


def _href(url: str) -> str:
    """A URL safe inside Slack's `<url|text>`: its `<`, `>`, `|` and spaces percent-encoded."""
    return quote(url[:URL_TEXT], safe=":/?#[]@!$&'()*+,;=%-._~")


def _content(card: Card) -> list[_Part]:
    parts: list[_Part] = []
    if _visible(card.description):
        mark = TONE_MARKS.get(card.tone, "") if not _visible(card.title) else ""
        description = card.description
        parts.append(
            _Part(
                0,
                0,
                SECTION_TEXT - units(mark),
                lambda limit: _section(mark + clip_mrkdwn(description, limit)),
            )
        )
    inline: list[Field] = []
    for field in card.fields:
        if field.inline:
            inline.append(field)
            continue
        parts += _inline_parts(inline, len(parts))
        inline = []
        parts.append(_field_part(field, len(parts)))
    parts += _inline_parts(inline, len(parts))
    if card.quote is not None:
        quote, source = card.quote.text, card.quote.source

        def build_quote(limit: int) -> Block | None:
            body = clip_mrkdwn(" ".join(quote.split()), limit)
            credit = clip_mrkdwn(" ".join((source or "").split()), SOURCE_TEXT)
            return _section(f"> “{body}”" + (f"\n> — {credit}" if credit else ""))

        parts.append(_Part(len(parts), 1, QUOTE_TEXT, build_quote))
    return parts


def _field_part(field: Field, position: int) -> _Part:
    return _Part(position, 2, SECTION_TEXT, lambda limit: _section(_field_text(field, limit) or ""))


def _inline_parts(fields: list[Field], position: int) -> list[_Part]:
    """Side-by-side fields, ten to a section; cut by clipping every field alike."""
    parts: list[_Part] = []
    for start in range(0, len(fields), MAX_FIELDS):
        group = fields[start : start + MAX_FIELDS]
        if any(_field_text(field, FIELD_TEXT) for field in group):
            parts.append(_Part(position + len(parts), 2, FIELD_TEXT, _fields_section(group)))
    return parts


def _fields_section(group: list[Field]) -> Callable[[int], Block | None]:
    def build(limit: int) -> Block | None:
        texts = [_field_text(field, limit) for field in group]
        return {"type": "section", "fields": [_mrkdwn(text) for text in texts if text]}

    return build


def _field_text(field: Field, limit: int) -> str | None:
    name_limit = min(NAME_TEXT, max(1, limit // 2 - 2))
    name = f"*{clip_mrkdwn(field.name, name_limit)}*" if _visible(field.name) else ""
    room = limit - units(name) - (1 if name else 0)
    value = clip_mrkdwn(field.value, room) if _visible(field.value) else ""
    text = "\n".join(part for part in (name, value) if part)
    return text or None


def _actions(card: Card, index: int, budget: int) -> Block | None:
    menu_budget = budget * 2 // 3
    select = _select(card.menu, f"{ACTION_PREFIX}menu-{index}", menu_budget) if card.menu else None
    used = json_units(select) + SEPARATOR if select else 0
    elements: list[Block] = []
    for number, button in enumerate(card.buttons):
        if len(elements) + (1 if select else 0) == ACTION_ELEMENTS:
            break
        element = _button(button, f"{ACTION_PREFIX}button-{index}-{number}")
        if element is None:
            continue
        cost = json_units(element) + SEPARATOR
        if used + cost > budget:
            break
        elements.append(element)
        used += cost
    if select:
        elements.append(select)
    return {"type": "actions", "elements": elements} if elements else None


def _button(button: Button, action_id: str) -> Block | None:
    value = button.action.encode()
    if units(value) > BUTTON_VALUE:
        return None
    element: Block = {
        "type": "button",
        "action_id": action_id,
        "text": _plain(button.label, BUTTON_TEXT),
        "value": value,
    }
    if button.style is ButtonStyle.PRIMARY:
        element["style"] = "primary"
    return element


def _select(menu: Menu, action_id: str, budget: int) -> Block | None:
    options: list[Block] = []
    initial: Block | None = None
    seen: set[str] = set()
    for option in menu.options:
        value = option.action.encode()
        if units(value) > OPTION_VALUE or value in seen or len(options) == MAX_OPTIONS:
            continue
        seen.add(value)
        rendered: Block = {"text": _plain(option.label, OPTION_TEXT), "value": value}
        if _visible(option.description):
            rendered["description"] = _plain(option.description, OPTION_TEXT)
        options.append(rendered)
        if option.selected and initial is None:
            initial = rendered
    select: Block = {"type": "static_select", "action_id": action_id}
    if _visible(menu.placeholder):
        select["placeholder"] = _plain(menu.placeholder, PLACEHOLDER_TEXT)
    while options:
        select["options"] = options
        if initial in options:
            select["initial_option"] = initial
        else:
            select.pop("initial_option", None)
        if json_units(select) <= budget:
            return select
        options = options[:-1]
    return None


def _context(footer: str, note: str, timestamp: datetime | None) -> Block | None:
    texts = [clip_mrkdwn(note, FOOTER_TEXT), clip_mrkdwn(footer, FOOTER_TEXT)]
    if timestamp is not None:
        texts.append(_date(timestamp))
    elements = [_mrkdwn(text) for text in texts if text.strip()]
    return {"type": "context", "elements": elements} if elements else None


def _date(moment: datetime) -> str:
    """Slack's date token: each reader sees the moment in their own time zone."""
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    fallback = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_long_pretty}} at {{time}}|{fallback}>"


def _section(text: str) -> Block | None:
    return _mrkdwn_section(text) if text.strip() else None


def _mrkdwn_section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(text)}


def _mrkdwn(text: str) -> Block:
    # verbatim: Slack must not turn bare names, channels or URLs into mentions or links
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _visible(text: str) -> bool:
    return bool(printable(text).strip())


def _plain(text: str, limit: int) -> Block:
    return {"type": "plain_text", "text": clip(" ".join(printable(text).split()), limit) or "…"}
