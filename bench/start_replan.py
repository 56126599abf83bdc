"""What a scheduler's start costs now that it plans every subscription again, with 10,000.

At start the scheduler makes every live row due (`Store.plan_all_again`), so its first
look reads them all through the index and writes each one's next post: zone rules may
have changed since the rows were planned. Side by side in one run, in interleaved rounds
on one SQLite file: that first look (the rows made due again before each round), and an
ordinary wake at the same moment (`bench/wake.py`'s: a few rows due). Prints the CPU
time of each (the process's, the SQLite thread included) and their ratio. Run from the
project root with `PYTHONPATH=.`:

    PYTHONPATH=. .venv/bin/python bench/start_replan.py [--subscriptions N] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.wake import NOW, fill, index_wake
from bot.catalog.lookup import Catalog
from bot.runtime.context import Context
from bot.store import open_store


async def run(database: str, count: int, rounds: int) -> None:
    """Fill one database, then time a first look after a start against an ordinary wake."""
    store = await open_store(database, rng=random.Random(1))
    try:
        await fill(store, count)
        context = Context(catalog=Catalog.load(), store=store, clock=lambda: NOW)
        look = index_wake(context)
        starts, wakes = [], []
        for _ in range(rounds):
            await store.plan_all_again(NOW)
            began = time.process_time()
            await look()
            starts.append(time.process_time() - began)
            began = time.process_time()
            await look()
            wakes.append(time.process_time() - began)
        start, wake = statistics.median(starts), statistics.median(wakes)
        print(f"first look after a start: {start * 1000:9.1f} ms CPU (median of {rounds})")
        print(f"an ordinary wake:         {wake * 1000:9.1f} ms CPU")
        print(f"ratio:                    {start / wake:9.1f}x")
    finally:
        await store.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"{args.subscriptions:,} subscriptions on SQLite, look at {NOW:%H:%M:%S} UTC")
    with tempfile.TemporaryDirectory() as tmp:
        await run(str(Path(tmp) / "start.sqlite3"), args.subscriptions, args.rounds)


if __name__ == "__main__":
    asyncio.run(main())
