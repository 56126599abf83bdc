"""Console cards: buttons stay whole at any width, and the footer offers only what is drawn."""

from __future__ import annotations

import pytest
from rich.console import Console

from bot.adapters.console.render import render_reply
from bot.cards.model import Action, Button, Card, Reply
from bot.cards.roast import section_card, summary_card
from bot.catalog.lookup import Catalog
from bot.catalog.sections import Section, find_section

EA = "enterprise-architect"
LABELS = (
    "Staff Engineer · 91%",
    "Digital Transformation Lead · 87%",
    "Product Manager · 79%",
    "Lead Backend Data Procurement Analyst · 98%",
    "SDET · 84%",
)


def _lines(reply: Reply, width: int) -> list[str]:
    console = Console(width=width, record=True, file=None, color_system=None)
    with console.capture() as capture:
        for renderable in render_reply(reply):
            console.print(renderable)
    return capture.get().splitlines()


def _section(key: str) -> Section:
    section = find_section(key)
    assert section is not None
    return section


def _button_line(lines: list[str], number: int) -> str:
    """The one line that shows button `number`."""
    found = [line for line in lines if f"[{number}] " in line]
    assert len(found) == 1, (number, found)
    return found[0]


@pytest.mark.parametrize("width", [40, 80, 120])
def test_a_button_is_never_split_across_lines(width: int) -> None:
    """Each button sits on one line: whole, or cut short with … when wider than the card."""
    card = Card(title="Buttons", buttons=tuple(Button(label, Action("roast")) for label in LABELS))
    lines = _lines(Reply((card,)), width)
    inner = width - 4  # the panel's border and padding
    for number, label in enumerate(LABELS, 1):
        shown = f"[{number}] {label}"
        line = _button_line(lines, number)
        if len(shown) <= inner:
            assert shown in line
        else:
            cut = line[line.index(f"[{number}] ") :].split("…")[0]
            assert "…" in line and shown.startswith(cut) and len(cut) > len(f"[{number}] ")
            following = lines[lines.index(line) + 1]
            assert shown[len(cut) :].strip() not in following


@pytest.mark.parametrize("width", [40, 80, 120])
def test_a_roast_card_shows_every_related_button_whole(catalog: Catalog, width: int) -> None:
    """The real summary card: each related-specimen button is on a line of its own making."""
    role = catalog.get(EA)
    assert role is not None
    card = summary_card(role, catalog, None)
    lines = _lines(Reply((card,)), width)
    for number, button in enumerate(card.buttons, 1):
        shown = f"[{number}] {button.label}"
        line = _button_line(lines, number)
        assert shown in line or (len(shown) > width - 4 and "…" in line)


@pytest.mark.parametrize("section", [None, "salary", "related"])
def test_the_console_never_points_to_a_menu_it_does_not_draw(
    catalog: Catalog, section: str | None
) -> None:
    """The section menu is not drawn, so no line speaks of one; typing a section is offered."""
    role = catalog.get(EA)
    assert role is not None
    card = summary_card(role, catalog, None)
    if section is not None:
        card = section_card(role, _section(section), catalog)
    assert card.menu is not None
    text = " ".join(line.strip("│ ") for line in _lines(Reply((card,)), 200))
    assert "menu" not in text.casefold()
    assert "/roast Enterprise Architect <section> (aliases," in text
