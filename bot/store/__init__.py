"""Persistence: the `Store` interface and its SQLite implementation."""

from bot.store.base import DrawnQuote, DuplicateQuoteError, Place, Store, StoredQuote, StoreError
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
