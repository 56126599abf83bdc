"""The store's interface and value types. Nothing here knows which database sits behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class StoreError(Exception):
    """The database cannot be opened or used; the message is one line for the operator."""


@dataclass(frozen=True)
class Place:
    """A channel on a platform, inside a workspace (Discord guild, Slack team)."""

    platform: str
    workspace_id: str
    channel_id: str

    @property
    def key(self) -> str:
        """A stable string naming this channel across platforms."""
        return f"{self.platform}:{self.workspace_id}:{self.channel_id}"

    @property
    def workspace_key(self) -> str:
        """A stable string naming the workspace across platforms."""
        return f"{self.platform}:{self.workspace_id}"


@dataclass(frozen=True)
class StoredQuote:
    """A burn-ward quote added by an admin of one workspace."""

    id: int
    workspace: str
    role_id: str
    text: str
    source: str | None
    added_by: str
    added_at: datetime
    removed_by: str | None = None
    removed_at: datetime | None = None

    @property
    def key(self) -> str:
        """This quote's key in a rotation bag."""
        return f"a:{self.id}"


@dataclass(frozen=True)
class DrawnQuote:
    """The quote a rotation picked: a seed key, or an admin quote with its text."""

    key: str
    added: StoredQuote | None


class DuplicateQuoteError(Exception):
    """The workspace already has this quote for this role."""

    def __init__(self, existing: StoredQuote) -> None:
        self.existing = existing
        super().__init__(f"duplicate of quote {existing.id}")


class Store(Protocol):
    """Everything the bot remembers. Implementations run each call in one transaction."""

    async def add_quote(
        self,
        *,
        workspace: str,
        role_id: str,
        text: str,
        source: str | None,
        fingerprint: str,
        added_by: str,
        now: datetime,
    ) -> StoredQuote:
        """Store a quote, or raise `DuplicateQuoteError` if its fingerprint is already live."""
        ...

    async def live_quotes(self, workspace: str, role_id: str) -> list[StoredQuote]:
        """The workspace's quotes for a role that have not been removed, oldest first."""
        ...

    async def remove_quote(
        self, *, workspace: str, quote_id: int, removed_by: str, now: datetime
    ) -> StoredQuote | None:
        """Soft-delete one of the workspace's live quotes; None if it has no such quote."""
        ...

    async def draw_quote(
        self, place: Place, role_id: str, seed_keys: Sequence[str]
    ) -> DrawnQuote | None:
        """The next quote of the channel's bag for a role, seed keys plus live additions."""
        ...

    async def draw(self, place: Place, bag: str, candidates: Sequence[str]) -> str | None:
        """The next item of the channel's named shuffle bag, recorded as drawn."""
        ...

    async def get_state(self, key: str) -> str | None:
        """A small piece of the bot's own state (e.g. the last command-sync hash)."""
        ...

    async def set_state(self, key: str, value: str, now: datetime) -> None:
        """Remember a small piece of the bot's own state."""
        ...

    async def close(self) -> None:
        """Finish pending work and close the database."""
        ...
