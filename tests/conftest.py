"""Shared fixtures: the bundled catalog, a real SQLite store in tmp_path, a fixed clock."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from bot.catalog.lookup import Catalog
from bot.quotes.text import fingerprint
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.runtime.settings import Settings
from bot.store import SqliteStore, Store, open_store

FIXED_NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled catalog, loaded once."""
    return Catalog.load()


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    """A migrated store on a real database file, seeded randomness for repeatable draws."""
    opened = await open_store(tmp_path / "roastbot.sqlite3", rng=random.Random(7))
    yield opened
    await opened.close()


@pytest.fixture
def context(catalog: Catalog, store: SqliteStore) -> Context:
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
