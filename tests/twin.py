"""The `twin` fixture: a second context seeded like `context`, so quotes are drawn alike."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from bot.catalog.lookup import Catalog
from bot.runtime.context import Context
from bot.store import open_store
from tests.conftest import FIXED_NOW


@pytest_asyncio.fixture
async def twin(catalog: Catalog, tmp_path: Path) -> AsyncIterator[Context]:
    """A context seeded like `context`, to compute the exact reply a request should get."""
    store = await open_store(tmp_path / "twin.sqlite3", rng=random.Random(7))
    yield Context(catalog=catalog, store=store, clock=lambda: FIXED_NOW)
    await store.close()
