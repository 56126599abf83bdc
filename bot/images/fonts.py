"""The faces a file record is set in, and glyph fallback across them.

Noto, under the SIL Open Font License, installed from PyPI with the package (`manimgx-fonts`
and `manimgx-fonts-cjk`): Noto Sans for Latin, Greek and Cyrillic, then Noto Sans Symbols,
Noto Emoji (monochrome, so Pillow draws it like any outline), the Noto Sans faces of the
other scripts, and Noto Sans CJK. A piece of text is cut into runs, each set in the first
face that has a glyph for it; marks, joiners and variation selectors stay with the run
before them, so an emoji sequence or an accented letter is never split across faces.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import manimgx_fonts
import manimgx_fonts_cjk
from fontTools.ttLib import TTFont
from PIL import ImageFont

NOTO = Path(manimgx_fonts.__file__).parent
CJK = Path(manimgx_fonts_cjk.__file__).parent / "NotoSansCJK-VF.otf.ttc"
SCRIPTS = (
    "Arabic",
    "Hebrew",
    "Devanagari",
    "Bengali",
    "Thai",
    "Tamil",
    "Telugu",
    "Kannada",
    "Malayalam",
    "Gujarati",
    "Gurmukhi",
    "Oriya",
    "Sinhala",
    "Khmer",
    "Lao",
    "Myanmar",
    "Georgian",
    "Armenian",
    "Ethiopic",
)
FACES: tuple[Path, ...] = (
    NOTO / "NotoSans[wght].ttf",
    NOTO / "NotoSansSymbols[wght].ttf",
    NOTO / "NotoEmoji[wght].ttf",
    *(NOTO / f"NotoSans{script}[wght].ttf" for script in SCRIPTS),
    CJK,
)
"""Every face, in the order a character looks for its glyph."""

EMOJI = 2  # the index of Noto Emoji, whose space is an emoji wide: spaces never join it
REGULAR = 400
BOLD = 700
# characters that belong to the glyph before them, whatever face has them
JOINERS = {"\u200d", "\u200c", "\u20e3"}


@cache
def _coverage(face: int) -> frozenset[int]:
    """The code points a face has glyphs for (read once; CJK is the first of its collection)."""
    font = TTFont(FACES[face], fontNumber=0, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def face_for(char: str) -> int:
    """The index in `FACES` of the first face with a glyph for `char` (0 when none has)."""
    point = ord(char)
    for index in range(len(FACES)):
        if point in _coverage(index):
            return index
    return 0


def _attaches(char: str) -> bool:
    """Marks, joiners, variation selectors and emoji modifiers stay with the glyph before."""
    point = ord(char)
    return (
        unicodedata.category(char) in {"Mn", "Me", "Mc"}
        or char in JOINERS
        or 0xFE00 <= point <= 0xFE0F
        or 0x1F3FB <= point <= 0x1F3FF
        or 0xE0020 <= point <= 0xE007F
    )


@dataclass(frozen=True)
class Run:
    """A stretch of text set in one face."""

    text: str
    face: int


def runs(text: str) -> list[Run]:
    """`text` cut into runs of one face each.

    Spaces between two characters of one face stay in that run (an Arabic phrase is shaped
    and set right to left whole); spaces where the face changes are a run of the text face,
    so they never land on the wrong side of a right-to-left run or take an emoji's width.
    """
    found: list[Run] = []
    spaces = ""
    for char in text:
        if char == " ":
            spaces += char
            continue
        if found and not spaces and _attaches(char):
            found[-1] = Run(found[-1].text + char, found[-1].face)
            continue
        face = face_for(char)
        if found and found[-1].face == face and not (spaces and face == EMOJI):
            found[-1] = Run(found[-1].text + spaces + char, face)
        else:
            if spaces:
                found.append(Run(spaces, 0))
            found.append(Run(char, face))
        spaces = ""
    if spaces:
        found.append(Run(spaces, 0))
    return _merge(found)


def _merge(found: list[Run]) -> list[Run]:
    """Neighbouring runs of one face joined (a space run between two text runs)."""
    merged: list[Run] = []
    for run in found:
        if merged and merged[-1].face == run.face and run.face != EMOJI:
            merged[-1] = Run(merged[-1].text + run.text, run.face)
        else:
            merged.append(run)
    return merged


@cache
def font(face: int, size: int, weight: int = REGULAR) -> ImageFont.FreeTypeFont:
    """One face at a pixel size and weight, laid out by Raqm (shaping, right-to-left runs)."""
    loaded = ImageFont.truetype(str(FACES[face]), size, layout_engine=ImageFont.Layout.RAQM)
    axes = loaded.get_variation_axes()
    if axes:
        low, high = int(axes[0]["minimum"] or REGULAR), int(axes[0]["maximum"] or REGULAR)
        loaded.set_variation_by_axes([max(low, min(high, weight))])
    return loaded


@lru_cache(maxsize=1 << 16)
def text_width(text: str, size: int, weight: int = REGULAR) -> float:
    """How wide `text` is when set at `size`, face by face."""
    return sum(font(run.face, size, weight).getlength(run.text) for run in runs(text))
