"""Near duplicates: the stated threshold separates rewordings from different quips."""

from __future__ import annotations

import pytest

from bot.quotes.likeness import NEAR_DUPLICATE, nearest

LINE = "The roadmap is a vibe with a Gantt chart"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("the ROADMAP is a vibe, with a gantt chart!", True),  # case and punctuation
        ("A Gantt chart with a vibe: the roadmap is", True),  # reordered words
        ("The roadmap is a vibe with a Gantt chart attached", True),  # one word added
        ("The roadmap is a mood with a Gantt chart", True),  # one word changed
        ("Synergy ate my lunch", False),
        ("The roadmap is a lie", False),
    ],
)
def test_rewordings_are_flagged_and_different_quips_are_not(text: str, flagged: bool) -> None:
    """At 85, rewordings of one line score above and different lines below."""
    found = nearest(text, [("S1", LINE), ("S2", "Ship it, then write the ADR")])
    assert (found is not None) is flagged
    if found is not None:
        assert (found.label, found.text) == ("S1", LINE)
        assert found.score >= NEAR_DUPLICATE


def test_no_candidates_means_no_flag() -> None:
    """An empty burn ward flags nothing."""
    assert nearest(LINE, []) is None
