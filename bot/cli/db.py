"""`roastbot db backup|check|copy`: the database, backed up, checked, and moved."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.runtime.settings import load_settings
from bot.store import StoreError, StoreHealth, open_existing_store, open_store
from bot.store.copy import copy_database
from bot.store.engine import target_of
from bot.store.migrate import LATEST_REVISION


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommand to the parser."""
    parser = sub.add_parser("db", help="back up or check the database (ROASTBOT_DB)")
    actions = parser.add_subparsers(dest="db_command", required=True)
    backup = actions.add_parser("backup", help="write a consistent copy, even while the bot runs")
    backup.add_argument(
        "path", type=Path, help="the copy's file name, or a folder to put a time-stamped copy in"
    )
    backup.set_defaults(handler=handle_backup)
    check = actions.add_parser("check", help="run an integrity check, report the schema version")
    check.add_argument(
        "--quick", action="store_true", help="SQLite's quick_check: cheaper, for health checks"
    )
    check.set_defaults(handler=handle_check)
    copy = actions.add_parser(
        "copy", help="copy everything into another, empty database (SQLite <-> PostgreSQL)"
    )
    copy.add_argument("source", metavar="SRC", help="a SQLite file or a postgresql:// URL")
    copy.add_argument(
        "destination", metavar="DEST", help="a SQLite file or a postgresql:// URL, empty"
    )
    copy.set_defaults(handler=handle_copy)


def handle_copy(args: argparse.Namespace) -> int:
    """Copy every table, then compare the counts; print rows per table."""
    copied = asyncio.run(_copy(args.source, args.destination))
    rows = ", ".join(f"{table} {count}" for table, count in copied.items())
    print(f"copied {target_of(args.source).shown} to {target_of(args.destination).shown}: {rows}")
    return 0


async def _copy(source_db: str, destination_db: str) -> dict[str, int]:
    with _naming("SRC"):
        source = await open_existing_store(source_db)
    try:
        with _naming("DEST"):
            destination = await open_store(destination_db)
        try:
            return await copy_database(source, destination)
        finally:
            await destination.close()
    finally:
        await source.close()


@contextmanager
def _naming(argument: str) -> Iterator[None]:
    """Store errors about the database to open name `argument`, not the ROASTBOT_DB setting:
    `roastbot db copy` takes both databases from its command line."""
    try:
        yield
    except StoreError as exc:
        raise type(exc)(str(exc).replace("ROASTBOT_DB", argument)) from exc


def handle_backup(args: argparse.Namespace) -> int:
    """Copy the database through SQLite's online backup API, then check the copy."""
    settings = load_settings()
    target: Path = args.path
    if target.is_dir():
        target = target / f"roastbot-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.sqlite3"
    if target.resolve() == Path(settings.db).resolve():
        print(f"roastbot: {target} is the database itself; choose another path", file=sys.stderr)
        return 1
    health = asyncio.run(_backup(settings.db, target))
    print(f"backup written to {target}")
    _report(health)
    return 0 if health.ok else 1


def handle_check(args: argparse.Namespace) -> int:
    """Report the database's integrity, schema version and rows; exit 1 if anything is wrong."""
    settings = load_settings()
    health = asyncio.run(_check(settings.db, quick=args.quick))
    print(f"database: {target_of(settings.db).shown}")
    _report(health)
    return 0 if health.ok else 1


async def _backup(source: str, target: Path) -> StoreHealth:
    store = await open_existing_store(source)
    try:
        await store.backup(target)
    finally:
        await store.close()
    return await _check(target)


async def _check(path: str | Path, *, quick: bool = False) -> StoreHealth:
    store = await open_existing_store(path)
    try:
        return await store.check(quick=quick)
    finally:
        await store.close()


def _report(health: StoreHealth) -> None:
    print("integrity: ok" if health.ok else f"integrity: {len(health.problems)} problem(s)")
    for problem in health.problems:
        print(f"  {problem}")
    version, latest = health.schema_version, int(LATEST_REVISION)
    if version == latest:
        note = "current"
    elif version < latest:
        note = f"roastbot run migrates it to {latest} at start-up"
    else:
        note = f"newer than this roastbot's {latest}"
    print(f"schema version: {version} ({note})")
    print("rows: " + ", ".join(f"{table} {count}" for table, count in health.counts.items()))
