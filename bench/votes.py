"""Votes on the daily post: CPU time per press through the command layer, side by side.

Three measurements interleaved in rounds, on SQLite and (unless `--no-postgres`) on a
throwaway PostgreSQL server (the tests' starter, so run with `PYTHONPATH=.`):

- a vote press on a post with few votes (the post redrawn with its new counts);
- a vote press on a post that already holds `--voters` votes (each press counts them all);
- a `/roast` summary, the bot's most common command, as the yardstick.

Prints CPU milliseconds per request and the ratios press/roast and crowded/quiet press.

    PYTHONPATH=. .venv/bin/python bench/votes.py [--presses N] [--voters N] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert

from bot.cards.votes import vote_action
from bot.catalog.lookup import Catalog
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.store import ACCURATE, HARSH, Place, SqlStore, open_store
from bot.store.schema import daily_votes

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
QUIET, CROWDED = date(2026, 11, 20), date(2026, 11, 19)
PLACE = Place("discord", "g1", "c1")
ROUNDS = 5


async def _set_up(store: SqlStore, voters: int) -> None:
    """Two posts: a quiet one, and a crowded one holding `voters` votes."""
    for day in (QUIET, CROWDED):
        await store.plan_daily(PLACE, day, ["sdet"], NOW)
        await store.record_daily(PLACE, day, f"m{day}", NOW, "Ship it.", None)
    rows = [
        {
            "channel": PLACE.key,
            "local_date": CROWDED,
            "member": f"crowd{n}",
            "workspace": PLACE.workspace_key,
            "vote": ACCURATE if n % 3 else HARSH,
            "voted_at": NOW,
        }
        for n in range(voters)
    ]
    await store._write(lambda conn: conn.execute(insert(daily_votes), rows))


def _press(day: date, n: int) -> Invocation:
    action = vote_action(day, ACCURATE if n % 2 else HARSH)
    base = Invocation("discord", "g1", "c1", f"u{n % 50}", False, "specimen")
    return base.with_action(action)


def _roast(n: int) -> Invocation:
    return Invocation("discord", "g1", "c1", "u", False, "roast", None, {"role": "sdet"})


async def _cpu_ms(context: Context, make: Callable[[int], Invocation], count: int) -> float:
    """CPU milliseconds per request over `count` requests, served one after another."""
    start = time.process_time()
    for n in range(count):
        await dispatch(context, make(n))
    return (time.process_time() - start) * 1000 / count


async def measure(database: str, presses: int, voters: int) -> dict[str, float]:
    """The three figures on one database, best of `ROUNDS` interleaved rounds."""
    store = await open_store(database, rng=random.Random(1))
    try:
        await _set_up(store, voters)
        context = Context(catalog=Catalog.load(), store=store, clock=lambda: NOW)
        kinds: dict[str, Callable[[int], Invocation]] = {
            "quiet press": lambda n: _press(QUIET, n),
            "crowded press": lambda n: _press(CROWDED, n),
            "roast": _roast,
        }
        best = dict.fromkeys(kinds, float("inf"))
        for make in kinds.values():  # warm caches and connections
            await _cpu_ms(context, make, 20)
        for _ in range(ROUNDS):
            for name, make in kinds.items():
                best[name] = min(best[name], await _cpu_ms(context, make, presses))
        return best
    finally:
        await store.close()


def main() -> None:
    """Measure on SQLite and PostgreSQL and print the figures with their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--voters", type=int, default=10_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    databases: list[tuple[str, Callable[[], str]]] = []
    folder = tempfile.TemporaryDirectory()
    databases.append(("sqlite", lambda: str(Path(folder.name) / "votes.sqlite3")))
    server = None
    if not args.no_postgres:
        from tests import pg_server  # the tests' throwaway server; needs PYTHONPATH=.

        server = pg_server.start()
        databases.append(("postgresql", lambda: server.url(server.new_database())))
    try:
        for name, database in databases:
            figures = asyncio.run(measure(database(), args.presses, args.voters))
            quiet, crowded, roast = (
                figures["quiet press"],
                figures["crowded press"],
                figures["roast"],
            )
            print(
                f"{name}: CPU ms per request: vote press {quiet:.2f}, press on a post with"
                f" {args.voters:,} votes {crowded:.2f}, /roast {roast:.2f};"
                f" press/roast {quiet / roast:.2f}, crowded/quiet {crowded / quiet:.2f}"
            )
    finally:
        if server is not None:
            server.stop()
        folder.cleanup()


if __name__ == "__main__":
    main()
