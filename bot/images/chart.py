"""`/roaststats` as a 1200x630 bar chart: one panel per list, one bar per name.

`chart_layout` places every label and bar (pure, what the tests check); `render_chart`
draws it in the file record's colours and fonts. An empty month is a sentence, not a blank.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from bot.cards.stats import MonthStats, empty_line
from bot.images.fonts import BOLD
from bot.images.layout import Box, Style, TextBlock, fit
from bot.images.record import (
    ACCENT,
    HEIGHT,
    MARGIN,
    PALETTE_COLOURS,
    PAPER,
    TRACK,
    WIDTH,
    draw_block,
)

GAP = 40
TOP = 150
ROW = 54
COUNT_WIDTH = 80
NAME = Style(18, 12, max_lines=1)


@dataclass(frozen=True)
class ChartLayout:
    """Every text block of the chart, and each bar's track and filled width."""

    blocks: tuple[TextBlock, ...]
    bars: tuple[tuple[Box, int], ...]


def chart_layout(stats: MonthStats) -> ChartLayout:
    """Where each heading, name, count and bar goes."""
    blocks = [
        fit(
            "record",
            "ROASTBOT · MONTHLY STATS",
            Box(MARGIN, 30, WIDTH - 2 * MARGIN, 26),
            Style(15, 15, BOLD, 1),
        ),
        fit(
            "title",
            f"Roast stats, {stats.month}",
            Box(MARGIN, 62, WIDTH - 2 * MARGIN, 70),
            Style(48, 26, BOLD, 1),
        ),
    ]
    bars: list[tuple[Box, int]] = []
    panels = stats.panels()
    if not panels:
        box = Box(MARGIN, TOP + 100, WIDTH - 2 * MARGIN, 160)
        blocks.append(fit("empty", empty_line(stats.month), box, Style(40, 20, BOLD)))
        return ChartLayout(tuple(blocks), ())
    width = (WIDTH - 2 * MARGIN - GAP * (len(panels) - 1)) // len(panels)
    for number, (heading, tallies) in enumerate(panels):
        x = MARGIN + number * (width + GAP)
        label = f"label-{number}"
        blocks.append(fit(label, heading.upper(), Box(x, TOP, width, 26), Style(17, 13, BOLD, 1)))
        most = max(t.count for t in tallies)
        for row, tally in enumerate(tallies):
            top = TOP + 36 + row * ROW
            name_box = Box(x, top, width - COUNT_WIDTH, 26)
            blocks.append(fit(f"name-{number}-{row}", tally.name, name_box, NAME))
            count_box = Box(x + width - COUNT_WIDTH + 8, top, COUNT_WIDTH - 8, 26)
            blocks.append(fit(f"count-{number}-{row}", str(tally.count), count_box, NAME))
            track = Box(x, top + 28, width, 14)
            bars.append((track, max(1, round(track.width * tally.count / most))))
    return ChartLayout(tuple(blocks), tuple(bars))


def render_chart(stats: MonthStats) -> bytes:
    """The chart as PNG bytes: 1200x630, a small palette image."""
    layout = chart_layout(stats)
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH - 1, 10), fill=ACCENT)
    for track, filled in layout.bars:
        draw.rectangle((track.x, track.y, track.right - 1, track.bottom - 1), fill=TRACK)
        draw.rectangle((track.x, track.y, track.x + filled - 1, track.bottom - 1), fill=ACCENT)
    for block in layout.blocks:
        draw_block(draw, block)
    encoded = io.BytesIO()
    palette = image.quantize(PALETTE_COLOURS, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette.save(encoded, "PNG")
    return encoded.getvalue()
