"""Real database trouble a test can start and clear: a SQLite file another connection holds
locked (busy), or a PostgreSQL server stopped (unavailable). Never a mocked store method.

`trouble` is a fixture: a test module imports it, and each test using it runs once per kind.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.store import SqlStore, open_store
from tests import pg_server

SAYS = {"busy": "busy", "unavailable": "unavailable"}
"""The word the one-line message of each kind of trouble must hold."""


class Trouble:
    """A store on a real database, and the means to make that database fail and recover."""

    def __init__(self, kind: str, store: SqlStore, path: Path | None, server: object) -> None:
        self.kind = kind
        self.store = store
        self._path = path
        self._server = server
        self._holder: sqlite3.Connection | None = None
        self._halted = False

    @property
    def says(self) -> str:
        """The word a message about this trouble must hold."""
        return SAYS[self.kind]

    def begin(self) -> None:
        """Lock the SQLite file from another connection, or stop the PostgreSQL server."""
        if self._path is not None:
            self._holder = sqlite3.connect(
                self._path, isolation_level=None, check_same_thread=False
            )
            self._holder.execute("BEGIN EXCLUSIVE")
        else:
            assert isinstance(self._server, pg_server.PostgresServer)
            self._server.halt()
            self._halted = True

    def clear(self) -> None:
        """Let go of the lock, or start the server again."""
        if self._holder is not None:
            self._holder.execute("ROLLBACK")
            self._holder.close()
            self._holder = None
        elif self._halted:
            assert isinstance(self._server, pg_server.PostgresServer)
            self._server.restart()
            self._halted = False


@pytest.fixture(scope="module")
def outage_server() -> Iterator[pg_server.PostgresServer]:
    """A PostgreSQL server of this module's own, so stopping it disturbs no other test."""
    server = pg_server.start()
    yield server
    server.stop()


@pytest_asyncio.fixture(params=["busy", "unavailable"])
async def trouble(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Trouble]:
    """A fresh store that waits 50 ms for a lock (SQLite) or lives on a server of its own."""
    if request.param == "busy":
        path = tmp_path / "roastbot.sqlite3"
        store = await open_store(path, busy_timeout=0.05, rng=random.Random(7))
        made = Trouble("busy", store, path, None)
    else:
        server: pg_server.PostgresServer = request.getfixturevalue("outage_server")
        store = await open_store(server.url(server.new_database()), rng=random.Random(7))
        made = Trouble("unavailable", store, None, server)
    try:
        yield made
    finally:
        made.clear()
        await store.close()
