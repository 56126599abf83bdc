"""Votes on the daily post: its two buttons with their counts, and `/specimen history` pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.cards.model import Action, Button, Card, Tone
from bot.store import ACCURATE, HARSH, Tally, Votes

VOTE_LABELS = {ACCURATE: "Accurate", HARSH: "Too harsh"}
HISTORY_PAGE_SIZE = 10
# how many of the month's most accurate specimens head `/specimen history`
HISTORY_TOP = 3


def vote_action(local_date: date, choice: str) -> Action:
    """The action of a vote button: the channel's post of `local_date`, and the vote."""
    return Action("specimen", "vote", (("day", local_date.isoformat()), ("vote", choice)))


def vote_buttons(local_date: date, votes: Votes) -> tuple[Button, ...]:
    """The two vote buttons, labelled with their counts (`Accurate · 3`, `Too harsh · 1`)."""
    counts = {ACCURATE: votes.accurate, HARSH: votes.harsh}
    return tuple(
        Button(f"{label} · {counts[choice]}", vote_action(local_date, choice))
        for choice, label in VOTE_LABELS.items()
    )


def with_votes(card: Card, local_date: date, votes: Votes) -> Card:
    """The daily post's card with its vote buttons first, so no button limit drops them.

    The section menu is left off: choosing a section replaces the message it is on, and the
    daily post is the channel's shared record, with its votes. Its footer says how to open
    a section by typing.
    """
    return replace(card, buttons=vote_buttons(local_date, votes) + card.buttons, menu=None)


@dataclass(frozen=True)
class HistoryEntry:
    """One daily post as `/specimen history` lists it."""

    local_date: date
    title: str
    votes: Votes


def history_action(page: int) -> Action:
    """The action that shows one page of the channel's history."""
    return Action("specimen", "history", (("page", str(page)),))


def history_card(
    entries: Sequence[HistoryEntry],
    page: int,
    total: int,
    month: str,
    top: Sequence[Tally],
) -> Card:
    """Page `page` of the channel's daily posts, newest first, under the month's most accurate.

    `top` holds titles with their "accurate" votes in `month` (e.g. "November 2026").
    """
    pages = max(1, -(-total // HISTORY_PAGE_SIZE))
    if top:
        ranked = " · ".join(f"{n}. {t.name} ({t.count})" for n, t in enumerate(top, 1))
        head = f"Most accurate in {month}: {ranked}"
    else:
        head = f"Most accurate in {month}: no votes yet."
    lines = [
        f"{e.local_date:%a %d %b %Y} · {e.title} · "
        f"{VOTE_LABELS[ACCURATE]} {e.votes.accurate} · {VOTE_LABELS[HARSH]} {e.votes.harsh}"
        for e in entries
    ]
    buttons = []
    if page > 1:
        buttons.append(Button("Newer posts", history_action(page - 1)))
    if page < pages:
        buttons.append(Button("Older posts", history_action(page + 1)))
    return Card(
        title="Specimens of the day in this channel",
        description="\n".join([head, "", *lines]),
        footer=(
            f"Page {page} of {pages} · {total} post{'' if total == 1 else 's'}"
            " · vote with the buttons on each post"
        ),
        buttons=tuple(buttons),
        tone=Tone.INFO,
    )
