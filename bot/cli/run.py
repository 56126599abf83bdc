"""`roastbot run [discord|slack|console|all]`: serve every platform whose tokens are set."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
from collections.abc import Awaitable, Callable
from typing import cast

from bot.adapters.console.chat import run_chat
from bot.adapters.console.poster import ConsolePoster
from bot.app import open_context
from bot.config import Settings, SettingsError, load_settings
from bot.context import Context
from bot.scheduler import Scheduler

log = logging.getLogger(__name__)

Serve = Callable[[Context, Settings, asyncio.Event], Awaitable[None]]
# platform -> "module:function" serving it until the event is set
SERVERS = {
    "discord": "bot.adapters.discord.runtime:serve",
    "slack": "bot.adapters.slack.runtime:serve",
}
CHOICES = ("discord", "slack", "console", "all")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommand to the parser."""
    parser = sub.add_parser("run", help="serve every platform whose tokens are set")
    parser.add_argument("platform", nargs="?", choices=CHOICES, default="all")
    parser.set_defaults(handler=handle)


def configured_platforms(settings: Settings) -> list[str]:
    """The platforms whose tokens are set."""
    platforms = []
    if settings.discord_token is not None:
        platforms.append("discord")
    if settings.slack_bot_token is not None:
        platforms.append("slack")
    return platforms


def chosen_platforms(choice: str, settings: Settings) -> list[str]:
    """What `roastbot run CHOICE` serves, or `SettingsError` naming the missing token."""
    if choice == "console":
        return []
    configured = configured_platforms(settings)
    if choice == "all":
        return configured
    if choice not in configured:
        token = "DISCORD_TOKEN" if choice == "discord" else "SLACK_BOT_TOKEN"
        raise SettingsError(f"{token}: not set, so {choice} cannot be served")
    return [choice]


def handle(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    settings = load_settings()
    platforms = chosen_platforms(args.platform, settings)
    asyncio.run(_serve(platforms, settings))
    return 0


async def _serve(platforms: list[str], settings: Settings) -> None:
    async with open_context(settings) as context:
        stop = asyncio.Event()
        scheduler = asyncio.create_task(Scheduler(context, context.posters).run(stop))
        try:
            if not platforms:
                log.info("no platform tokens set: serving the console")
                context.posters["console"] = ConsolePoster()
                await run_chat(context)
                return
            await asyncio.gather(*(_server(name)(context, settings, stop) for name in platforms))
        finally:
            stop.set()
            await scheduler


def _server(name: str) -> Serve:
    module_name, _, function = SERVERS[name].partition(":")
    return cast(Serve, getattr(importlib.import_module(module_name), function))
