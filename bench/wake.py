"""A `/roast` arriving while the specimen scheduler wakes, with 10,000 subscriptions.

Two wakes side by side, in interleaved rounds on one store:

- before: the wake as it was until the next-post index (issue 12), reading every
  subscription (`Store.subscriptions()`), working out which posts are due and each row's
  next post moment, and sleeping until the earliest;
- after: the real `Scheduler.look`, reading only the due rows through the index
  (`Store.due_subscriptions`) and the earliest next post (`Store.earliest_next_post`).

The 10,000 subscriptions spread over the day's minutes and 16 zones, each planned at its
next post, as the scheduler leaves them; the wake comes at 09:00:30 UTC, when a few are
due (no platform is connected, so none is posted and each round finds the same rows).

Prints, per database (a SQLite file; a throwaway PostgreSQL server from the machine's
binaries, as the tests start it): the CPU time of one wake alone (the process's, the SQLite
thread included, the PostgreSQL server's not), and how long a `/roast` waits for its
answer when it arrives as the wake starts or a quarter, half or three quarters through it,
against the same `/roast` with no wake. Run from the project root with `PYTHONPATH=.`:

    PYTHONPATH=. .venv/bin/python bench/wake.py [--subscriptions N] [--rounds N] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.catalog.lookup import Catalog
from bot.commands.registry import dispatch
from bot.daily.delivery import Pacing
from bot.daily.scheduler import LONGEST_NAP, Limiters, Scheduler
from bot.daily.specimen import due_dates, moment_after
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.store import Place, SqlStore, Subscription, open_store
from bot.store.schema import subscriptions

NOW = datetime(2026, 11, 20, 9, 0, 30, tzinfo=UTC)
ZONES = (
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Kyiv",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Africa/Lagos",
    "America/Nuuk",
    "Pacific/Apia",
)
FRACTIONS = (0.0, 0.25, 0.5, 0.75)
Wake = Callable[[], Awaitable[object]]


async def fill(store: SqlStore, count: int) -> None:
    """`count` subscriptions over the day's minutes and ZONES, each planned at its next post."""
    picker = random.Random(5)
    rows = []
    for n in range(count):
        minute = picker.randrange(24 * 60)
        sub = Subscription(
            Place("discord", f"g{n % 500}", f"c{n}"),
            f"{minute // 60:02d}:{minute % 60:02d}",
            ZONES[n % len(ZONES)],
            "u1",
            NOW - timedelta(days=3),
        )
        rows.append(
            {
                "channel": sub.place.key,
                "platform": sub.place.platform,
                "workspace_id": sub.place.workspace_id,
                "channel_id": sub.place.channel_id,
                "post_time": sub.post_time,
                "zone": sub.zone,
                "subscribed_by": sub.subscribed_by,
                "subscribed_at": sub.subscribed_at,
                # what the scheduler leaves: the posts before this minute went out
                "next_post_at": moment_after(sub, NOW - timedelta(seconds=31)),
            }
        )
    await store._write(lambda conn: conn.execute(subscriptions.insert(), rows))


async def full_read_wake(context: Context) -> datetime:
    """The wake before the index: every subscription read, due posts and the next moment found."""
    subs = await context.store.subscriptions()
    _due = [(sub, day) for sub in subs for day in due_dates(sub, NOW)]
    moments = [moment_after(sub, NOW) for sub in subs if sub.paused_reason is None]
    return min([NOW + LONGEST_NAP, *moments])


def index_wake(context: Context) -> Wake:
    """The scheduler's own look, through the index, with no platform connected."""
    scheduler = Scheduler(context, {})
    limiters, pacing = Limiters(), Pacing()
    return lambda: scheduler.look(NOW, limiters, pacing)


async def roast_latency(context: Context, call: Invocation, delay: float) -> float:
    """Seconds from a `/roast` arriving `delay` seconds from now to its answer."""
    arrival = time.perf_counter() + delay
    await asyncio.sleep(delay)  # a loop busy past the arrival makes the answer late
    await dispatch(context, call)
    return time.perf_counter() - arrival


async def measure(context: Context, wakes: dict[str, Wake], rounds: int) -> None:
    """Interleaved rounds of each wake alone (CPU, wall) and with a `/roast` arriving during it."""
    call = Invocation("discord", "g1", "c1", "u1", False, "roast", None, {"role": "sdet"})
    for _ in range(20):  # warm caches and connections
        await dispatch(context, call)
    cpu: dict[str, list[float]] = {name: [] for name in wakes}
    wall: dict[str, list[float]] = {name: [] for name in wakes}
    waits: dict[str, list[float]] = {name: [] for name in wakes}
    alone: list[float] = []
    for wake in wakes.values():
        await wake()  # warm
    for _ in range(rounds):
        for name, wake in wakes.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            await wake()
            cpu[name].append(time.process_time() - started_cpu)
            wall[name].append(time.perf_counter() - started)
            for fraction in FRACTIONS:
                alone.append(await roast_latency(context, call, 0.0))
                delay = fraction * statistics.median(wall[name])
                task = asyncio.ensure_future(wake())
                waits[name].append(await roast_latency(context, call, delay))
                await task
    header = f"{'wake CPU ms':>12} {'wake wall ms':>13} {'/roast ms median':>17} {'p90':>8}"
    print(f"  {'':<26} {header} {'max':>8}")
    print(f"  {'no wake':<26} {'':>12} {'':>13} {_spread(alone)}")
    for name in wakes:
        print(
            f"  {name:<26} {statistics.median(cpu[name]) * 1000:12.2f}"
            f" {statistics.median(wall[name]) * 1000:13.2f} {_spread(waits[name])}"
        )
    before, after = (statistics.median(cpu[name]) for name in wakes)
    print(f"  wake CPU before/after: {before / after:.0f}x; aim for /roast during a wake: < 20 ms")


def _spread(seconds: list[float]) -> str:
    """Median, 90th percentile and worst, in milliseconds, as table columns."""
    p90 = statistics.quantiles(seconds, n=10, method="inclusive")[-1]
    median, worst = statistics.median(seconds), max(seconds)
    return f"{median * 1000:17.2f} {p90 * 1000:8.2f} {worst * 1000:8.2f}"


async def run(database: str, count: int, rounds: int, catalog: Catalog) -> None:
    """Fill one database and measure both wakes on it."""
    store = await open_store(database, rng=random.Random(1))
    try:
        await fill(store, count)
        context = Context(catalog=catalog, store=store, clock=lambda: NOW)
        wakes = {
            "before: full read": lambda: full_read_wake(context),
            "after: next_post_at index": index_wake(context),
        }
        await measure(context, wakes, rounds)
    finally:
        await store.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    catalog = Catalog.load()
    print(f"{args.subscriptions:,} subscriptions, wake at {NOW:%H:%M:%S} UTC, {args.rounds} rounds")
    with tempfile.TemporaryDirectory() as tmp:
        print("sqlite:")
        await run(str(Path(tmp) / "wake.sqlite3"), args.subscriptions, args.rounds, catalog)
    if args.no_postgres:
        return
    from tests import pg_server  # the tests' throwaway server; needs PYTHONPATH=.

    server = pg_server.start()
    try:
        print("postgresql:")
        await run(server.url(server.new_database()), args.subscriptions, args.rounds, catalog)
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(main())
