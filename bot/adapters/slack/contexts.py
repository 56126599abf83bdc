"""The core `Context` the Slack app runs against: given, or created on first use."""

from __future__ import annotations

import asyncio

from bot.runtime.context import Context
from bot.runtime.settings import Settings
from bot.runtime.startup import create_context


class ContextSource:
    """Hands out one `Context`; when none was given, creates it from settings on first use.

    A context created here opens its own store, which stays open for the life of the process.
    """

    def __init__(self, settings: Settings, context: Context | None = None) -> None:
        self._settings = settings
        self._context = context
        self._lock = asyncio.Lock()

    async def get(self) -> Context:
        """The context, created once even when several requests arrive together."""
        if self._context is None:
            async with self._lock:
                if self._context is None:
                    self._context = await create_context(self._settings)
        return self._context
