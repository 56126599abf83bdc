"""Fit text into a box: wrapped at word breaks, shrunk to fit, cut at a word with "…" last.

Nothing is ever clipped mid-word or drawn outside its box. Words break at spaces, and
between Chinese, Japanese and Korean characters (which have none); a single word wider
than the box is the one thing split between letters, so it still shows whole. The result
is a `TextBlock`: the lines, the size they are set at, and the box they fit, which is what
the tests check instead of pixels.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from bot.images.fonts import REGULAR, text_width

ELLIPSIS = "…"
LINE_HEIGHT = 1.36  # Noto Sans: ascender 1.069 em plus descender 0.293 em
BASELINE = 1.07
MAX_MARKS = 3  # Vietnamese needs two on a letter, a Tibetan stack three
# embeddings, overrides, isolates and marks that set the direction of the text after them
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# CJK ideographs, kana and hangul may break anywhere between two characters
_BREAK_ANYWHERE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


@dataclass(frozen=True)
class Box:
    """A rectangle on the canvas, in pixels."""

    x: int
    y: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        """The first row below the box."""
        return self.y + self.height

    @property
    def right(self) -> int:
        """The first column right of the box."""
        return self.x + self.width


@dataclass(frozen=True)
class Style:
    """How a box's text is set: the largest and smallest size tried, the weight, the lines."""

    largest: int
    smallest: int
    weight: int = REGULAR
    max_lines: int = 99


@dataclass(frozen=True)
class TextBlock:
    """Text fitted into a box: what the renderer draws and the tests measure."""

    name: str
    box: Box
    lines: tuple[str, ...]
    size: int
    weight: int
    truncated: bool

    @property
    def line_height(self) -> int:
        """The distance from one line's top to the next."""
        return line_height(self.size)

    def widths(self) -> list[float]:
        """How wide each line is as set."""
        return [text_width(line, self.size, self.weight) for line in self.lines]


def line_height(size: int) -> int:
    """The height a line of `size` pixels takes, descenders included."""
    return round(size * LINE_HEIGHT)


def clean(text: str) -> str:
    """One line of printable text: control characters and bidi controls dropped, whitespace
    runs one space, and at most `MAX_MARKS` combining marks in a row (each stacks on the one
    before, so a letter under dozens of them is drawn up off its box and over the rest).

    Bidi controls go because a page or picture quoting text (a search, an unknown role)
    would otherwise show it reordered; Raqm and browsers find the direction of each script.
    """
    kept: list[str] = []
    marks = 0
    for char in text:
        category = unicodedata.category(char)
        marks = marks + 1 if category in {"Mn", "Me"} else 0
        if marks <= MAX_MARKS and char not in BIDI_CONTROLS:
            kept.append(" " if category in {"Cc", "Cs", "Co", "Zl", "Zp"} else char)
    return " ".join("".join(kept).split())


def tokens(text: str) -> Iterator[tuple[str, bool]]:
    """(word, whether a space comes before it): words split at spaces and between CJK."""
    for index, word in enumerate(text.split(" ")):
        pieces = [p for p in re.split(f"({_BREAK_ANYWHERE.pattern})", word) if p]
        for number, piece in enumerate(pieces):
            yield piece, index > 0 and number == 0


def fit(name: str, text: str, box: Box, style: Style) -> TextBlock:
    """`text` set as large as it fits in `box`; at the smallest size, cut with "…" at a word."""
    text = clean(text)
    size = style.largest
    while True:
        rows = max(1, min(style.max_lines, box.height // line_height(size)))
        lines = wrap(text, box.width, size, style.weight)
        if len(lines) <= rows:
            return TextBlock(name, box, tuple(lines), size, style.weight, False)
        if size <= style.smallest:
            kept = lines[:rows]
            kept[-1] = _with_ellipsis(kept[-1], box.width, size, style.weight)
            return TextBlock(name, box, tuple(kept), size, style.weight, True)
        size = max(style.smallest, size - 2)


def wrap(text: str, width: int, size: int, weight: int = REGULAR) -> list[str]:
    """Greedy wrapping into lines no wider than `width`."""
    lines: list[str] = []
    line = ""
    for word, spaced in tokens(text):
        joined = f"{line} {word}" if line and spaced else line + word
        if text_width(joined, size, weight) <= width:
            line = joined
            continue
        if line:
            lines.append(line)
        pieces = _split_long(word, width, size, weight)
        lines += pieces[:-1]
        line = pieces[-1]
    if line:
        lines.append(line)
    return lines


def _split_long(word: str, width: int, size: int, weight: int) -> list[str]:
    """A word too wide for a line, split between letters (never inside a mark or sequence)."""
    if text_width(word, size, weight) <= width:
        return [word]
    pieces = [""]
    for cluster in _clusters(word):
        if pieces[-1] and text_width(pieces[-1] + cluster, size, weight) > width:
            pieces.append("")
        pieces[-1] += cluster
    return pieces


def _clusters(word: str) -> Iterator[str]:
    """Letters with the marks, joiners and selectors that belong to them."""
    cluster = ""
    joined = False
    for char in word:
        attaches = unicodedata.category(char) in {"Mn", "Me", "Mc"} or 0xFE00 <= ord(char) <= 0xFE0F
        if cluster and not attaches and not joined and not 0x1F3FB <= ord(char) <= 0x1F3FF:
            yield cluster
            cluster = ""
        cluster += char
        joined = char == "\u200d"
    if cluster:
        yield cluster


def _with_ellipsis(line: str, width: int, size: int, weight: int) -> str:
    """The line with words taken off its end until it and "…" fit."""
    words = [word for word, _ in tokens(line)]
    while words:
        candidate = line[: _end_of(line, words)].rstrip() + ELLIPSIS
        if text_width(candidate, size, weight) <= width:
            return candidate
        words.pop()
    return ELLIPSIS


def _end_of(line: str, words: list[str]) -> int:
    """Where in `line` the last of `words` (a prefix of its tokens) ends."""
    position = 0
    for word in words:
        position = line.index(word, position) + len(word)
    return position
