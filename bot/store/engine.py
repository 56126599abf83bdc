"""From `ROASTBOT_DB` to a place that runs transactions, and database errors to one line.

`ROASTBOT_DB` is a file path (SQLite) or a `postgresql://` URL (asyncpg). Every store call is
one transaction, written once as a plain function of a SQLAlchemy `Connection`; a `Runner`
runs it:

- SQLite: on one worker thread with SQLAlchemy's standard sqlite3 driver, the whole
  transaction in one hop from the event loop. (Through aiosqlite each statement cost three or
  four thread hops, about 200 roasts/s; one hop a call keeps the old 4,000.)
- PostgreSQL: on the asyncio engine with asyncpg, through `AsyncConnection.run_sync`, so its
  statements await the network without blocking the loop.

What differs between the two lives here and in `dialect.py`, nowhere else.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    IntegrityError,
    ProgrammingError,
    TimeoutError,
)
from sqlalchemy.pool import QueuePool

from bot.store.base import StoreBusy, StoreError, StoreFull, StoreUnavailable

POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+asyncpg://")
BUSY_TIMEOUT = 5.0  # seconds a SQLite write waits for another process before "busy"
CACHE_KIB = 65536  # page cache: keeps the rotation index in memory as history grows
MMAP_BYTES = 268435456  # read through mmap rather than read() calls
if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

T = TypeVar("T")
Body = Callable[[Connection], T]


@dataclass(frozen=True)
class Target:
    """Where the store lives: the SQLAlchemy URL and how to name it to an operator."""

    url: URL
    shown: str
    path: Path | None  # the SQLite file, or None for a server

    @property
    def is_sqlite(self) -> bool:
        """Whether this is a SQLite file (else a PostgreSQL server)."""
        return self.path is not None


def target_of(db: str | Path, *, must_exist: bool = False) -> Target:
    """Parse `ROASTBOT_DB`: a path is SQLite; `postgresql://...` is PostgreSQL.

    `must_exist` opens a SQLite file read-write only if it is already there, never creating it.
    """
    text = str(db).strip()
    if text.startswith(POSTGRES_SCHEMES):
        try:
            url = make_url(text).set(drivername="postgresql+asyncpg")
        except ArgumentError as exc:
            raise StoreError(f"ROASTBOT_DB: not a PostgreSQL URL ({exc})") from None
        if not url.database:
            raise StoreError(
                "ROASTBOT_DB: the URL names no database, e.g. postgresql://u:p@host/db"
            )
        shown = url.set(drivername="postgresql").render_as_string(hide_password=True)
        return Target(url, shown, None)
    if text.lower().startswith("postgres"):
        raise StoreError(
            "ROASTBOT_DB: looks like a PostgreSQL URL but is not one; write"
            " postgresql://user:password@host:5432/database"
        )
    if "://" in text:
        raise StoreError(
            f"ROASTBOT_DB: {text.split('://')[0]}:// is not supported; use a file path or a"
            " postgresql:// URL"
        )
    path = Path(text)
    query = {"mode": "rw", "uri": "true"} if must_exist else {}
    database = f"file:{path.absolute()}" if must_exist else str(path)
    url = URL.create("sqlite+pysqlite", database=database, query=query)
    return Target(url, str(path), path)


class Runner(Protocol):
    """Runs one transaction body against the database."""

    dialect: str

    async def run(self, body: Body[T], *, write: bool) -> T:
        """Run `body` in one transaction (committed if `write`, else rolled back)."""
        ...

    async def close(self) -> None:
        """Finish the transactions under way and close every connection."""
        ...


class ThreadRunner:
    """SQLite: one connection on one worker thread; a call is one hop from the event loop.

    Calls queue on the thread in order, so transactions of one process never interleave;
    other processes wait on `busy_timeout`. Writes begin IMMEDIATE, so racing instances queue
    instead of failing to upgrade a read lock. The connection stays checked out between
    calls (the pool holds one anyway), so a call pays for its transaction, not for a pool
    checkout and reset; after a failed call it goes back to the pool and a fresh one is taken.
    """

    dialect = "sqlite"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="roastbot-sqlite")
        self._conn: Connection | None = None  # touched on the database thread only

    async def run(self, body: Body[T], *, write: bool) -> T:
        """Run `body` in one transaction on the database thread."""

        def transaction() -> T:
            if self._conn is None:
                self._conn = self._engine.connect()
            conn = self._conn.execution_options(roastbot_write=write)
            try:
                with conn.begin() as outer:
                    result = body(conn)
                    if not write:
                        outer.rollback()
                    return result
            except BaseException:
                self._release()
                raise

        return await asyncio.get_running_loop().run_in_executor(self._thread, transaction)

    def _release(self) -> None:
        """Give the connection back to the pool (on the database thread)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    async def close(self) -> None:
        """Close the connection once the calls queued before have run."""

        def shut() -> None:
            self._release()
            self._engine.dispose()

        await asyncio.get_running_loop().run_in_executor(self._thread, shut)
        self._thread.shutdown(wait=True)


class AsyncRunner:
    """PostgreSQL: a pool of asyncpg connections; statements await the network."""

    dialect = "postgresql"

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def run(self, body: Body[T], *, write: bool) -> T:
        """Run `body` in one transaction on a pooled connection."""
        async with self._engine.connect() as conn, conn.begin() as outer:
            result = await conn.run_sync(body)
            if not write:
                await outer.rollback()
            return result

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._engine.dispose()


def open_runner(target: Target, *, tune: bool = True, busy_timeout: float = BUSY_TIMEOUT) -> Runner:
    """A runner for the target; SQLite gets WAL and tuned pragmas when `tune`, and waits up
    to `busy_timeout` seconds for a lock another process holds."""
    if not target.is_sqlite:
        from sqlalchemy.ext.asyncio import create_async_engine  # PostgreSQL only

        engine = create_async_engine(target.url, pool_size=5, max_overflow=5, pool_pre_ping=True)
        return AsyncRunner(engine)
    sync = create_sync_engine(
        target.url,
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        connect_args={"check_same_thread": False, "timeout": busy_timeout},
    )

    @event.listens_for(sync, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions begin where we say, below
        pragmas = [f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}"]
        if tune:
            pragmas += [
                "PRAGMA journal_mode = WAL",
                "PRAGMA synchronous = NORMAL",
                f"PRAGMA cache_size = -{CACHE_KIB}",
                f"PRAGMA mmap_size = {MMAP_BYTES}",
            ]
        for pragma in pragmas:
            dbapi_connection.execute(pragma)

    @event.listens_for(sync, "begin")
    def _begin(connection: Connection) -> None:
        writes = connection.get_execution_options().get("roastbot_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return ThreadRunner(sync)


def explain(exc: BaseException, target: Target) -> StoreError | None:
    """The one-line `StoreError` for a database failure, or None if it is not one we know."""
    if isinstance(exc, StoreError):
        return exc
    cause: BaseException = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
    while cause.__cause__ is not None:  # the driver's own exception, under the adapter's
        cause = cause.__cause__
    message = str(cause).lower()
    kind = type(cause).__name__
    where = f"({target.shown})"
    if isinstance(exc, TimeoutError) or "database is locked" in message or "busy" in message:
        return StoreBusy(f"the database is busy, try again in a moment {where}")
    if (
        ("full" in message and ("disk" in message or "database" in message))
        or kind == "DiskFullError"  # PostgreSQL's 53100
        or "no space left on device" in message
    ):
        return StoreFull(f"the database is full: free some disk space {where}")
    if "not a database" in message or "malformed" in message:
        return StoreError(
            f"the database {target.shown} is damaged ({cause}); run `roastbot db check` and"
            " restore a backup"
        )
    if kind == "InvalidPasswordError" or "password authentication failed" in message:
        return StoreError(f"ROASTBOT_DB: the server refused the user or password {where}")
    if kind == "InvalidCatalogNameError" or ("database" in message and "does not exist" in message):
        return StoreError(f"ROASTBOT_DB: no such database on the server {where}")
    if kind == "InsufficientPrivilegeError" or "permission denied" in message:
        return StoreError(f"ROASTBOT_DB: the user may not use this database {where}")
    if isinstance(exc, IntegrityError | ProgrammingError | DataError):
        return None  # a constraint or a bug of ours, not the database's health
    if isinstance(cause, OSError | ConnectionError) or kind in _CONNECTION_LOST:
        return StoreUnavailable(f"the database is unavailable, try again later {where}")
    if isinstance(cause, sqlite3.OperationalError) and "unable to open" in message:
        return StoreError(f"cannot open the database {target.shown}: {cause}")
    if not target.is_sqlite:
        first_line = str(cause).strip().splitlines()[0] if str(cause).strip() else kind
        return StoreError(f"ROASTBOT_DB: the server refused: {first_line[:200]} {where}")
    return None


_CONNECTION_LOST = frozenset(
    {
        "ConnectionDoesNotExistError",
        "ConnectionFailureError",
        "InterfaceError",
        "CannotConnectNowError",
        "AdminShutdownError",
        "InternalClientError",
    }
)
