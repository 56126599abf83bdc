"""A dossier's file record as a 1200x630 PNG, in the look of the seed records.

`record_layout` places every piece of text in its box (pure, what the tests check);
`render_record` draws that layout and encodes it as a small palette PNG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from PIL import Image, ImageDraw

from bot.cards.roast import format_salary, related_roles
from bot.catalog.lookup import Catalog
from bot.catalog.model import Role
from bot.images.fonts import BOLD, font, runs
from bot.images.layout import BASELINE, Box, Style, TextBlock, fit

WIDTH, HEIGHT = 1200, 630
MARGIN = 48
COLUMN = 540
RIGHT = WIDTH - MARGIN - COLUMN
RELATED_ROWS = 3
PALETTE_COLOURS = 48

INK = (236, 233, 226)
MUTED = (150, 146, 138)
ACCENT = (232, 89, 12)
PAPER = (17, 17, 19)
TRACK = (52, 50, 48)

LABEL = Style(15, 15, BOLD, 1)
MUTED_BOXES = {"aliases", "illusion", "source", "footer"}
ACCENT_BOXES = {"record", "match-1", "match-2", "match-3"}


@dataclass(frozen=True)
class Layout:
    """Every text block of a file record, and the flight-risk bar's track and fill."""

    blocks: tuple[TextBlock, ...]
    bar: Box
    bar_fill: int

    def block(self, name: str) -> TextBlock:
        """The block called `name`."""
        return next(block for block in self.blocks if block.name == name)


def record_layout(role: Role, catalog: Catalog, url: str | None = None) -> Layout:
    """Where each piece of the record goes and the size it is set at."""
    d = role.dossier
    pair = d.jd_autopsy[0]
    quote = d.burn_ward[0]
    risk = d.flight_risk
    title = fit("title", d.title, Box(MARGIN, 62, 1104, 132), Style(56, 26, BOLD, 2))
    # the aliases follow the title's last line and take the room down to the rule at 258
    used = len(title.lines) * title.line_height
    aliases_top = min(198, title.box.y + used + 12)
    title = replace(title, box=replace(title.box, height=aliases_top - title.box.y - 4))
    blocks = [
        fit("record", f"FILE RECORD: {role.id.upper()}", Box(MARGIN, 30, 1104, 26), LABEL),
        title,
        fit(
            "aliases",
            "KNOWN ALIASES / DISGUISES: " + " · ".join(d.aliases),
            Box(MARGIN, aliases_top, 1104, 250 - aliases_top),
            Style(19, 13, max_lines=3),
        ),
        fit("label-salary", "[03] SALARY DELUSION", Box(MARGIN, 268, COLUMN, 22), LABEL),
        fit("salary", format_salary(d), Box(MARGIN, 292, COLUMN, 48), Style(34, 20, BOLD, 1)),
        fit("label-risk", "[04] THE FLIGHT RISK", Box(MARGIN, 348, COLUMN, 22), LABEL),
        fit("risk", f"{risk.percent}% {risk.label}", Box(404, 372, 184, 26), Style(18, 14, BOLD)),
        fit("label-jd", "[08] THE JD AUTOPSY", Box(MARGIN, 410, COLUMN, 22), LABEL),
        fit(
            "illusion",
            f"LinkedIn illusion: “{pair.illusion}”",
            Box(MARGIN, 434, COLUMN, 74),
            Style(18, 12),
        ),
        fit(
            "translation",
            f"Translation: {pair.translation}",
            Box(MARGIN, 510, COLUMN, 74),
            Style(18, 12),
        ),
        fit("label-burn", "[10] THE BURN WARD", Box(RIGHT, 268, COLUMN, 22), LABEL),
        fit("quote", f"“{quote.quote}”", Box(RIGHT, 292, COLUMN, 150), Style(26, 13)),
        fit(
            "source",
            f"— {quote.source}" if quote.source else "",
            Box(RIGHT, 444, COLUMN, 24),
            Style(16, 12, max_lines=1),
        ),
        fit("label-related", "[11] RELATED SPECIMENS", Box(RIGHT, 480, COLUMN, 22), LABEL),
    ]
    for row, (other, match) in enumerate(related_roles(role, catalog)[:RELATED_ROWS], 1):
        top = 504 + (row - 1) * 27
        blocks.append(
            fit(f"match-{row}", f"{match}%", Box(RIGHT, top, 58, 26), Style(17, 17, BOLD, 1))
        )
        blocks.append(
            fit(
                f"related-{row}",
                other.title,
                Box(RIGHT + 62, top, COLUMN - 62, 26),
                Style(17, 12, max_lines=1),
            )
        )
    footer = f"roastbot · [VIEW FULL TAXONOMY] {url}" if url else "roastbot · [VIEW FULL TAXONOMY]"
    blocks.append(fit("footer", footer, Box(MARGIN, 592, 1104, 24), Style(15, 12, max_lines=1)))
    bar = Box(MARGIN, 376, 340, 18)
    return Layout(tuple(blocks), bar, round(bar.width * risk.percent / 100))


def render_record(role: Role, catalog: Catalog, url: str | None = None) -> bytes:
    """The file record as PNG bytes: 1200x630, well under 300 KB."""
    layout = record_layout(role, catalog, url)
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH - 1, 10), fill=ACCENT)
    draw.line((MARGIN, 258, WIDTH - MARGIN, 258), fill=TRACK, width=2)
    bar = layout.bar
    draw.rectangle((bar.x, bar.y, bar.right - 1, bar.bottom - 1), fill=TRACK)
    if layout.bar_fill:
        draw.rectangle((bar.x, bar.y, bar.x + layout.bar_fill - 1, bar.bottom - 1), fill=ACCENT)
    for block in layout.blocks:
        draw_block(draw, block)
    encoded = io.BytesIO()
    palette = image.quantize(PALETTE_COLOURS, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette.save(encoded, "PNG")
    return encoded.getvalue()


def draw_block(draw: ImageDraw.ImageDraw, block: TextBlock) -> None:
    """Draw a fitted block line by line, each run in its face; colour by the block's name."""
    colour = MUTED if block.name in MUTED_BOXES else INK
    if block.name in ACCENT_BOXES or block.name.startswith("label-"):
        colour = ACCENT
    for number, line in enumerate(block.lines):
        x = float(block.box.x)
        baseline = block.box.y + number * block.line_height + round(block.size * BASELINE)
        for run in runs(line):
            face = font(run.face, block.size, block.weight)
            draw.text((x, baseline), run.text, font=face, fill=colour, anchor="ls")
            x += face.getlength(run.text)
