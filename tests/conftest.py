"""Shared fixtures: the bundled catalog, a real store (SQLite file or PostgreSQL), a fixed clock.

Tests under the folders in `BOTH_BACKENDS` that use the `store` (or `context`) fixture run
twice, once on a SQLite file and once on a fresh PostgreSQL database, so no behavior exists
on one backend only; elsewhere they run on SQLite.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import text

from bot.catalog.lookup import Catalog
from bot.quotes.text import fingerprint
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.runtime.settings import Settings
from bot.store import SqlStore, Store, open_store
from tests import pg_server

FIXED_NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled catalog, loaded once."""
    return Catalog.load()


BOTH_BACKENDS = ("tests/store/", "tests/commands/", "tests/daily/", "tests/quotes/")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run store-backed tests of the core suites on both backends."""
    if "backend" in metafunc.fixturenames:
        path = metafunc.definition.path.as_posix()
        both = any(folder in path for folder in BOTH_BACKENDS)
        metafunc.parametrize("backend", ["sqlite", "postgresql"] if both else ["sqlite"])


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg_server.PostgresServer]:
    """One throwaway PostgreSQL server for the session, started on first use."""
    server = pg_server.start()
    yield server
    server.stop()


@pytest.fixture
def database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """What ROASTBOT_DB would say for this test: a SQLite file, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        return str(tmp_path / "roastbot.sqlite3")
    server: pg_server.PostgresServer = request.getfixturevalue("postgres")
    return server.url(server.new_database())


@pytest_asyncio.fixture
async def store(database: str) -> AsyncIterator[SqlStore]:
    """A migrated store on a real database, seeded randomness for repeatable draws."""
    opened = await open_store(database, rng=random.Random(7))
    yield opened
    await opened.close()


@pytest.fixture
def context(catalog: Catalog, store: SqlStore) -> Context:
    """A context over the bundled catalog and a fresh store, at a fixed time."""
    return Context(catalog=catalog, store=store, clock=lambda: FIXED_NOW)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings that read no `.env` and point the database into tmp_path."""
    return Settings(_env_file=None, ROASTBOT_DB=tmp_path / "roastbot.sqlite3")


def invocation(
    command: str,
    subcommand: str | None = None,
    *,
    admin: bool = False,
    workspace: str = "w1",
    channel: str = "c1",
    user: str = "u1",
    platform: str = "console",
    **options: str,
) -> Invocation:
    """A console-like invocation for command tests."""
    return Invocation(platform, workspace, channel, user, admin, command, subcommand, options)


async def seed_quotes(store: Store, workspace: str, texts: list[str], *, removed: int = 0) -> None:
    """Add `texts` as SDET quotes of `workspace`, then soft-delete the first `removed` of them."""
    added = [
        await store.add_quote(
            workspace=workspace,
            role_id="sdet",
            text=text,
            source=None if n % 2 else "standup",
            fingerprint=fingerprint(text),
            added_by=f"admin{n}",
            now=FIXED_NOW,
        )
        for n, text in enumerate(texts)
    ]
    for quote in added[:removed]:
        await store.remove_quote(
            workspace=workspace, quote_id=quote.id, removed_by="admin0", now=FIXED_NOW
        )


async def rows(store: SqlStore, sql: str, **params: object) -> list[tuple[object, ...]]:
    """Rows of raw SQL against the store's database, for tests that look beneath the API."""
    return await store._runner.run(
        lambda conn: [tuple(row) for row in conn.execute(text(sql), params)], write=False
    )
