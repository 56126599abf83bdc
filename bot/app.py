"""Start-up: settings, catalog and store wired into one `Context`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.catalog import Catalog
from bot.config import Settings
from bot.context import Context
from bot.store import open_store


@asynccontextmanager
async def open_context(settings: Settings) -> AsyncIterator[Context]:
    """Load the catalog (refusing an invalid one) and open the store; close it on the way out.

    Raises `CatalogError` or `StoreError`, each with a message ready for the operator.
    """
    catalog = Catalog.load(settings.dossiers)
    store = await open_store(settings.db)
    try:
        yield Context(catalog=catalog, store=store)
    finally:
        await store.close()
