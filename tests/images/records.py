"""Helpers for the image tests: the frozen specimen, worst-case dossiers, and the box checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.catalog.lookup import Catalog
from bot.catalog.model import Dossier, Role
from bot.images.fonts import text_width
from bot.images.layout import ELLIPSIS, TextBlock, clean, line_height, tokens
from bot.images.record import HEIGHT, WIDTH, Layout

HERE = Path(__file__).parent


def specimen() -> Role:
    """The frozen copy of a dossier the golden image is drawn from."""
    data = yaml.safe_load((HERE / "specimen-dossier.yaml").read_text(encoding="utf-8"))
    return Role("specimen", Dossier.model_validate(data))


def with_changes(role: Role, **changes: Any) -> Role:
    """`role` with some fields replaced, validated like a dossier from disk."""
    data = role.dossier.model_dump() | changes
    return Role(role.id, Dossier.model_validate(data, strict=False))


def solo_catalog(role: Role) -> Catalog:
    """A catalog of just this role (related specimens that do not exist are left out)."""
    return Catalog([role])


def problems(layout: Layout, texts: dict[str, str] | None = None) -> list[str]:
    """Every way the layout breaks its promises; `texts` are what some blocks were given."""
    found: list[str] = []
    blocks = layout.blocks
    for block in blocks:
        found += _block_problems(block)
        if texts and block.name in texts:
            found += _fidelity(block, texts[block.name])
    boxes = [(b.name, b.box) for b in blocks] + [("bar", layout.bar)]
    for name, box in boxes:
        if box.x < 0 or box.y < 0 or box.right > WIDTH or box.bottom > HEIGHT:
            found.append(f"{name}: box {box} leaves the {WIDTH}x{HEIGHT} canvas")
    for index, (name, box) in enumerate(boxes):
        for other_name, other in boxes[index + 1 :]:
            apart = (
                box.right <= other.x
                or other.right <= box.x
                or box.bottom <= other.y
                or other.bottom <= box.y
            )
            if not apart:
                found.append(f"{name} overlaps {other_name}")
    return found


def _block_problems(block: TextBlock) -> list[str]:
    found = []
    for line, width in zip(block.lines, block.widths(), strict=True):
        if width > block.box.width:
            found.append(f"{block.name}: line {line!r} is {width:.0f}px, box {block.box.width}px")
    used = len(block.lines) * line_height(block.size)
    if used > block.box.height and len(block.lines) > 1:
        found.append(f"{block.name}: {len(block.lines)} lines need {used}px of {block.box.height}")
    if line_height(block.size) > block.box.height + 6:
        found.append(f"{block.name}: one line of {block.size}px does not fit {block.box.height}")
    return found


def _fidelity(block: TextBlock, given: str) -> list[str]:
    """Every word is shown whole: the lines are the text, or its first words and "…"."""
    text = clean(given)
    shown = "".join(block.lines).replace(" ", "")
    whole = text.replace(" ", "")
    if not block.truncated:
        return [] if shown == whole else [f"{block.name}: shows {shown!r}, not {whole!r}"]
    if not shown.endswith(ELLIPSIS):
        return [f"{block.name}: cut without an ellipsis"]
    kept = shown.removesuffix(ELLIPSIS)
    so_far = ""
    for word, _ in tokens(text):
        if kept == so_far:
            return []
        if kept.startswith(so_far) and len(kept) < len(so_far + word):
            # only a word wider than the whole box may be cut inside, having been split to show
            if text_width(word, block.size, block.weight) > block.box.width:
                return []
            return [f"{block.name}: cut mid-word: {kept[-20:]!r}"]
        so_far += word
    return [] if kept == so_far else [f"{block.name}: shows {kept[-20:]!r}, not the text"]
