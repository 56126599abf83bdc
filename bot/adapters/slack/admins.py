"""Who may curate the burn ward on Slack: workspace admins and owners, or listed user ids."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

CACHE_SECONDS = 300.0
MAX_ENTRIES = 10_000


class AdminDirectory:
    """Answers "is this user an admin here?", asking `users.info` at most every five minutes.

    Users listed in `ROASTBOT_SLACK_ADMINS` are admins everywhere without a call. A failed
    lookup counts as "not an admin" and is not cached, so the next command asks again.
    """

    def __init__(
        self,
        listed: Collection[str] = (),
        *,
        ttl: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._listed = frozenset(listed)
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[tuple[str, str], tuple[bool, float]] = {}

    async def is_admin(self, client: AsyncWebClient, team_id: str, user_id: str) -> bool:
        """Whether the user is an admin or owner of the workspace, or listed in the settings."""
        if user_id in self._listed:
            return True
        now = self._clock()
        cached = self._cache.get((team_id, user_id))
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            response = await client.users_info(user=user_id)
        except (TimeoutError, SlackClientError, ClientError) as exc:
            log.warning(
                "slack: users.info failed for %s (%s); not an admin for now",
                user_id,
                why_failed(exc),
            )
            return False
        user = response.get("user") or {}
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        self._remember((team_id, user_id), admin, now)
        return admin

    def _remember(self, key: tuple[str, str], admin: bool, now: float) -> None:
        if len(self._cache) >= MAX_ENTRIES:
            self._cache = {k: v for k, v in self._cache.items() if v[1] > now}
        self._cache[key] = (admin, now + self._ttl)


def why_failed(exc: Exception) -> str:
    """Slack's error code, or the HTTP status when the answer was not JSON, or the exception."""
    if isinstance(exc, SlackApiError):
        data = exc.response.data
        error = data.get("error") if isinstance(data, dict) else None
        return str(error or f"HTTP {exc.response.status_code}")
    return str(exc) or type(exc).__name__
