"""Roasts per second through the command layer, rotation write included.

Two set-ups in one run: a small catalog (10 dossiers) with 1,000 shown-quote rows, and a
large one (1,000 generated dossiers) with 1,000,000 rows. Prints roasts/s for each and
their ratio (large / small); a ratio near 1 means cost is flat in catalog and history.

    .venv/bin/python bench/core.py [--roasts N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bot.catalog.loader import BUNDLED_DIR, load_roles
from bot.catalog.lookup import Catalog
from bot.catalog.model import Role
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.store import open_store

MEASURED_CHANNELS = 200
ROWS_PER_BAG = 5


def history_rows(roles: int, history: int) -> Iterator[tuple[str, str, int, int, str]]:
    """`history` shown-quote rows: the first 1,000 in the very bags the roasts will use
    (the same in every set-up), the rest in other channels of the same servers."""
    for i in range(history):
        bag, seq = divmod(i, ROWS_PER_BAG)
        if i < 1_000:
            channel = f"discord:g{bag % 50}:c{bag % MEASURED_CHANNELS}"
            role = bag // MEASURED_CHANNELS
        else:
            channel = f"discord:g{bag % 50}:old{bag // roles}"
            role = bag % roles
        yield channel, f"quote:role-{role}", 0, seq, f"s:{seq}"


def generated_roles(count: int) -> list[Role]:
    """`count` roles cloned from the bundled ones under new ids, titles and aliases."""
    bundled = load_roles(BUNDLED_DIR)
    roles = []
    for n in range(count):
        base = bundled[n % len(bundled)].dossier
        dossier = base.model_copy(
            update={
                "title": f"{base.title} {n}",
                "aliases": [f"{alias} {n}" for alias in base.aliases],
                "related": [],
            }
        )
        roles.append(Role(id=f"role-{n}", dossier=dossier))
    return roles


async def measure(roles: int, history: int, roasts: int, workdir: Path) -> float:
    """Roasts per second with `roles` dossiers and `history` shown-quote rows.

    Both set-ups start the measured bags in the same state, so the ratio isolates the
    cost of catalog and history size.
    """
    catalog = Catalog(generated_roles(roles))
    store = await open_store(workdir / f"bench-{roles}.sqlite3", rng=random.Random(1))
    rows = history_rows(roles, history)
    await store._db.execute("BEGIN")
    await store._db.executemany(
        "INSERT OR IGNORE INTO bag_draws (channel, bag, round, seq, item) VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    await store._db.execute("COMMIT")
    context = Context(catalog=catalog, store=store)
    ids = [role.id for role in catalog.roles]
    picker = random.Random(2)
    calls = [
        Invocation(
            "discord",
            f"g{n % 50}",
            f"c{n % MEASURED_CHANNELS}",
            "u",
            False,
            "roast",
            None,
            {"role": picker.choice(ids)},
        )
        for n in range(roasts)
    ]
    for call in calls[:200]:  # warm caches and the thread hop
        await dispatch(context, call)
    started = time.perf_counter()
    for call in calls:
        await dispatch(context, call)
    elapsed = time.perf_counter() - started
    await store.close()
    return roasts / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roasts", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = await measure(10, 1_000, args.roasts, Path(tmp))
        large = await measure(1_000, 1_000_000, args.roasts, Path(tmp))
    print(f"small: 10 dossiers, 1,000 rows:          {small:8.0f} roasts/s")
    print(f"large: 1,000 dossiers, 1,000,000 rows:   {large:8.0f} roasts/s")
    print(f"ratio large/small: {large / small:.2f}  (aim: >= 0.8; throughput aim: >= 2,000/s)")


if __name__ == "__main__":
    asyncio.run(main())
