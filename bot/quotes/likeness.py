"""How alike two burn-ward quotes are: the same quote, or nearly the same one.

Two quotes are the same when their fingerprints match (case, spacing and punctuation aside).
They are nearly the same when rapidfuzz's `token_sort_ratio` of their words (lower case,
punctuation dropped by `default_process`) is at least `NEAR_DUPLICATE` (85 of 100): the same
words reordered, or a word added or changed, as when two members capture one line said in
chat, while two different quips about one role score lower.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.catalog.model import BurnQuote
from bot.quotes.text import fingerprint

NEAR_DUPLICATE = 85


@dataclass(frozen=True)
class Likeness:
    """The quote a new one nearly repeats: its label (S2, #14, suggestion 3) and text."""

    label: str
    text: str
    score: int


def seed_duplicate(seeds: Sequence[BurnQuote], text: str) -> int | None:
    """The number (from 1) of the dossier quote that is the same as `text`, if any."""
    key = fingerprint(text)
    for index, seed in enumerate(seeds, 1):
        if fingerprint(seed.quote) == key:
            return index
    return None


def nearest(text: str, candidates: Sequence[tuple[str, str]]) -> Likeness | None:
    """The candidate (label, text) most like `text`, if it scores at least `NEAR_DUPLICATE`."""
    texts = dict(candidates)
    found = process.extractOne(
        text,
        texts,
        scorer=fuzz.token_sort_ratio,
        processor=default_process,
        score_cutoff=NEAR_DUPLICATE,
    )
    if found is None:
        return None
    _, score, label = found
    return Likeness(label, texts[label], round(score))
