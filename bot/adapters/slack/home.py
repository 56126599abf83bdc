"""The App Home tab, and the modal a button pressed in a view answers with. Pure.

`home_view(overview)` is the exact view `views.publish` sends: what roastbot is and its
commands (the `/roasthelp` card), today's specimen with a button that shows it, the
workspace's subscribed channels as `/specimen status` describes them, and, for admins, the
suggestions waiting. Every text is escaped and clipped as in messages (`mrkdwn`), and the
view holds at most 100 blocks: channels that do not fit are counted on one line instead.
"""

from __future__ import annotations

import re
from typing import Any

from bot.adapters.slack.mrkdwn import clip, clip_mrkdwn, printable, units
from bot.adapters.slack.render import ACTION_PREFIX, message_payload
from bot.cards.model import Button, ButtonStyle, Card, Field, Reply
from bot.commands.home import (
    CHANNELS_HEADING,
    NO_CHANNELS,
    ChannelStatus,
    Overview,
    TodaysSpecimen,
    more_channels,
    pending_line,
)

Block = dict[str, Any]

MAX_BLOCKS = 100  # a Home tab or a modal
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
TITLE_TEXT = 250
LINE_TEXT = 500  # one command of the guide, one field of a channel
MODAL_TITLE = "roastbot"  # modal titles hold at most 24 characters
MODAL_CLOSE = "Close"
SPECIMEN_ACTION = f"{ACTION_PREFIX}button-home-0"
PAUSED_MARK = ":double_vertical_bar: "
CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{1,30}")


def home_view(overview: Overview) -> dict[str, Any]:
    """The Home tab's view for one reader."""
    head = [*_guide_blocks(overview.guide), _divider()]
    head += _specimen_blocks(overview.specimen)
    head.append(_header(CHANNELS_HEADING))
    tail: list[Block] = []
    if overview.pending is not None:
        tail = [_divider(), _section(clip_mrkdwn(pending_line(overview.pending), SECTION_TEXT))]
    room = MAX_BLOCKS - len(head) - len(tail)
    return {"type": "home", "blocks": head + _channel_blocks(overview, room) + tail}


def reply_modal(reply: Reply) -> dict[str, Any]:
    """A reply shown in a modal: what a button pressed in the Home tab (or in such a modal)
    answers with, since a view has no channel to answer in."""
    blocks = message_payload(reply)["blocks"][:MAX_BLOCKS]
    return {
        "type": "modal",
        "title": _plain(MODAL_TITLE, 24),
        "close": _plain(MODAL_CLOSE, 24),
        "blocks": blocks or [_section(clip_mrkdwn(MODAL_TITLE, SECTION_TEXT))],
    }


def _guide_blocks(guide: Card) -> list[Block]:
    blocks = [_header(guide.title)]
    if _visible(guide.description):
        blocks.append(_section(clip_mrkdwn(guide.description, SECTION_TEXT)))
    lines = [_usage_line(field) for field in guide.fields]
    blocks += [_section(text) for text in _packed(lines)]
    return blocks


def _usage_line(field: Field) -> str:
    usage = clip_mrkdwn(" ".join(field.name.replace("`", "'").split()), LINE_TEXT // 3)
    return f"`{usage}`  {clip_mrkdwn(field.value, LINE_TEXT)}"


def _packed(lines: list[str]) -> list[str]:
    """The lines joined into as few texts of at most `SECTION_TEXT` units as they fit in."""
    texts: list[str] = []
    current = ""
    for line in lines:
        joined = f"{current}\n{line}" if current else line
        if units(joined) <= SECTION_TEXT:
            current = joined
            continue
        texts.append(current)
        current = line
    return [*texts, current] if current else texts


def _specimen_blocks(specimen: TodaysSpecimen | None) -> list[Block]:
    if specimen is None:
        return []
    title = clip_mrkdwn(specimen.title, TITLE_TEXT)
    room = SECTION_TEXT - units(title) - 5
    section = _section(f"*{title}*\n{clip_mrkdwn(specimen.tagline, room)}")
    section["accessory"] = _button(specimen.button, SPECIMEN_ACTION)
    return [_header(specimen.heading), section, _divider()]


def _channel_blocks(overview: Overview, room: int) -> list[Block]:
    """A section per channel, as many as `room` blocks hold, then a line counting the rest."""
    if overview.channel_total == 0:
        return [_section(clip_mrkdwn(NO_CHANNELS, SECTION_TEXT))]
    channels = overview.channels
    if len(channels) < overview.channel_total or len(channels) > room:
        channels = channels[: max(0, room - 1)]
    blocks = [_channel_section(channel) for channel in channels]
    left = overview.channel_total - len(channels)
    if left:
        blocks.append(_context(clip_mrkdwn(more_channels(left), SECTION_TEXT)))
    return blocks


def _channel_section(channel: ChannelStatus) -> Block:
    name = _channel(channel.channel_id)
    lines = [(PAUSED_MARK if channel.paused else "") + name]
    lines += [
        f"*{clip_mrkdwn(field.name, HEADER_TEXT)}:* {clip_mrkdwn(field.value, LINE_TEXT)}"
        for field in channel.fields
    ]
    return _section(_lines_within(lines))


def _lines_within(lines: list[str]) -> str:
    """The lines (already escaped) joined, as many as fit in `SECTION_TEXT`."""
    kept: list[str] = []
    for line in lines:
        if units("\n".join([*kept, line])) > SECTION_TEXT:
            break
        kept.append(line)
    return "\n".join(kept)


def _channel(channel_id: str) -> str:
    """A channel link Slack shows with the channel's name; any other id stays plain text."""
    if CHANNEL_ID.fullmatch(channel_id):
        return f"<#{channel_id}>"
    return clip_mrkdwn(channel_id, 100)


def _button(button: Button, action_id: str) -> Block:
    element: Block = {
        "type": "button",
        "action_id": action_id,
        "text": _plain(button.label, BUTTON_TEXT),
        "value": button.action.encode(),
    }
    if button.style is ButtonStyle.PRIMARY:
        element["style"] = "primary"
    return element


def _header(text: str) -> Block:
    return {"type": "header", "text": _plain(text, HEADER_TEXT)}


def _divider() -> Block:
    return {"type": "divider"}


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [_mrkdwn(text)]}


def _mrkdwn(text: str) -> Block:
    # verbatim: Slack must not turn bare names, channels or URLs into mentions or links
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _plain(text: str, limit: int) -> Block:
    return {"type": "plain_text", "text": clip(" ".join(printable(text).split()), limit) or "…"}


def _visible(text: str) -> bool:
    return bool(printable(text).strip())
