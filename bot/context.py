"""What every command runs against: the catalog, the store and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.catalog import Catalog
from bot.invocation import Invocation
from bot.store import Place, Store


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Context:
    """The shared state a command reads and writes; built once at start-up."""

    catalog: Catalog
    store: Store
    clock: Callable[[], datetime] = field(default=utc_now)


def place_of(invocation: Invocation) -> Place:
    """The channel an invocation came from, as the store names it."""
    return Place(invocation.platform, invocation.workspace_id, invocation.channel_id)
