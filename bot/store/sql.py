"""The store on SQLAlchemy Core: SQLite on a worker thread, or PostgreSQL through asyncpg."""

from __future__ import annotations

import os
import random
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError

from bot.store.base import StoreError
from bot.store.dialect import upsert
from bot.store.engine import BUSY_TIMEOUT, Target, explain, open_runner, target_of
from bot.store.migrate import upgrade
from bot.store.schema import bot_state
from bot.store.sql_daily import DailyTables
from bot.store.sql_installations import InstallationTables
from bot.store.sql_maintenance import MaintenanceTables
from bot.store.sql_planning import PlanningTables
from bot.store.sql_quotes import QuoteTables
from bot.store.sql_reviews import ReviewTables
from bot.store.sql_stats import StatsTables
from bot.store.sql_suggestions import SuggestionTables
from bot.store.sql_votes import VoteTables


class SqlStore(
    QuoteTables,
    DailyTables,
    StatsTables,
    MaintenanceTables,
    SuggestionTables,
    ReviewTables,
    VoteTables,
    InstallationTables,
    PlanningTables,
):
    """The `Store` on one database. Create it with `open_store`."""

    @property
    def shown(self) -> str:
        """The database as an operator may see it (a path, or a URL with the password hidden)."""
        return self._target.shown

    async def get_state(self, key: str) -> str | None:
        """A small piece of the bot's own state (e.g. the last command-sync hash)."""
        rows = await self._read(select(bot_state.c.value).where(bot_state.c.key == key))
        return str(rows[0][0]) if rows else None

    async def set_state(self, key: str, value: str, now: datetime) -> None:
        """Remember a small piece of the bot's own state."""
        values = {"key": key, "value": value, "updated_at": now}
        await self._write(
            lambda conn: conn.execute(
                upsert(conn, bot_state, values, keys=["key"], update=["value", "updated_at"])
            )
        )

    async def close(self) -> None:
        """Wait for the transactions under way, then close every connection."""
        await self._runner.close()


async def open_store(
    db: Path | str, rng: random.Random | None = None, *, busy_timeout: float = BUSY_TIMEOUT
) -> SqlStore:
    """Open (creating if needed), check and migrate the database `ROASTBOT_DB` names.

    Raises `StoreError` with one line: unreachable server, wrong password, a damaged or empty
    file, a schema newer than this roastbot.
    """
    target = target_of(db)
    if target.path is not None:
        _check_file(target.path)
    runner = open_runner(target, busy_timeout=busy_timeout)

    def check_and_upgrade(conn: Connection) -> None:
        if target.is_sqlite:
            damage = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA quick_check")]
            if damage != ["ok"]:
                raise StoreError(
                    f"the database {target.shown} is damaged ({damage[0]}); run"
                    " `roastbot db check` and restore a backup"
                )
        upgrade(conn)

    try:
        await runner.run(check_and_upgrade, write=True)
    except BaseException as exc:
        await runner.close()
        raise _opening_error(exc, target) from exc
    return SqlStore(runner, target, rng)


async def open_existing_store(db: Path | str) -> SqlStore:
    """Open a database that must already exist, as it is: no migration, no mode change.

    For maintenance (`roastbot db`, `roastbot quotes export`), which must neither create an
    empty database at a mistyped path nor change one it is only asked to read.
    """
    target = target_of(db, must_exist=True)
    if target.path is not None and not target.path.is_file():
        raise StoreError(f"no database at {target.shown} (check ROASTBOT_DB)")
    runner = open_runner(target, tune=False)
    try:
        await runner.run(lambda conn: conn.execute(select(1)), write=False)
    except BaseException as exc:
        await runner.close()
        raise _opening_error(exc, target) from exc
    return SqlStore(runner, target)


def _opening_error(exc: BaseException, target: Target) -> BaseException:
    """The one line to stop on, naming ROASTBOT_DB for a server that cannot be used."""
    if isinstance(exc, DBAPIError | OSError):
        exc = explain(exc, target) or StoreError(f"cannot use the database {target.shown}: {exc}")
    if isinstance(exc, StoreError) and not target.is_sqlite and not str(exc).startswith("ROAST"):
        return type(exc)(f"ROASTBOT_DB: {exc}")
    return exc


def _check_file(target: Path) -> None:
    """Refuse early, in one line, a path SQLite could not use (its errors are vaguer)."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise StoreError(f"cannot open the database {target}: folder {folder} does not exist")
    if target.exists() and not target.is_file():
        raise StoreError(f"cannot open the database {target}: it is not a file")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise StoreError(f"cannot open the database {target}: not writable")
    if target.exists() and target.stat().st_size == 0:
        raise StoreError(
            f"the database {target} is an empty file (0 bytes), not a database: restore a"
            " backup over it, or delete it to start afresh (`roastbot db check` tells more)"
        )
