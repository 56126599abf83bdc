"""The `/roaststats` chart: long names stay in their boxes, an empty month says so, 1200x630."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from bot.cards.stats import TOP, MonthStats, empty_line
from bot.images.chart import ChartLayout, chart_layout, render_chart
from bot.images.layout import Box
from bot.images.record import HEIGHT, WIDTH, Layout, draw_block
from bot.store import Tally
from tests.images.records import problems
from tests.images.test_record import ALPHABET, ARABIC, CJK, EMOJI

LONG = "Principal Staff Senior Enterprise Solutions Architect of Synergy " * 3


def chart_problems(layout: ChartLayout) -> list[str]:
    """Text that leaves its box, boxes off the canvas, and any two boxes or bars overlapping."""
    text_only = Layout(layout.blocks, Box(0, 0, 0, 0), 0)
    found = problems(text_only)
    boxes = [(b.name, b.box) for b in layout.blocks] + [
        (f"bar-{n}", track) for n, (track, _) in enumerate(layout.bars)
    ]
    for name, box in boxes[len(layout.blocks) :]:
        if box.x < 0 or box.y < 0 or box.right > WIDTH or box.bottom > HEIGHT:
            found.append(f"{name}: {box} leaves the canvas")
    for index, (name, box) in enumerate(boxes):
        for other_name, other in boxes[index + 1 :]:
            if not (
                box.right <= other.x
                or other.right <= box.x
                or box.bottom <= other.y
                or other.bottom <= box.y
            ):
                found.append(f"{name} overlaps {other_name}")
    for track, filled in layout.bars:
        if not 1 <= filled <= track.width:
            found.append(f"bar fill {filled} outside its track of {track.width}")
    return found


def full(name: str) -> tuple[Tally, ...]:
    """`TOP` tallies of names built on `name`, counts falling."""
    return tuple(Tally(f"{name} {n}", 1000 - n) for n in range(TOP))


def test_long_names_in_every_script_stay_in_their_boxes() -> None:
    """Three full panels of 200-character Latin, Arabic, CJK and emoji names fit, bars too."""
    stats = MonthStats("2026-11", full(LONG), full(ARABIC * 4 + CJK * 3), full(EMOJI * 10))
    layout = chart_layout(stats)
    assert chart_problems(layout) == []
    assert len(layout.bars) == 3 * TOP
    names = [b for b in layout.blocks if b.name.startswith("name-")]
    assert len(names) == 3 * TOP and all(len(b.lines) == 1 for b in names)


@pytest.mark.parametrize("marks", ["\u0301", "\u0316", "\u20dd"])
def test_a_name_of_stacked_marks_draws_inside_its_row(marks: str) -> None:
    """A missing role typed as one letter under 10,000 combining marks, drawn: its ink stays
    in its row (a few pixels of an accent aside), not over the headings or the canvas edge."""
    layout = chart_layout(MonthStats("2026-11", (), (Tally("e" + marks * 10_000, 1),)))
    [name] = [b for b in layout.blocks if b.name.startswith("name-")]
    canvas = Image.new("RGB", (WIDTH, HEIGHT))
    draw_block(ImageDraw.Draw(canvas), name)
    top, bottom = canvas.getbbox()[1::2]  # type: ignore[index]
    assert name.box.y - 8 <= top and bottom <= name.box.bottom + 8, (top, bottom, name.box)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(
        st.text(ALPHABET, min_size=1, max_size=120).filter(str.strip), min_size=1, max_size=TOP
    ),
    count=st.integers(1, 10**9),
)
def test_generated_names_and_counts_never_overflow(names: list[str], count: int) -> None:
    """Whatever the names and however large the counts, nothing leaves its box."""
    tallies = tuple(Tally(name, count - n if count > n else 1) for n, name in enumerate(names))
    assert chart_problems(chart_layout(MonthStats("2026-11", tallies, tallies[:2]))) == []


def test_the_longest_bar_is_the_most_counted() -> None:
    """Bars are drawn to scale: the top name fills its track, half the count half the track."""
    layout = chart_layout(MonthStats("2026-11", (Tally("SDET", 10), Tally("PM", 5)), ()))
    (top, top_fill), (second, second_fill) = layout.bars
    assert top_fill == top.width
    assert second_fill == round(second.width / 2)


def test_an_empty_month_says_so_in_words() -> None:
    """No bars, and a block holding the sentence the card also carries."""
    layout = chart_layout(MonthStats("2026-02", (), ()))
    assert layout.bars == ()
    (empty,) = [b for b in layout.blocks if b.name == "empty"]
    assert " ".join(empty.lines) == empty_line("2026-02")
    assert chart_problems(layout) == []


def test_the_chart_is_a_small_1200x630_png() -> None:
    """Full and empty charts alike are PNGs of the link-preview size, well under 300 KB."""
    for stats in (MonthStats("2026-11", full(LONG), full("x")), MonthStats("2026-11", (), ())):
        png = render_chart(stats)
        assert len(png) < 300_000
        with Image.open(io.BytesIO(png)) as image:
            assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT))


def test_the_voted_panel_shows_once_votes_fill_it() -> None:
    """The seam for votes: a third panel appears when `accurate` holds anything."""
    layout = chart_layout(MonthStats("2026-11", full("a"), full("b"), full("c")))
    headings = [b.lines[0] for b in layout.blocks if b.name.startswith("label-")]
    assert headings == ["MOST ROASTED", "MOST ASKED, MISSING", "VOTED MOST ACCURATE"]
