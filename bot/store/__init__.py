"""Persistence: the `Store` interface and its SQLite implementation."""

from bot.store.base import (
    DailyPost,
    DrawnQuote,
    DuplicateQuoteError,
    Place,
    Store,
    StoredQuote,
    StoreError,
    Subscription,
)
from bot.store.sqlite import SqliteStore, open_store

__all__ = [
    "DailyPost",
    "DrawnQuote",
    "DuplicateQuoteError",
    "Place",
    "SqliteStore",
    "Store",
    "StoreError",
    "StoredQuote",
    "Subscription",
    "open_store",
]
