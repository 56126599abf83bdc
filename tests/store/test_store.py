"""The store against real databases (a SQLite file, a PostgreSQL server): quotes, rotation."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.store import DuplicateQuoteError, Place, SqlStore, StoreError, open_store
from bot.store.migrate import LATEST_REVISION
from tests.conftest import rows

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
PLACE = Place("console", "w1", "c1")


async def _add(store: SqlStore, text: str, workspace: str = "console:w1") -> int:
    quote = await store.add_quote(
        workspace=workspace,
        role_id="sdet",
        text=text,
        source=None,
        fingerprint=text.lower(),
        added_by="admin",
        now=NOW,
    )
    return quote.id


async def _draw(store: SqlStore, place: Place, role: str, keys: list[str]) -> str | None:
    """The key the rotation draws next for `role` in `place`, from `keys` (no added quotes)."""
    drawn = await store.draw_quote(place, role, keys)
    return drawn.key if drawn else None


async def test_database_uses_wal_busy_timeout_and_latest_schema(
    store: SqlStore, backend: str
) -> None:
    """Opening applies every migration; on SQLite also WAL and a busy timeout."""
    assert await rows(store, "SELECT version_num FROM alembic_version") == [(LATEST_REVISION,)]
    if backend == "sqlite":
        assert (await rows(store, "PRAGMA journal_mode"))[0][0] == "wal"
        assert int((await rows(store, "PRAGMA busy_timeout"))[0][0]) >= 1000  # type: ignore[call-overload]


async def test_reopening_keeps_data_and_does_not_migrate_twice(database: str) -> None:
    """A restart finds its quotes and its schema version unchanged."""
    first = await open_store(database)
    quote_id = await _add(first, "kept")
    await first.close()
    second = await open_store(database)
    assert [q.id for q in await second.live_quotes("console:w1", "sdet")] == [quote_id]
    assert (await second.check()).schema_version == int(LATEST_REVISION)
    await second.close()


async def test_an_unwritable_path_is_one_line_naming_it(tmp_path: Path) -> None:
    """A database that cannot be opened raises StoreError naming the path."""
    target = tmp_path / "missing-dir" / "db.sqlite3"
    with pytest.raises(StoreError) as caught:
        await open_store(target)
    assert str(target) in str(caught.value)
    assert "\n" not in str(caught.value)


async def test_quotes_are_scoped_soft_deleted_and_keep_who_and_when(store: SqlStore) -> None:
    """Removal hides a quote from its own workspace only and keeps the record."""
    mine = await _add(store, "mine")
    await _add(store, "theirs", workspace="console:w2")
    assert (
        await store.remove_quote(workspace="console:w2", quote_id=mine, removed_by="x", now=NOW)
        is None
    )
    removed = await store.remove_quote(
        workspace="console:w1", quote_id=mine, removed_by="boss", now=NOW
    )
    assert removed is not None and (removed.removed_by, removed.removed_at) == ("boss", NOW)
    assert await store.live_quotes("console:w1", "sdet") == []
    kept = await rows(store, "SELECT added_by, removed_by FROM quotes ORDER BY id")
    assert kept == [("admin", "boss"), ("admin", None)]


async def test_a_live_duplicate_is_refused_with_the_existing_id(store: SqlStore) -> None:
    """The same fingerprint twice in one workspace and role raises with the first quote."""
    first = await _add(store, "Same words")
    with pytest.raises(DuplicateQuoteError) as caught:
        await _add(store, "same WORDS")
    assert caught.value.existing.id == first
    await _add(store, "same words", workspace="console:other")


async def test_each_round_shows_every_quote_once(store: SqlStore) -> None:
    """Over many rounds, each round is a permutation of the candidates."""
    keys = ["a", "b", "c", "d"]
    draws = [await _draw(store, PLACE, "bag", keys) for _ in range(40)]
    rounds = [draws[i : i + 4] for i in range(0, 40, 4)]
    assert all(sorted(r) == keys for r in rounds)  # type: ignore[type-var]
    assert all(rounds[i][-1] != rounds[i + 1][0] for i in range(len(rounds) - 1))


async def test_channels_and_bags_rotate_independently(store: SqlStore) -> None:
    """Another channel's draws do not use up this channel's round."""
    other = Place("console", "w1", "c2")
    mine = [await _draw(store, PLACE, "bag", ["a", "b", "c"]) for _ in range(2)]
    [await _draw(store, other, "bag", ["a", "b", "c"]) for _ in range(3)]
    last = await _draw(store, PLACE, "bag", ["a", "b", "c"])
    assert sorted([*mine, last]) == ["a", "b", "c"]  # type: ignore[type-var]


async def test_an_added_quote_joins_and_a_removed_one_leaves_the_bag_at_once(
    store: SqlStore,
) -> None:
    """Live additions are drawn in the current round; removed ones never again."""
    seeds = ["s:0", "s:1"]
    first = await store.draw_quote(PLACE, "sdet", seeds)
    added = await _add(store, "fresh")
    rest = [await store.draw_quote(PLACE, "sdet", seeds) for _ in range(2)]
    round_keys = {first.key} | {d.key for d in rest if d}  # type: ignore[union-attr]
    assert round_keys == {"s:0", "s:1", f"a:{added}"}
    drawn_text = next(d.added.text for d in rest if d and d.added)
    assert drawn_text == "fresh"
    await store.remove_quote(workspace="console:w1", quote_id=added, removed_by="b", now=NOW)
    later = {(await store.draw_quote(PLACE, "sdet", seeds)).key for _ in range(10)}  # type: ignore[union-attr]
    assert later == {"s:0", "s:1"}


async def test_a_single_quote_repeats_and_no_quote_means_none(store: SqlStore) -> None:
    """One candidate is drawn every time; none gives None."""
    assert [await _draw(store, PLACE, "one", ["only"]) for _ in range(3)] == ["only"] * 3
    assert await _draw(store, PLACE, "none", []) is None


async def test_fifty_concurrent_draws_never_repeat_within_a_round(store: SqlStore) -> None:
    """Fifty roasts at once in one channel over ten quotes: five whole rounds."""
    keys = [f"k{i}" for i in range(10)]
    draws = await asyncio.gather(*(_draw(store, PLACE, "bag", keys) for _ in range(50)))
    assert Counter(draws) == {k: 5 for k in keys}
    drawn = await rows(
        store,
        "SELECT round, item FROM bag_draws WHERE channel = :c ORDER BY round, seq",
        c=PLACE.key,
    )
    latest_round = drawn[-1][0]
    assert sorted(str(item) for rnd, item in drawn if rnd == latest_round) == sorted(keys)


async def test_two_stores_on_one_database_share_one_rotation(database: str) -> None:
    """Two instances drawing concurrently from one database still never repeat in a round."""
    a = await open_store(database, rng=random.Random(1))
    b = await open_store(database, rng=random.Random(2))
    keys = [f"k{i}" for i in range(6)]
    draws = await asyncio.gather(*(_draw(s, PLACE, "bag", keys) for s in [a, b] * 6))
    assert Counter(draws) == {k: 2 for k in keys}
    await a.close()
    await b.close()


async def test_state_round_trips(store: SqlStore) -> None:
    """Small bot state is stored and replaced."""
    assert await store.get_state("k") is None
    await store.set_state("k", "v1", NOW)
    await store.set_state("k", "v2", NOW)
    assert await store.get_state("k") == "v2"


async def test_a_database_newer_than_this_roastbot_is_refused(tmp_path: Path) -> None:
    """A schema from a future version is not run against; the message says what to do."""
    path = tmp_path / "future.sqlite3"
    store = await open_store(path)
    await store._runner.run(
        lambda conn: conn.execute(text("UPDATE alembic_version SET version_num = '9999'")),
        write=True,
    )
    await store.close()
    with pytest.raises(StoreError, match="newer than this roastbot"):
        await open_store(path)


async def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    """ROASTBOT_DB pointing at a folder is one line, not a traceback."""
    with pytest.raises(StoreError, match="it is not a file"):
        await open_store(tmp_path)
