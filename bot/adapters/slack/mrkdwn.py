"""Slack text: mrkdwn escaping, and clipping that counts the way Slack's limits count.

Slack measures text in UTF-16 code units (an emoji outside the BMP counts two), so every
limit here does too; counting code points could overshoot a limit by a character or two.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LINK = re.compile(r"<((?:https?|mailto):[^|>]*)(?:\|([^>]*))?>")
"""A link in a message's text, `<url>` or `<url|label>`; mentions (`<@…>`, `<!…>`) are not."""
ELLIPSIS = "…"
_DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Unicode's control characters (category Cc) but newline and tab, and lone surrogates (Cs)."""


def units(text: str) -> int:
    """The length Slack's limits count: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def json_units(value: Any) -> int:
    """The size of a block or message as Slack receives it, in UTF-16 code units."""
    return units(json.dumps(value, ensure_ascii=False))


def printable(text: str) -> str:
    """The text without control characters (newlines and tabs stay) or lone surrogates."""
    return _DROPPED.sub("", text)


def escape(text: str) -> str:
    """Plain text made inert for mrkdwn: `&`, `<` and `>` become entities.

    So `<!channel>`, `<@U123>` and `<https://x|y>` arrive as text, never as a mention or a link.
    """
    return _entities(printable(text))


def unescape(text: str) -> str:
    """A message's mrkdwn read back as plain text: links become their label (or address),
    entities their characters; mentions are left as written."""
    linked = _LINK.sub(lambda link: link.group(2) or link.group(1), text)
    return linked.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def clip(text: str, limit: int) -> str:
    """Plain text within `limit` units, cut with "…" when it is longer."""
    kept = printable(text)
    if limit >= 1 and units(kept) <= limit:
        return kept
    return _clip_pieces(kept, limit)


def clip_mrkdwn(text: str, limit: int) -> str:
    """Plain text escaped for mrkdwn within `limit` units, never cutting an entity in half."""
    kept = printable(text)
    escaped = _entities(kept)
    if limit >= 1 and units(escaped) <= limit:
        return escaped
    return _clip_pieces([ESCAPES.get(ch, ch) for ch in kept], limit)


def _entities(text: str) -> str:
    # three C-level replaces, `&` first: many times faster than `str.translate` on non-ASCII
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip_pieces(pieces: Iterable[str], limit: int) -> str:
    """The pieces in order, as many as fit in `limit` units with "…" after them."""
    if limit < 1:
        return ""
    kept: list[str] = []
    used = 0
    for piece in pieces:
        cost = units(piece)
        if used + cost > limit - 1:
            break
        kept.append(piece)
        used += cost
    return "".join(kept) + ELLIPSIS
