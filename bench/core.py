"""Roasts per second through the command layer, rotation write included.

Set-ups in one run: on SQLite, a small catalog (10 dossiers) with 1,000 shown-quote rows and
a large one (1,000 generated dossiers) with 1,000,000 rows, with their ratio (large / small;
near 1 means cost is flat in catalog and history); on PostgreSQL (a throwaway server from the
machine's binaries, as the tests start it), the small set-up served by one instance and by
two instances sharing the database (two stores, their roasts interleaved).

    .venv/bin/python bench/core.py [--roasts N] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Iterator

from bot.catalog.loader import BUNDLED_DIR, load_roles
from bot.catalog.lookup import Catalog
from bot.catalog.model import Role
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.store import SqlStore, open_store
from bot.store.schema import bag_draws
from tests import pg_server

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


async def measure(
    roles: int, history: int, roasts: int, databases: list[str], *, instances: int = 1
) -> float:
    """Roasts per second with `roles` dossiers and `history` shown-quote rows.

    Every set-up starts the measured bags in the same state, so ratios isolate the cost of
    catalog and history size. With two instances, two stores share the database and serve
    alternate roasts concurrently.
    """
    catalog = Catalog(generated_roles(roles))
    stores = [await open_store(databases[0], rng=random.Random(n)) for n in range(instances)]
    await _fill_history(stores[0], roles, history)
    contexts = [Context(catalog=catalog, store=store) for store in stores]
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

    async def serve(context: Context, share: list[Invocation]) -> None:
        for call in share:
            await dispatch(context, call)

    await serve(contexts[0], calls[:200])  # warm caches and connections
    started = time.perf_counter()
    await asyncio.gather(
        *(serve(context, calls[n::instances]) for n, context in enumerate(contexts))
    )
    elapsed = time.perf_counter() - started
    for store in stores:
        await store.close()
    return roasts / elapsed


async def _fill_history(store: SqlStore, roles: int, history: int) -> None:
    columns = ("channel", "bag", "round", "seq", "item")
    rows = [dict(zip(columns, row, strict=True)) for row in history_rows(roles, history)]
    await store._write(lambda conn: conn.execute(bag_draws.insert(), rows))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roasts", type=int, default=5000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = await measure(10, 1_000, args.roasts, [f"{tmp}/small.sqlite3"])
        large = await measure(1_000, 1_000_000, args.roasts, [f"{tmp}/large.sqlite3"])
    print(f"sqlite small: 10 dossiers, 1,000 rows:          {small:8.0f} roasts/s")
    print(f"sqlite large: 1,000 dossiers, 1,000,000 rows:   {large:8.0f} roasts/s")
    print(f"ratio large/small: {large / small:.2f}  (aim: >= 0.8; throughput aim: >= 1,500/s)")
    if args.no_postgres:
        return
    server = pg_server.start()
    try:
        one = await measure(10, 1_000, args.roasts, [server.url(server.new_database())])
        two = await measure(
            10, 1_000, args.roasts, [server.url(server.new_database())], instances=2
        )
    finally:
        server.stop()
    print(f"postgresql small, one instance:                 {one:8.0f} roasts/s")
    print(f"postgresql small, two instances:                {two:8.0f} roasts/s")
    print(f"ratio postgresql one instance / sqlite small: {one / small:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
