"""The console as `roastbot run console` serves it, with a scheduler pass on each SIGUSR1.

Run as a script at a (pseudo-)terminal by tests: the console session and the console poster
share the terminal, and SIGUSR1 runs one real pass of the daily scheduler at `PASS_AT`, so a
post arrives exactly while the prompt waits. Commands see the fixed clock `NOW`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import signal
from datetime import UTC, datetime

from bot.adapters.console.chat import run_chat
from bot.adapters.console.poster import ConsolePoster
from bot.daily.scheduler import post_due
from bot.runtime.settings import load_settings
from bot.runtime.startup import open_context

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
PASS_AT = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


async def main() -> None:
    """Serve the console until /quit; each SIGUSR1 posts whatever is due at `PASS_AT`."""
    async with open_context(load_settings()) as opened:
        context = dataclasses.replace(opened, clock=lambda: NOW)
        context.connect_poster(ConsolePoster())
        loop = asyncio.get_running_loop()
        passes: list[asyncio.Task[object]] = []
        loop.add_signal_handler(
            signal.SIGUSR1,
            lambda: passes.append(loop.create_task(post_due(context, context.posters, PASS_AT))),
        )
        await run_chat(context, channel="daily")
        await asyncio.gather(*passes)


if __name__ == "__main__":
    asyncio.run(main())
