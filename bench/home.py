"""What one opening of Slack's Home tab costs, next to one `/roast`, on SQLite.

An opening gathers the workspace's overview (`bot.commands.home.overview`: the guide,
today's specimen, each described channel's status) and lays it out (`home_view`). It is
measured for workspaces with 0, 10, 50 and 150 subscribed channels (at most 50 are
described), beside `/roast Enterprise Architect` through the dispatcher, in interleaved
rounds; each line is CPU time per request (the SQLite thread included) and its ratio to a
roast. Most of an opening is the three or four small reads per described channel that
`/specimen status` makes.

    .venv/bin/python -m bench.home [--rounds N] [--requests N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.slack.home import home_view
from bot.catalog.lookup import Catalog
from bot.commands.home import overview
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.store import Place, open_store

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
SIZES = (0, 10, 50, 150)

Task = Callable[[], Awaitable[object]]


async def _cpu_per_call(task: Task, requests: int) -> float:
    """CPU milliseconds per call of `task`, over `requests` calls in a row."""
    start = time.process_time()
    for _ in range(requests):
        await task()
    return (time.process_time() - start) * 1000 / requests


async def _seed(context: Context) -> None:
    for size in SIZES:
        for number in range(size):
            place = Place("slack", f"T{size}", f"C{number:04d}")
            await context.store.subscribe(place, post_time="09:00", zone="UTC", by="U", now=NOW)


def _tasks(context: Context) -> dict[str, Task]:
    roast = Invocation(
        "slack", "T0", "C1", "U1", False, "roast", None, {"role": "Enterprise Architect"}
    )
    tasks: dict[str, Task] = {"/roast": lambda: dispatch(context, roast)}
    for size in SIZES:
        reader = Invocation("slack", f"T{size}", "", "U1", True, "home")

        async def open_home(reader: Invocation = reader) -> object:
            return home_view(await overview(context, reader))

        tasks[f"home, {size} channels"] = open_home
    return tasks


async def main(rounds: int, requests: int) -> None:
    """Print CPU time per request and the ratio to a roast, round by round."""
    with tempfile.TemporaryDirectory() as folder:
        store = await open_store(Path(folder) / "bench.sqlite3", rng=random.Random(7))
        context = Context(catalog=Catalog.load(), store=store, clock=lambda: NOW)
        await _seed(context)
        tasks = _tasks(context)
        for task in tasks.values():  # warm up: plans today's specimens, fills caches
            await _cpu_per_call(task, 3)
        for number in range(rounds):
            order = list(tasks.items()) if number % 2 == 0 else list(reversed(tasks.items()))
            cost = {name: await _cpu_per_call(task, requests) for name, task in order}
            print(f"round {number + 1}")
            for name in tasks:
                ratio = cost[name] / cost["/roast"]
                print(f"  {name:20} {cost[name]:7.3f} ms CPU   x{ratio:5.2f} of a roast")
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=100)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.requests))
