"""Votes on daily posts in the store: one per member and post, exact under concurrent presses."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from bot.store import ACCURATE, HARSH, Place, SqlStore, Tally, Votes

PLACE = Place("discord", "g1", "c1")
OTHER_CHANNEL = Place("discord", "g1", "c2")
OTHER_SERVER = Place("discord", "g2", "c1")
DAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)


async def posted(
    store: SqlStore, place: Place, day: date, role_id: str, quote: str | None = None
) -> None:
    """A daily post of `role_id` that went out in `place` on `day`."""
    assert await store.plan_daily(place, day, [role_id], NOW) is not None
    await store.record_daily(place, day, f"m-{place.channel_id}-{day}", NOW, quote, "QA")


async def test_a_vote_is_given_changed_and_taken_back(store: SqlStore) -> None:
    """Same press again takes the vote back; the other press changes it; counts follow."""
    await posted(store, PLACE, DAY, "sdet")
    presses = [
        ("u1", ACCURATE),
        ("u2", ACCURATE),
        ("u1", HARSH),
        ("u2", ACCURATE),
        ("u2", ACCURATE),
    ]
    counts = []
    for member, choice in presses:
        pressed = await store.vote(PLACE, DAY, member, choice, NOW)
        assert pressed is not None
        counts.append(pressed[1])
    assert counts == [Votes(1, 0), Votes(2, 0), Votes(1, 1), Votes(0, 1), Votes(1, 1)]


async def test_a_vote_returns_the_post_with_its_quote(store: SqlStore) -> None:
    """The press returns the post as recorded, quote included, to redraw its card."""
    await posted(store, PLACE, DAY, "sdet", quote="Works on my machine.")
    pressed = await store.vote(PLACE, DAY, "u1", HARSH, NOW)
    assert pressed is not None
    post, votes = pressed
    assert (post.role_id, post.quote_text, post.quote_source) == (
        "sdet",
        "Works on my machine.",
        "QA",
    )
    assert post.message_id == "m-c1-2026-11-20" and votes == Votes(0, 1)


async def test_no_vote_on_a_post_that_never_went_out(store: SqlStore) -> None:
    """A planned but unsent post, or no post at all, takes no vote."""
    assert await store.plan_daily(PLACE, DAY, ["sdet"], NOW) is not None
    assert await store.vote(PLACE, DAY, "u1", ACCURATE, NOW) is None
    assert await store.vote(PLACE, DAY + timedelta(days=1), "u1", ACCURATE, NOW) is None
    assert await store.daily_history(PLACE, 0, 10) == (0, [])


async def test_concurrent_presses_count_exactly(store: SqlStore) -> None:
    """Many presses at once: each member counted once, double presses taken back, none lost."""
    await posted(store, PLACE, DAY, "sdet")
    firsts = await asyncio.gather(
        *(store.vote(PLACE, DAY, f"a{n}", ACCURATE, NOW) for n in range(30))
    )
    # presses on one post are counted one after another: each saw its own running total
    assert sorted(r[1].accurate for r in firsts if r is not None) == list(range(1, 31))
    presses = [store.vote(PLACE, DAY, f"h{n}", HARSH, NOW) for n in range(12)]
    presses += [store.vote(PLACE, DAY, f"a{n}", HARSH, NOW) for n in range(5)]  # changed
    # a double press by the same member cancels out, whichever lands first
    presses += [store.vote(PLACE, DAY, f"d{n}", ACCURATE, NOW) for n in range(8) for _ in (1, 2)]
    presses += [store.vote(PLACE, DAY, f"a{n}", ACCURATE, NOW) for n in range(25, 30)]  # taken back
    await asyncio.gather(*presses)
    total, [entry] = await store.daily_history(PLACE, 0, 10)
    assert total == 1 and entry.votes == Votes(30 - 5 - 5, 12 + 5)


async def test_history_pages_newest_first_with_votes(store: SqlStore) -> None:
    """The channel's posts that went out, newest first, each with its own counts."""
    roles = ["sdet", "product-manager", "staff-engineer", "scrum-master"]
    for offset, role in enumerate(roles):
        await posted(store, PLACE, DAY + timedelta(days=offset), role)
    await posted(store, OTHER_CHANNEL, DAY, "sdet")
    await store.plan_daily(PLACE, DAY + timedelta(days=9), ["sdet"], NOW)  # never sent
    await store.vote(PLACE, DAY + timedelta(days=3), "u1", ACCURATE, NOW)
    await store.vote(PLACE, DAY + timedelta(days=2), "u1", HARSH, NOW)
    await store.vote(PLACE, DAY + timedelta(days=2), "u2", HARSH, NOW)
    await store.vote(OTHER_CHANNEL, DAY, "u1", ACCURATE, NOW)
    total, first = await store.daily_history(PLACE, 0, 3)
    assert total == 4
    assert [(e.post.role_id, e.votes) for e in first] == [
        ("scrum-master", Votes(1, 0)),
        ("staff-engineer", Votes(0, 2)),
        ("product-manager", Votes(0, 0)),
    ]
    total, second = await store.daily_history(PLACE, 3, 3)
    assert total == 4 and [(e.post.role_id, e.votes) for e in second] == [("sdet", Votes())]


async def test_most_accurate_by_workspace_channel_and_month(store: SqlStore) -> None:
    """Ranked by accurate votes, ties to fewer harsh; a month's dates only; a server's own."""
    nov, dec = date(2026, 11, 1), date(2026, 12, 1)
    await posted(store, PLACE, date(2026, 11, 2), "sdet")
    await posted(store, PLACE, date(2026, 11, 3), "product-manager")
    await posted(store, OTHER_CHANNEL, date(2026, 11, 3), "sdet")
    await posted(store, PLACE, date(2026, 11, 4), "staff-engineer")
    await posted(store, PLACE, date(2026, 12, 1), "scrum-master")
    await posted(store, OTHER_SERVER, date(2026, 11, 2), "scrum-master")
    for member in ("u1", "u2"):
        await store.vote(PLACE, date(2026, 11, 2), member, ACCURATE, NOW)
        await store.vote(PLACE, date(2026, 11, 3), member, ACCURATE, NOW)
        await store.vote(PLACE, date(2026, 12, 1), member, ACCURATE, NOW)
    await store.vote(PLACE, date(2026, 11, 3), "u3", HARSH, NOW)
    await store.vote(OTHER_CHANNEL, date(2026, 11, 3), "u1", ACCURATE, NOW)
    await store.vote(PLACE, date(2026, 11, 4), "u1", HARSH, NOW)
    for member in ("u1", "u2", "u3", "u4"):
        await store.vote(OTHER_SERVER, date(2026, 11, 2), member, ACCURATE, NOW)
    last = date(2026, 11, 30)
    assert await store.most_accurate("discord:g1", nov, last, 8) == [
        Tally("sdet", 3),
        Tally("product-manager", 2),
    ]
    assert await store.most_accurate("discord:g1", nov, last, 8, PLACE) == [
        Tally("sdet", 2),
        Tally("product-manager", 2),
    ]
    assert await store.most_accurate("discord:g1", nov, last, 1, PLACE) == [Tally("sdet", 2)]
    assert await store.most_accurate("discord:g1", dec, date(2026, 12, 31), 8) == [
        Tally("scrum-master", 2)
    ]
