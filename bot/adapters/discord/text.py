"""Discord text: escape plain text for Markdown and mentions, and clip it to a limit.

Card text is plain; anything that Discord would read as formatting or a mention
(`**bold**`, `@everyone`, `<@123…>`, `<#123…>`, `<t:…>`, `<id:…>`, a leading `# ` or `1. `) is
escaped so it shows exactly as written. Clipping ends in "…" and never splits an escape.
"""

from __future__ import annotations

import re
from functools import lru_cache

from discord.utils import escape_markdown, escape_mentions

ELLIPSIS = "…"
BLANK = "\u200b"  # what Discord shows for a required field that has nothing to say

# `<@id>`, `<@&id>`, `<#id>`, `</cmd:id>`, `<:emoji:id>`, `<a:emoji:id>`, `<t:unix>`,
# and the server's own pages as links (`<id:customize>`, `<id:guide>`, `<id:browse>`)
_ANGLE_TOKEN = re.compile(r"<(?=[@#/:]|a:|t:|id:)")
_ORDERED_ITEM = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)


def escape(text: str) -> str:
    """`text` escaped so Discord shows it literally: no formatting, no mentions."""
    escaped = escape_markdown(escape_mentions(text))
    escaped = _ORDERED_ITEM.sub(r"\1\\.", escaped)
    return _ANGLE_TOKEN.sub(r"\\<", escaped)


@lru_cache(maxsize=2048)
def fit_markdown(text: str, limit: int) -> str:
    """`text` escaped, then clipped with "…" so the escaped form is at most `limit` long.

    Remembered for the most recent 2,048 texts and limits: a dossier's card text is the
    same from one roast to the next, so most calls skip the escaping regexes.
    """
    text = text.strip()
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    if limit < 1:
        return ""
    best, low, high = "", 0, min(len(text), limit - 1)
    while low <= high:  # the longest prefix whose escaped form still fits
        middle = (low + high) // 2
        candidate = escape(text[:middle].rstrip())
        if len(candidate) + len(ELLIPSIS) <= limit:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best + ELLIPSIS


def fit_plain(text: str, limit: int) -> str:
    """`text` for a place Discord shows verbatim (footer, labels), clipped with "…"."""
    text = text.strip()
    if len(text) <= limit:
        return text
    if limit < 1:
        return ""
    return text[: limit - 1].rstrip() + ELLIPSIS
