"""`roastbot run [discord|slack|console|all]`: serve every platform whose tokens are set."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, cast

from bot.adapters.console.board import Board
from bot.adapters.console.chat import run_chat
from bot.adapters.console.poster import ConsolePoster
from bot.catalog.lookup import Catalog
from bot.cli.lazy import load
from bot.commands.registry import load_commands
from bot.daily.scheduler import Scheduler
from bot.runtime.context import Context
from bot.runtime.lifecycle import DaemonThreads, StopSignals, drain
from bot.runtime.metrics import serve_metrics
from bot.runtime.settings import PLATFORM_SETTINGS, Settings, SettingsError, load_settings
from bot.runtime.startup import open_context
from bot.store.engine import target_of

if TYPE_CHECKING:
    from bot.runtime.http_site import HttpSite

log = logging.getLogger(__name__)

Serve = Callable[[Context, Settings, asyncio.Event, "HttpSite | None"], Awaitable[None]]
NeedsHttp = Callable[[Settings], bool]
# platform -> "module:function" serving it until the event is set
SERVERS = {
    "discord": "bot.adapters.discord.runtime:serve",
    "slack": "bot.adapters.slack.runtime:serve",
}
# platform -> "module:function" saying whether these settings serve it on the shared HTTP site
HTTP_PARTS = {
    "discord": "bot.adapters.discord.runtime:needs_http",
    "slack": "bot.adapters.slack.runtime:needs_http",
}
# the public pages (ROASTBOT_WEB=on), loaded only when served: Jinja2 and Pillow cost start-up
WEB_ROUTES = "bot.web.routes:add_web_routes"
AddWebRoutes = Callable[[object, Catalog, Settings], None]  # (aiohttp app, catalog, settings)
CHOICES = ("discord", "slack", "console", "all")
SLACK_TOKENS = PLATFORM_SETTINGS[1]


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
    if settings.slack_bot_token is not None or settings.slack_multi_workspace:
        platforms.append("slack")
    return platforms


def chosen_platforms(choice: str, settings: Settings, interactive: bool) -> list[str]:
    """What `roastbot run CHOICE` serves (empty: the console), or `SettingsError` saying why not.

    With no platform token set, `all` opens the console only for a person at a terminal:
    a service (systemd, Docker, `</dev/null`) that can serve nothing must fail, not exit 0.
    """
    if choice == "console":
        return []
    configured = configured_platforms(settings)
    if choice == "all":
        if not configured and not interactive:
            raise SettingsError(
                f"nothing to serve: none of {', '.join(PLATFORM_SETTINGS)} is set, and standard"
                " input is not a terminal (use `roastbot run console` for the console)"
            )
        return configured
    if choice not in configured:
        token = "DISCORD_TOKEN" if choice == "discord" else SLACK_TOKENS
        raise SettingsError(f"{token}: not set, so {choice} cannot be served")
    return [choice]


def handle(args: argparse.Namespace) -> int:
    """Serve until stopped: end of input or /quit on the console, SIGTERM or SIGINT anywhere."""
    settings = load_settings()
    platforms = chosen_platforms(args.platform, settings, sys.stdin.isatty())
    load_commands()
    with asyncio.Runner() as runner:
        runner.get_loop().set_default_executor(DaemonThreads())
        runner.run(_serve(platforms, settings))
    return 0


async def _serve(platforms: list[str], settings: Settings) -> None:
    stop = asyncio.Event()
    StopSignals(stop).install()
    async with open_context(settings) as context, AsyncExitStack() as stack:
        shown = target_of(settings.db).shown
        log.info("roastbot: %d dossiers, database %s", len(context.catalog), shown)
        if settings.metrics_port is not None:
            url = await stack.enter_async_context(
                serve_metrics(settings.metrics_host, settings.metrics_port)
            )
            log.info("metrics: Prometheus metrics at %s", url)
        scheduler = asyncio.create_task(Scheduler(context, context.posters).run(stop))
        try:
            if platforms:
                await _serve_platforms(platforms, context, settings, stop)
            else:
                await _serve_console(context, settings, stop)
        finally:
            stop.set()
            await scheduler
            await drain()
    log.info("stopped: the database is closed")


def _shared_site(platforms: list[str], context: Context, settings: Settings) -> HttpSite | None:
    """The one HTTP site for the platforms served over HTTP and, with ROASTBOT_WEB=on, the
    web pages; None when nothing needs it. It starts once every part has added its routes."""
    parts = [name for name in platforms if cast(NeedsHttp, load(HTTP_PARTS[name]))(settings)]
    if settings.web:
        parts.append("web")
    if not parts:
        return None
    from bot.runtime.http_site import HttpSite  # aiohttp's server: only when something listens

    site = HttpSite(settings.http_host, settings.http_port, parts)
    if settings.web:
        add_web_routes = cast(AddWebRoutes, load(WEB_ROUTES))
        site.add("web", lambda app: add_web_routes(app, context.catalog, settings))
    return site


async def _serve_platforms(
    platforms: list[str], context: Context, settings: Settings, stop: asyncio.Event
) -> None:
    """Serve every platform until `stop`; one that fails stops the others, then its error rises.

    The platforms served over HTTP (and the web pages) share one site, started once all of
    them added their routes.
    """
    site = _shared_site(platforms, context, settings)
    tasks = [
        asyncio.ensure_future(_server(name)(context, settings, stop, site)) for name in platforms
    ]
    if site is not None:
        tasks.append(asyncio.ensure_future(site.serve(stop)))
    await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    stop.set()
    await asyncio.wait(tasks)
    for task in tasks:
        task.result()


async def _serve_console(context: Context, settings: Settings, stop: asyncio.Event) -> None:
    """The console until end of input or /quit, or until `stop` after its command finishes.

    With ROASTBOT_WEB=on the pages are served beside it, until the console ends.
    """
    site = _shared_site([], context, settings)
    if site is None:
        await _console(context, stop)
        return
    done = asyncio.Event()
    serving = asyncio.create_task(site.serve(done))
    try:
        await _console(context, stop)
    finally:
        done.set()
        await serving


async def _console(context: Context, stop: asyncio.Event) -> None:
    log.info("console: serving the commands typed on standard input")
    board = Board()  # a typed number presses the buttons of a daily post too
    context.connect_poster(ConsolePoster(board=board))
    chat = asyncio.create_task(run_chat(context, board=board), name="console")
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({chat, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not chat.done():
        await drain()
        chat.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await chat


def _server(name: str) -> Serve:
    return cast(Serve, load(SERVERS[name]))
