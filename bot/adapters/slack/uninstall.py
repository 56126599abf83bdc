"""`app_uninstalled` and `tokens_revoked`: forget the workspace's tokens at once.

In one store transaction the workspace's installation goes and its live specimen
subscriptions pause with the reason, which `/specimen status` shows; its quotes stay. A
reinstall and `/specimen subscribe` resume them.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.adapters.slack.contexts import ContextSource
from bot.runtime.lifecycle import IN_FLIGHT

log = logging.getLogger(__name__)

UNINSTALLED = "roastbot was uninstalled from this Slack workspace"
REVOKED = "roastbot's bot token was revoked in this Slack workspace"


class Uninstalls:
    """The listeners that forget a workspace when Slack says its tokens are gone."""

    def __init__(self, contexts: ContextSource) -> None:
        self._contexts = contexts

    def register(self, app: AsyncApp) -> None:
        """Attach both listeners to the Bolt app."""
        app.event("app_uninstalled")(self.on_uninstalled)
        app.event("tokens_revoked")(self.on_tokens_revoked)

    async def on_uninstalled(self, context: AsyncBoltContext) -> None:
        """The app was removed from the workspace: its tokens are already dead."""
        with IN_FLIGHT.track():
            await self._forget(context.team_id, UNINSTALLED)

    async def on_tokens_revoked(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        """Tokens were revoked; only the bot's matter (no user token is kept)."""
        with IN_FLIGHT.track():
            if (event.get("tokens") or {}).get("bot"):
                await self._forget(context.team_id, REVOKED)

    async def _forget(self, team_id: str | None, reason: str) -> None:
        if not team_id:
            log.warning("slack: %s, but the event names no team", reason)
            return
        core = await self._contexts.get()
        paused = await core.store.uninstall_slack(team_id, reason, core.clock())
        log.info("slack: %s (%s): tokens deleted, %d subscriptions paused", reason, team_id, paused)
