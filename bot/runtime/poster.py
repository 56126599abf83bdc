"""How the core sends a message on its own (the specimen of the day), whatever the platform."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol, runtime_checkable

from bot.cards.model import Reply

Scope = Literal["global", "workspace", "channel"]


@dataclass(frozen=True)
class RateFacts:
    """What a platform said about its rate limits in one answer, in neutral terms.

    `scope` names the bucket the answer is about: the whole bot (`global`), the workspace,
    or the channel posted to. `retry_after` (a 429) is how long that bucket must rest;
    `remaining` and `reset_after` are the calls left in its window and the seconds until it
    refills (Discord's `X-RateLimit-Remaining` and `X-RateLimit-Reset-After`).
    """

    scope: Scope
    retry_after: float | None = None
    remaining: int | None = None
    reset_after: float | None = None


class DeliveryError(Exception):
    """A post failed. `permanent` means retrying cannot help (channel gone, bot removed).

    `rate` carries the platform's rate-limit facts when the failure was a 429, so the
    sender pauses the bucket it names instead of guessing a backoff.
    """

    def __init__(self, reason: str, *, permanent: bool, rate: RateFacts | None = None) -> None:
        self.reason = reason
        self.permanent = permanent
        self.rate = rate
        super().__init__(reason)


@dataclass(frozen=True)
class DailyMark:
    """What identifies one channel's daily post for one local date, on the platform itself.

    A poster that can tag its messages puts the mark on the post (Discord: a `nonce`;
    Slack: message `metadata`), so a later instance can find out whether the post landed.
    """

    channel_key: str
    local_date: date

    @property
    def nonce(self) -> str:
        """A 25-character token derived from (channel, local date): Discord's nonce limit."""
        digest = hashlib.blake2b(f"{self.channel_key}|{self.local_date}".encode(), digest_size=12)
        return "d" + digest.hexdigest()


class Poster(Protocol):
    """A platform's way to post a reply into a channel, outside any command."""

    platform: str

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        """Post the reply's cards publicly; return the platform's message id.

        Raises `DeliveryError`: permanent for a deleted/archived channel or a bot that was
        removed or denied (Discord 403/404, Slack `channel_not_found`, `not_in_channel`,
        `is_archived`), not permanent for rate limits, 5xx and network errors.
        """
        ...


@runtime_checkable
class DailyPoster(Protocol):
    """A poster whose daily posts are idempotent: tagged with their `DailyMark`."""

    async def post_daily(
        self,
        workspace_id: str,
        channel_id: str,
        reply: Reply,
        mark: DailyMark,
        since: datetime | None,
    ) -> str:
        """Post the reply tagged with `mark`; return its message id.

        `since` is set when an earlier attempt may have landed (a stale claim taken over):
        the poster first looks for a post tagged with `mark` made since then, and returns
        that message's id instead of posting again.
        """
        ...


@runtime_checkable
class RateReporting(Protocol):
    """A poster that reads the platform's rate-limit headers off its successful answers."""

    def rate_facts(self, channel_id: str) -> RateFacts | None:
        """What the channel's latest answer said about its buckets, once; None if nothing."""
        ...


@runtime_checkable
class StepPoster(Protocol):
    """A poster that finishes a daily post: pins it, unpins an older one, opens its thread.

    Each raises `DeliveryError` like `Poster.post`: permanent when the platform refuses
    for good (no permission to pin, threads disabled), so the step is not tried again.
    """

    async def pin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        """Pin a message in the channel."""
        ...

    async def unpin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        """Unpin a message the bot pinned earlier."""
        ...

    async def open_thread(
        self, workspace_id: str, channel_id: str, message_id: str, name: str, reply: Reply
    ) -> str:
        """Open a discussion on a message; return the thread's id (Slack: the reply's ts).

        `name` names the thread (Discord); `reply` is the full record to post in it (Slack).
        """
        ...


@runtime_checkable
class MessagePoster(Protocol):
    """A poster that edits the messages it posted and writes to one member directly.

    Each raises `DeliveryError` like `Poster.post`: permanent when the platform refuses for
    good (the message is gone, the member does not accept direct messages).
    """

    async def edit(self, workspace_id: str, channel_id: str, message_id: str, reply: Reply) -> None:
        """Replace a posted message's cards and buttons with the reply's."""
        ...

    async def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> str:
        """Send the reply to the member as a direct message; return the message's id."""
        ...
