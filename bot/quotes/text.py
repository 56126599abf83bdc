"""Clean and check quote text typed by admins before it is stored."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.catalog.loader import normalize_key

MAX_QUOTE = 400
MAX_SOURCE = 80
MAX_REASON = 200  # a rejection reason, shown to the suggester
# what Discord or Slack would turn into a ping or a channel link if it were ever sent raw
MENTION = re.compile(r"<[@#!]|@(?:everyone|here|channel)\b", re.IGNORECASE)
_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


def clean(text: str) -> str:
    """Drop control, format (zero-width) and unassigned characters; fold all spacing to one space.

    NFC comes last: an invisible character between a letter and its accent blocks their
    composition, so normalising first would leave text that a second `clean` changes.
    """
    visible = "".join(
        " " if ch in "\t\n\r\v\f\u2028\u2029" else ch
        for ch in text
        if ch in "\t\n\r\v\f\u2028\u2029" or unicodedata.category(ch) not in _INVISIBLE
    )
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", visible).strip())


def fingerprint(text: str) -> str:
    """What two quotes share when they differ only in case, spacing and punctuation."""
    return normalize_key(text)


@dataclass(frozen=True)
class CleanQuote:
    """A quote and its source, cleaned and within limits."""

    text: str
    source: str | None


def check_quote(text: str | None, source: str | None) -> CleanQuote | str:
    """The cleaned quote, or a one-line reason it cannot be stored."""
    quote = clean(text or "")
    if not quote:
        return (
            "The quote is empty. Give the words, e.g. /burnward add SDET | It works on my pipeline."
        )
    if len(quote) > MAX_QUOTE:
        return f"The quote is {len(quote)} characters; the burn ward takes at most {MAX_QUOTE}."
    if not fingerprint(quote):
        return "The quote needs at least one letter or digit."
    cleaned_source = clean(source or "") or None
    if cleaned_source is not None and len(cleaned_source) > MAX_SOURCE:
        return f"The source is {len(cleaned_source)} characters; at most {MAX_SOURCE}, please."
    if MENTION.search(quote) or MENTION.search(cleaned_source or ""):
        return (
            "The quote contains a mention (<@…>, <#…>, <!…>, @everyone, @here or @channel);"
            " burn-ward quotes are plain text, so write the name out instead."
        )
    return CleanQuote(quote, cleaned_source)


def reason_problem(reason: str) -> str | None:
    """Why a cleaned rejection reason cannot be kept, in one line; None when it can.

    A reason follows the quote rules (no mention, a letter or digit) within `MAX_REASON`.
    """
    if len(reason) > MAX_REASON:
        return f"The reason is {len(reason)} characters; at most {MAX_REASON}, please."
    checked = check_quote(reason, None)
    return checked.replace("The quote", "The reason") if isinstance(checked, str) else None


def prefill(text: str) -> str:
    """A chat message's text made ready to edit as a quote in a form.

    Cleaned as a quote is (control and zero-width characters removed, spacing folded) and cut
    to `MAX_QUOTE` with "…", so it fits the form's field; mentions are left for the quote rules
    to refuse, so the suggester sees what must change.
    """
    cleaned = clean(text)
    if len(cleaned) <= MAX_QUOTE:
        return cleaned
    return cleaned[: MAX_QUOTE - 1].rstrip() + "…"
