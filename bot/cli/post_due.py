"""`roastbot post-due [--now ISO-8601] [--dry-run]`: one pass over due specimens, then exit.

`--now` really posts, as if it were that moment; `--dry-run` only says what would happen.
The exit status is 1 when any due post failed or could not be attempted, so cron hears of it.
"""

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
from bot.daily.scheduler import Outcome, PostResult, plan_due, post_due
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
    parser.add_argument(
        "--now", type=_moment, default=None, help="post as if it were this moment (really posts)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be posted; send and record nothing"
    )
    parser.set_defaults(handler=handle)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not ISO-8601, e.g. 2026-11-21T09:00:00+01:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# outcomes that mean a due post did not go out and needs attention
NOT_DONE = frozenset({Outcome.FAILED, Outcome.NO_PLATFORM, Outcome.PAUSED})


def handle(args: argparse.Namespace) -> int:
    """Post (or, with --dry-run, plan) what is due; exit 1 if any due post did not go out."""
    settings = load_settings()
    results = asyncio.run(_pass(settings, args.now, dry_run=args.dry_run))
    for result in results:
        detail = f" ({result.detail})" if result.detail else ""
        print(f"{result.channel} {result.local_date}: {result.outcome.value}{detail}")
    print(summary(results, dry_run=args.dry_run))
    return 1 if any(r.outcome in NOT_DONE for r in results) else 0


def summary(results: list[PostResult], *, dry_run: bool) -> str:
    """One line: how many posted (or would be), failed or not attempted, and skipped."""
    done = Outcome.WOULD_POST if dry_run else Outcome.POSTED
    posted = sum(r.outcome is done for r in results)
    failed = sum(r.outcome in NOT_DONE for r in results)
    skipped = len(results) - posted - failed
    verb = "would post" if dry_run else "posted"
    return f"post-due: {verb} {posted}, failed {failed}, skipped {skipped} (already done)"


async def _pass(settings: Settings, now: datetime | None, *, dry_run: bool) -> list[PostResult]:
    async with open_context(settings) as context, AsyncExitStack() as stack:
        if now is not None:
            context = dataclasses.replace(context, clock=lambda: now)
        platforms = ["console", *configured_platforms(settings)]
        if dry_run:
            return await plan_due(context, platforms, context.clock())
        posters: dict[str, Poster] = {"console": ConsolePoster()}
        for platform in platforms[1:]:
            posters[platform] = await stack.enter_async_context(_factory(platform)(settings))
        return await post_due(context, posters, context.clock())


def _factory(platform: str) -> OpenPoster:
    return cast(OpenPoster, load(POSTER_FACTORIES[platform]))
