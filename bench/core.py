"""Roasts per second through the command layer, rotation write included; lookup at size; start-up.

Roasts: on SQLite, a small catalog (10 dossiers) with 1,000 shown-quote rows and a large one
(1,000 generated dossiers) with 1,000,000 rows, with their ratio (large / small; near 1 means
cost is flat in catalog and history); on PostgreSQL (a throwaway server from the machine's
binaries, as the tests start it), the small set-up served by one instance and by two
instances sharing the database (two stores, their roasts interleaved). Run from the project
root with `PYTHONPATH=.` (it borrows the tests' PostgreSQL starter).

Two set-ups in one run: a small catalog (10 dossiers) with 1,000 shown-quote rows, and a
large one (1,000 generated dossiers) with 1,000,000 rows. Prints roasts/s for each and
their ratio (large / small); a ratio near 1 means cost is flat in catalog and history.

Then the cost of counting roasts for `/roaststats`: roasts/s with the count write skipped
and with it, in interleaved rounds on SQLite and PostgreSQL, and their ratio.

Then lookup, autocomplete (one call per keystroke of typed names and typos) and typo
suggestions, CPU time per call, for the bundled catalog and 10,000 generated dossiers side
by side; and the CPU time of a cold `roastbot roast SDET` against a cold
`python -c "import discord, slack_bolt"`, interleaved, as a ratio.

    PYTHONPATH=. .venv/bin/python bench/core.py [--roasts N] [--names N] [--starts N]
        [--parts ...] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from pathlib import Path

from bot.catalog.loader import BUNDLED_DIR, load_roles
from bot.catalog.lookup import Catalog
from bot.catalog.model import Role
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.store import SqlStore, open_store
from bot.store.schema import bag_draws

PARTS = ("roasts", "counting", "lookup", "start")
# what a text roast cannot do without: the store's SQL, the models and settings, YAML, lookup,
# the terminal renderer
ROAST_LIBRARIES = (
    "import asyncio, sqlite3, sqlalchemy, sqlalchemy.dialects.sqlite, pydantic,"
    " pydantic_settings, yaml, rapidfuzz.process, rich.console, rich.table, rich.panel"
)
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


async def _not_counted(*_: object) -> None:
    """Stands in for `count_roast` when measuring roasts without the stats write."""


def _uncounted(original: Callable[..., Awaitable[object]]) -> Callable[..., Awaitable[object]]:
    """`draw_quote` that never counts the roast it draws for."""

    async def draw(place: object, role_id: str, keys: object, counted_on: object = None) -> object:
        return await original(place, role_id, keys)

    return draw


async def measure(
    roles: int,
    history: int,
    roasts: int,
    databases: list[str],
    *,
    instances: int = 1,
    counting: bool = True,
) -> float:
    """Roasts per second with `roles` dossiers and `history` shown-quote rows.

    Every set-up starts the measured bags in the same state, so ratios isolate the cost of
    catalog and history size. With two instances, two stores share the database and serve
    alternate roasts concurrently. Without `counting`, the roast-count write is skipped.
    """
    catalog = Catalog(generated_roles(roles))
    stores = [await open_store(databases[0], rng=random.Random(n)) for n in range(instances)]
    if not counting:
        for store in stores:
            store.count_roast = _not_counted  # type: ignore[method-assign]
            store.draw_quote = _uncounted(store.draw_quote)  # type: ignore[method-assign]
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


def typed_queries(roles: Sequence[Role], count: int) -> tuple[list[str], list[str]]:
    """Keystrokes and typos as people type them: every prefix of `count` titles and aliases,
    and each of those names with one letter dropped and two swapped."""
    picker = random.Random(3)
    names = [
        picker.choice([role.title, *role.dossier.aliases])
        for role in picker.sample(list(roles), count)
    ]
    keystrokes = [name[:end] for name in names for end in range(1, len(name) + 1)]
    typos = []
    for name in names:
        cut = picker.randrange(1, len(name) - 2)
        typos.append(name[:cut] + name[cut + 1 :])
        typos.append(name[:cut] + name[cut + 1] + name[cut] + name[cut + 2 :])
    return keystrokes, typos


def cpu_per_call(call: Callable[[str], object], queries: Sequence[str]) -> tuple[float, float]:
    """Mean and worst CPU milliseconds per call over `queries`."""
    worst = 0.0
    started = time.process_time()
    for query in queries:
        before = time.process_time()
        call(query)
        worst = max(worst, time.process_time() - before)
    return (time.process_time() - started) / len(queries) * 1000, worst * 1000


def lookup_point(catalog: Catalog, keystrokes: Sequence[str], typos: Sequence[str]) -> list[str]:
    """One catalog's lookup, autocomplete and suggestion costs, one line each."""
    lines = []
    for label, call, queries in (
        ("lookup", catalog.find, typos),
        ("autocomplete", catalog.autocomplete, keystrokes),
        ("autocomplete, typos", catalog.autocomplete, typos),
        ("suggestions", catalog.suggest, typos),
    ):
        mean, worst = cpu_per_call(call, queries)
        lines.append(f"{label:>20}: {mean:8.3f} ms mean, {worst:8.3f} ms worst")
    return lines


def measure_lookup(names: int) -> None:
    """Lookup costs for the bundled catalog and 10,000 generated dossiers, same queries."""
    bundled = Catalog(load_roles(BUNDLED_DIR))
    keystrokes, typos = typed_queries(bundled.roles, names)
    large = Catalog(generated_roles(10_000))
    print(f"lookup, CPU per call ({len(keystrokes)} keystrokes, {len(typos)} typos):")
    for label, catalog in ((f"{len(bundled):,} dossiers", bundled), ("10,000 dossiers", large)):
        print(f"  {label}:")
        for line in lookup_point(catalog, keystrokes, typos):
            print(f"  {line}")
    print("  aims at 10,000: autocomplete < 5 ms, suggestions < 5 ms")


def child_cpu(command: Sequence[str], env: dict[str, str], cwd: Path) -> float:
    """CPU seconds (user + system) one run of `command` in `cwd` took, from its own usage."""
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed")
    return usage.ru_utime + usage.ru_stime


def measure_start(rounds: int, workdir: Path) -> None:
    """Cold `roastbot roast SDET` vs importing discord.py and slack-bolt, interleaved rounds.

    Also the import of the CLI alone, the share of start-up that is not the catalog load, and
    the libraries a roast cannot do without imported alone, the floor under the ratio.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_"))}
    env["ROASTBOT_DB"] = str(workdir / "start.sqlite3")
    commands = {
        "roastbot roast SDET": [sys.executable, "-m", "bot", "roast", "SDET"],
        'python -c "import discord, slack_bolt"': [
            sys.executable,
            "-c",
            "import discord, slack_bolt",
        ],
        # as `bot.__main__` imports it: collection paused, and no last collection at exit
        "of which importing bot.cli": [
            sys.executable,
            "-c",
            "import atexit, gc; gc.disable(); atexit.register(gc.freeze); import bot.cli",
        ],
        "the libraries a roast needs, alone": [sys.executable, "-c", ROAST_LIBRARIES],
    }
    runs: dict[str, list[float]] = {label: [] for label in commands}
    for command in commands.values():  # creates the database, warms the file cache
        child_cpu(command, env, workdir)
    for _ in range(rounds):
        for label, command in commands.items():
            runs[label].append(child_cpu(command, env, workdir))
    median = {label: sorted(cpu)[rounds // 2] * 1000 for label, cpu in runs.items()}
    print(f"cold start, median CPU of {rounds} interleaved runs each:")
    for label, ms in median.items():
        print(f"  {label:<42} {ms:6.0f} ms")
    ours, theirs = median["roastbot roast SDET"], median['python -c "import discord, slack_bolt"']
    print(f"  ratio: {ours / theirs:.2f}  (aim: <= 1.3)")


async def measure_roasts(roasts: int, workdir: Path, *, postgres: bool) -> None:
    """Roasts/s on SQLite (small and large), then on PostgreSQL (one and two instances)."""
    small = await measure(10, 1_000, roasts, [str(workdir / "small.sqlite3")])
    large = await measure(1_000, 1_000_000, roasts, [str(workdir / "large.sqlite3")])
    print(f"sqlite small: 10 dossiers, 1,000 rows:          {small:8.0f} roasts/s")
    print(f"sqlite large: 1,000 dossiers, 1,000,000 rows:   {large:8.0f} roasts/s")
    print(f"ratio large/small: {large / small:.2f}  (aim: >= 0.8; throughput aim: >= 1,500/s)")
    if not postgres:
        return
    from tests import pg_server  # the tests' throwaway server; needs PYTHONPATH=.

    server = pg_server.start()
    try:
        one = await measure(10, 1_000, roasts, [server.url(server.new_database())])
        two = await measure(10, 1_000, roasts, [server.url(server.new_database())], instances=2)
    finally:
        server.stop()
    print(f"postgresql small, one instance:                 {one:8.0f} roasts/s")
    print(f"postgresql small, two instances:                {two:8.0f} roasts/s")


async def measure_counting(roasts: int, rounds: int, workdir: Path, *, postgres: bool) -> None:
    """Roasts/s with and without the `/roaststats` count write, interleaved rounds, medians."""
    from tests import pg_server  # the tests' throwaway server; needs PYTHONPATH=.

    servers = [("sqlite", None)] + ([("postgresql", pg_server.start())] if postgres else [])
    try:
        for name, server in servers:
            runs: dict[bool, list[float]] = {False: [], True: []}
            for n in range(rounds):
                for counting in (False, True):
                    if server is None:
                        database = str(workdir / f"count-{n}-{counting}.sqlite3")
                    else:
                        database = server.url(server.new_database())
                    runs[counting].append(
                        await measure(10, 1_000, roasts, [database], counting=counting)
                    )
            without, with_ = (sorted(runs[c])[rounds // 2] for c in (False, True))
            print(f"{name} roasts without counting: {without:8.0f} roasts/s (median of {rounds})")
            print(f"{name} roasts with counting:    {with_:8.0f} roasts/s")
            print(f"{name} ratio with/without: {with_ / without:.2f}")
    finally:
        for _, server in servers:
            if server is not None:
                server.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roasts", type=int, default=5000)
    parser.add_argument("--names", type=int, default=40, help="names typed for lookup")
    parser.add_argument("--starts", type=int, default=7, help="cold-start rounds")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=PARTS)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if "roasts" in args.parts:
            await measure_roasts(args.roasts, Path(tmp), postgres=not args.no_postgres)
        if "counting" in args.parts:
            await measure_counting(args.roasts, 3, Path(tmp), postgres=not args.no_postgres)
        if "lookup" in args.parts:
            measure_lookup(args.names)
        if "start" in args.parts:
            measure_start(args.starts, Path(tmp))


if __name__ == "__main__":
    asyncio.run(main())
