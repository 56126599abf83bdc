"""How the core sends a message on its own (the specimen of the day), whatever the platform."""

from __future__ import annotations

from typing import Protocol

from bot.cards.model import Reply


class DeliveryError(Exception):
    """A post failed. `permanent` means retrying cannot help (channel gone, bot removed)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        self.reason = reason
        self.permanent = permanent
        super().__init__(reason)


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
