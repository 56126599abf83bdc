"""Start-up: settings, catalog and store wired into one `Context`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.catalog.lookup import Catalog
from bot.runtime.context import Context
from bot.runtime.settings import Settings
from bot.store import open_store


async def create_context(settings: Settings) -> Context:
    """Load the catalog (refusing an invalid one) and open the store.

    Raises `CatalogError` or `StoreError`, each with a message ready for the operator.
    The caller closes `context.store` when done.
    """
    catalog = Catalog.load(settings.dossiers)
    store = await open_store(settings.db)
    return Context(
        catalog=catalog, store=store, default_zone=settings.tz, public_url=settings.public_url
    )


@asynccontextmanager
async def open_context(settings: Settings) -> AsyncIterator[Context]:
    """`create_context` as a context manager that closes the store on the way out."""
    context = await create_context(settings)
    try:
        yield context
    finally:
        await context.store.close()
