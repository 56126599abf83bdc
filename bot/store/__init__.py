"""Persistence: the `Store` interface and its SQL implementation (SQLite or PostgreSQL)."""

from bot.store.base import (
    DailyPost,
    DrawnQuote,
    DuplicateQuoteError,
    Place,
    QuoteRecord,
    Store,
    StoreBusy,
    StoredQuote,
    StoreError,
    StoreFull,
    StoreHealth,
    StoreUnavailable,
    Subscription,
    Tally,
)
from bot.store.sql import SqlStore, open_existing_store, open_store

__all__ = [
    "DailyPost",
    "DrawnQuote",
    "DuplicateQuoteError",
    "Place",
    "QuoteRecord",
    "SqlStore",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreFull",
    "StoreHealth",
    "StoreUnavailable",
    "StoredQuote",
    "Subscription",
    "Tally",
    "open_existing_store",
    "open_store",
]
