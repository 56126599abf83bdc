"""`roastbot post-due [--now ISO-8601]`: one pass over due and missed specimens, then exit."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from datetime import UTC, datetime
from typing import cast

from bot.adapters.console.poster import ConsolePoster
from bot.cli.lazy import load
from bot.cli.run import configured_platforms
from bot.daily.scheduler import Outcome, PostResult, post_due
from bot.runtime.poster import Poster
from bot.runtime.settings import Settings, load_settings
from bot.runtime.startup import open_context

# platform -> "module:function" opening a Poster for one pass, as an async context manager
POSTER_FACTORIES = {
    "discord": "bot.adapters.discord.runtime:open_poster",
    "slack": "bot.adapters.slack.poster:open_poster",
}
OpenPoster = Callable[[Settings], AbstractAsyncContextManager[Poster]]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommand to the parser."""
    parser = sub.add_parser("post-due", help="post every specimen of the day due now, then exit")
    parser.add_argument("--now", type=_moment, default=None, help="pretend it is this moment")
    parser.set_defaults(handler=handle)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not ISO-8601, e.g. 2026-11-21T09:00:00+01:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def handle(args: argparse.Namespace) -> int:
    """Post what is due; exit 1 if any post failed and will need another pass."""
    settings = load_settings()
    results = asyncio.run(_pass(settings, args.now))
    for result in results:
        detail = f" ({result.detail})" if result.detail else ""
        print(f"{result.channel} {result.local_date}: {result.outcome.value}{detail}")
    if not results:
        print("nothing due")
    return 1 if any(r.outcome is Outcome.FAILED for r in results) else 0


async def _pass(settings: Settings, now: datetime | None) -> list[PostResult]:
    async with open_context(settings) as context, AsyncExitStack() as stack:
        if now is not None:
            context = dataclasses.replace(context, clock=lambda: now)
        posters: dict[str, Poster] = {"console": ConsolePoster()}
        for platform in configured_platforms(settings):
            posters[platform] = await stack.enter_async_context(_factory(platform)(settings))
        return await post_due(context, posters, context.clock())


def _factory(platform: str) -> OpenPoster:
    return cast(OpenPoster, load(POSTER_FACTORIES[platform]))
