"""The store's interface and value types. Nothing here knows which database sits behind it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol


class StoreError(Exception):
    """The database cannot be opened or used; the message is one line for the operator."""


class StoreBusy(StoreError):
    """Another process holds the database longer than we wait; trying again later may work."""


class StoreFull(StoreError):
    """The disk under the database is full; nothing was written."""


class StoreUnavailable(StoreError):
    """The database server cannot be reached now; nothing was written."""


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


@dataclass(frozen=True)
class Subscription:
    """A channel's specimen-of-the-day subscription."""

    place: Place
    post_time: str
    zone: str
    subscribed_by: str
    subscribed_at: datetime
    paused_reason: str | None = None
    paused_at: datetime | None = None


@dataclass(frozen=True)
class DailyPost:
    """The specimen chosen for a channel's local date, and whether it went out."""

    place_key: str
    local_date: date
    role_id: str
    claimed_at: datetime | None
    message_id: str | None
    posted_at: datetime | None


@dataclass(frozen=True)
class Tally:
    """A name and how many times it was counted over a span of days."""

    name: str
    count: int


@dataclass(frozen=True)
class QuoteRecord:
    """A burn-ward quote as it moves between databases: everything but its local id."""

    workspace: str
    role_id: str
    text: str
    source: str | None
    fingerprint: str
    added_by: str
    added_at: datetime
    removed_by: str | None = None
    removed_at: datetime | None = None


@dataclass(frozen=True)
class StoreHealth:
    """What an integrity check found: problems (none when sound), schema version, row counts."""

    problems: tuple[str, ...]
    schema_version: int
    counts: Mapping[str, int]

    @property
    def ok(self) -> bool:
        """Whether the check found nothing wrong."""
        return not self.problems


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
        self,
        place: Place,
        role_id: str,
        seed_keys: Sequence[str],
        counted_on: date | None = None,
    ) -> DrawnQuote | None:
        """The next quote of the channel's bag for a role, seed keys plus live additions.

        With `counted_on`, one roast of the role is counted for that day in the same
        transaction (what `count_roast` does), so a roast costs one transaction.
        """
        ...

    async def subscribe(
        self, place: Place, *, post_time: str, zone: str, by: str, now: datetime
    ) -> Subscription:
        """Create or update the channel's subscription, clearing any pause."""
        ...

    async def unsubscribe(self, place: Place) -> bool:
        """Remove the channel's subscription; False if it had none. Past posts stay on record."""
        ...

    async def subscription(self, place: Place) -> Subscription | None:
        """The channel's subscription, paused or not."""
        ...

    async def subscriptions(self) -> list[Subscription]:
        """Every subscription, paused or not."""
        ...

    async def pause(self, place: Place, reason: str, now: datetime) -> None:
        """Stop posting to a channel until it subscribes again, remembering why."""
        ...

    async def plan_daily(
        self, place: Place, local_date: date, candidates: Sequence[str], now: datetime
    ) -> DailyPost | None:
        """The channel's specimen for a local date, drawn from its bag the first time asked."""
        ...

    async def claim_daily(
        self, place: Place, local_date: date, now: datetime, stale_before: datetime
    ) -> bool:
        """Claim the right to post a planned daily post; only one caller ever wins it.

        A claim whose post never completed and that was made before `stale_before` can be
        claimed again (the instance that made it crashed between claim and send).
        """
        ...

    async def release_daily(self, place: Place, local_date: date) -> None:
        """Give back a claim whose post failed, so a later pass may try again."""
        ...

    async def record_daily(
        self, place: Place, local_date: date, message_id: str, now: datetime
    ) -> None:
        """Record the platform's message id of a daily post that went out."""
        ...

    async def last_daily(self, place: Place) -> DailyPost | None:
        """The most recent daily post that went out in the channel."""
        ...

    async def daily(self, place: Place, local_date: date) -> DailyPost | None:
        """The channel's daily post row for a local date, if it was planned."""
        ...

    async def count_roast(self, workspace: str, kind: str, name: str, day: date) -> None:
        """Add one to the workspace's count of `name` (`roast` or `missing`) on `day`."""
        ...

    async def roast_tally(
        self, workspace: str, kind: str, first: date, last: date, limit: int
    ) -> list[Tally]:
        """The `limit` names of a kind counted most from `first` to `last` (both included)."""
        ...

    async def get_state(self, key: str) -> str | None:
        """A small piece of the bot's own state (e.g. the last command-sync hash)."""
        ...

    async def set_state(self, key: str, value: str, now: datetime) -> None:
        """Remember a small piece of the bot's own state."""
        ...

    async def all_quotes(self, workspace: str | None = None) -> list[StoredQuote]:
        """Every admin quote, removed ones too, of one workspace or all, in a stable order.

        `workspace` is a workspace key (`discord:123`) or the bare id after the colon.
        """
        ...

    async def import_quotes(self, records: Sequence[QuoteRecord]) -> list[bool]:
        """Add the records in one transaction; per record, False if it was a duplicate.

        A live record duplicates a live quote with the same fingerprint in its workspace and
        role; a removed record duplicates any quote with the same fingerprint and `added_at`.
        """
        ...

    async def backup(self, target: Path) -> None:
        """Write a consistent copy of the whole database to `target`, replacing it."""
        ...

    async def check(self, *, quick: bool = False) -> StoreHealth:
        """Check the database's integrity and report its schema version and row counts.

        `quick` runs SQLite's quick_check, which skips index consistency: for health checks.
        """
        ...

    async def close(self) -> None:
        """Finish pending work and close the database."""
        ...
