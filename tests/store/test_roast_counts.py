"""Roast counts on both backends: concurrent roasts all counted, tallies per month and kind."""

from __future__ import annotations

import asyncio
from datetime import date

from bot.store import Place, SqlStore, Tally, open_store
from tests.conftest import rows

DAY = date(2026, 11, 21)


async def test_concurrent_counts_from_two_instances_all_land(
    store: SqlStore, database: str
) -> None:
    """120 counts at once, split over two stores on one database: none lost, one row per key."""
    other = await open_store(database)
    try:
        await asyncio.gather(
            *(
                (store if n % 2 else other).count_roast("console:w1", "roast", "sdet", DAY)
                for n in range(120)
            )
        )
    finally:
        await other.close()
    assert await store.roast_tally("console:w1", "roast", DAY, DAY, 8) == [Tally("sdet", 120)]
    assert await rows(store, "SELECT count(*) FROM roast_counts") == [(1,)]


async def test_tallies_keep_workspaces_kinds_and_months_apart(store: SqlStore) -> None:
    """Only the asked workspace, kind and days are summed; most counted first, ties by name."""
    counts = [
        ("console:w1", "roast", "sdet", date(2026, 11, 1), 2),
        ("console:w1", "roast", "sdet", date(2026, 11, 30), 1),
        ("console:w1", "roast", "cto", date(2026, 11, 15), 3),
        ("console:w1", "roast", "pm", date(2026, 11, 15), 3),
        ("console:w1", "roast", "intern", date(2026, 10, 31), 9),
        ("console:w1", "roast", "intern", date(2026, 12, 1), 9),
        ("console:w1", "missing", "chief vibes officer", date(2026, 11, 2), 4),
        ("console:w2", "roast", "sdet", date(2026, 11, 3), 7),
    ]
    for workspace, kind, name, day, times in counts:
        for _ in range(times):
            await store.count_roast(workspace, kind, name, day)
    first, last = date(2026, 11, 1), date(2026, 11, 30)
    assert await store.roast_tally("console:w1", "roast", first, last, 8) == [
        Tally("cto", 3),
        Tally("pm", 3),
        Tally("sdet", 3),
    ]
    assert await store.roast_tally("console:w1", "roast", first, last, 1) == [Tally("cto", 3)]
    assert await store.roast_tally("console:w1", "missing", first, last, 8) == [
        Tally("chief vibes officer", 4)
    ]
    assert await store.roast_tally("console:w3", "roast", first, last, 8) == []


async def test_a_quote_draw_counts_its_roast_in_the_same_write(store: SqlStore) -> None:
    """`draw_quote(..., counted_on=day)` counts one roast; without it nothing is counted."""
    place = Place("console", "w1", "c1")
    await store.draw_quote(place, "sdet", ["s:0", "s:1"], DAY)
    await store.draw_quote(place, "sdet", ["s:0", "s:1"])
    assert await store.roast_tally("console:w1", "roast", DAY, DAY, 8) == [Tally("sdet", 1)]
