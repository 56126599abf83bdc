"""Persistence: the `Store` interface and its SQLite implementation."""

from bot.store.base import (
    DailyPost,
    DrawnQuote,
    DuplicateQuoteError,
    Place,
    QuoteRecord,
    Store,
    StoredQuote,
    StoreError,
    StoreHealth,
    Subscription,
)
from bot.store.sqlite import SqliteStore, open_existing_store, open_store

__all__ = [
    "DailyPost",
    "DrawnQuote",
    "DuplicateQuoteError",
    "Place",
    "QuoteRecord",
    "SqliteStore",
    "Store",
    "StoreError",
    "StoreHealth",
    "StoredQuote",
    "Subscription",
    "open_existing_store",
    "open_store",
]
