"""`/roaststats`: a month's figures as a neutral value, and the card that carries them as text.

The card's fields repeat every figure the chart draws, so a screen reader or the console
reads the same thing the picture shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.cards.model import Card, Field
from bot.store import Tally

# how many names each list shows, on the card and in the chart
TOP = 8


@dataclass(frozen=True)
class MonthStats:
    """One workspace's month: its most-roasted roles (titles), most-asked missing roles, and
    the specimens (titles) whose daily posts of the month were voted "Accurate" most."""

    month: str
    roasted: tuple[Tally, ...]
    missing: tuple[Tally, ...]
    accurate: tuple[Tally, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether nothing at all was counted this month."""
        return not (self.roasted or self.missing or self.accurate)

    def panels(self) -> list[tuple[str, tuple[Tally, ...]]]:
        """The non-empty lists, each with its heading, in the order they are shown."""
        named = [
            ("Most roasted", self.roasted),
            ("Most asked, missing", self.missing),
            ("Voted most accurate", self.accurate),
        ]
        return [(heading, tallies) for heading, tallies in named if tallies]


def empty_line(month: str) -> str:
    """What an empty month says, in words."""
    return f"No roasts and no missing roles were counted in {month}."


def stats_card(stats: MonthStats, image: str = "") -> Card:
    """The month's figures as text; `image` names the chart among the reply's attachments."""
    if stats.empty:
        return Card(
            title=f"Roast stats, {stats.month}", description=empty_line(stats.month), image=image
        )
    fields = tuple(
        Field(heading, "\n".join(f"{n}. {t.name}: {t.count}" for n, t in enumerate(tallies, 1)))
        for heading, tallies in stats.panels()
    )
    return Card(
        title=f"Roast stats, {stats.month}",
        description=(
            f"The top {TOP} of each list, days counted in UTC"
            + (", votes by the date of the post." if stats.accurate else ".")
        ),
        fields=fields,
        image=image,
        footer="/roaststats YYYY-MM for another month",
    )
