"""Checks on one Slack text object: its type, a length within Slack's limit, and inert text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.adapters.slack.mrkdwn import units


def check_plain(obj: dict[str, Any], limit: int) -> None:
    """A `plain_text` object, not blank, of at most `limit` UTF-16 units."""
    assert obj["type"] == "plain_text"
    assert obj["text"].strip() and units(obj["text"]) <= limit


def check_mrkdwn(obj: dict[str, Any], limit: int, ours: Callable[[str], str]) -> None:
    """A verbatim `mrkdwn` object, not blank, of at most `limit` units, whose text once
    `ours` has cut the markup we write on purpose holds no raw `<`, `>` or `&`."""
    assert obj == {"type": "mrkdwn", "text": obj["text"], "verbatim": True}
    text = obj["text"]
    assert text.strip() and units(text) <= limit
    inert = ours(text)
    assert "<" not in inert and ">" not in inert, text
    assert "&" not in re.sub(r"&(amp|lt|gt);", "", inert), text
