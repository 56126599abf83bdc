"""What every command runs against: the catalog, the store and the clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.catalog.lookup import Catalog
from bot.runtime.invocation import Invocation
from bot.runtime.poster import Poster
from bot.store import Place, Store


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Context:
    """The shared state a command reads and writes; built once at start-up.

    `schedule_changed` is set when a subscription changes, to wake the scheduler;
    `posters` holds, per platform, the way to post into its channels, registered by each
    adapter once it is connected; `public_url` is where the web pages are served
    (`ROASTBOT_PUBLIC_URL`), so cards can link to them.
    """

    catalog: Catalog
    store: Store
    clock: Callable[[], datetime] = field(default=utc_now)
    default_zone: str = "UTC"
    schedule_changed: asyncio.Event = field(default_factory=asyncio.Event)
    posters: dict[str, Poster] = field(default_factory=dict)
    public_url: str | None = None

    def connect_poster(self, poster: Poster) -> None:
        """Register a platform's poster once it is connected, and wake the scheduler for it."""
        self.posters[poster.platform] = poster
        self.schedule_changed.set()

    def disconnect_poster(self, platform: str) -> None:
        """Forget a platform's poster when it disconnects."""
        self.posters.pop(platform, None)


def place_of(invocation: Invocation) -> Place:
    """The channel an invocation came from, as the store names it."""
    return Place(invocation.platform, invocation.workspace_id, invocation.channel_id)
