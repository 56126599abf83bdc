"""Discord's rate-limit headers, read off every channel post and told in neutral `RateFacts`.

discord.py keeps its own per-bucket locks from the same headers and retries a 429 of up to
30 s inside the request; it does not pace the 50/s global limit ahead of time. The
specimen scheduler's limiter does, and it learns each channel's bucket from these facts,
read through discord.py's public `http_trace` hook (an aiohttp `TraceConfig`), so that a
post never takes an in-flight slot only to wait inside discord.py for an empty bucket.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import SimpleNamespace

import aiohttp

from bot.runtime.poster import RateFacts

_CHANNEL_POST = re.compile(r"/channels/(\d+)/messages$")


def facts_of(status: int, headers: Mapping[str, str]) -> RateFacts | None:
    """The facts one answer's headers state, or None when it carries no rate-limit headers.

    `headers` are aiohttp's, whose names match in any case.

    A 429 names its scope (`X-RateLimit-Global: true` or `X-RateLimit-Scope: global` for the
    whole bot, otherwise the channel's bucket) and how long to rest (`Retry-After`); any
    other answer tells the bucket's `X-RateLimit-Remaining` and `X-RateLimit-Reset-After`.
    """
    if status == 429:
        is_global = (
            headers.get("X-RateLimit-Global", "").lower() == "true"
            or headers.get("X-RateLimit-Scope") == "global"
        )
        return RateFacts(
            "global" if is_global else "channel",
            retry_after=_number(headers.get("Retry-After")),
        )
    remaining = _number(headers.get("X-RateLimit-Remaining"))
    reset_after = _number(headers.get("X-RateLimit-Reset-After"))
    if remaining is None or reset_after is None:
        return None
    return RateFacts("channel", remaining=int(remaining), reset_after=reset_after)


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


class RateWatch:
    """The latest rate-limit facts per channel, from every `POST /channels/{id}/messages`."""

    def __init__(self) -> None:
        self._latest: dict[str, RateFacts] = {}

    def trace_config(self) -> aiohttp.TraceConfig:
        """The `TraceConfig` to hand discord.py as `http_trace`."""
        config = aiohttp.TraceConfig()
        config.on_request_end.append(self._on_request_end)
        return config

    def take(self, channel_id: str) -> RateFacts | None:
        """The facts of the channel's latest answer, once (None if already taken or none)."""
        return self._latest.pop(channel_id, None)

    async def _on_request_end(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        match = _CHANNEL_POST.search(params.url.path)
        if params.method != "POST" or match is None:
            return
        facts = facts_of(params.response.status, params.response.headers)
        if facts is not None:
            self._latest[match.group(1)] = facts
