"""The shared HTTP site, and serving any aiohttp application on a port for a block.

`roastbot run` serves one site on `ROASTBOT_HTTP_HOST`:`ROASTBOT_HTTP_PORT` when any part
needs it: Slack events (`POST /slack/events`), Discord interactions
(`POST /discord/interactions`), the web pages, and always `GET /healthz`. Each part adds
its routes with `HttpSite.add` once it is ready; the site starts listening when every part
it was told to expect has added them (aiohttp freezes an application's routes when it starts).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from bot.runtime.lifecycle import drain
from bot.runtime.settings import SettingsError

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
SERVER_LOG = logging.getLogger("aiohttp.server")
PORT_SETTING = "ROASTBOT_HTTP_PORT"

Routes = Callable[[web.Application], None]
"""A part of the site: adds its routes to the application."""


class HttpSite:
    """One aiohttp application on one host and port, shared by the parts named in `parts`."""

    def __init__(self, host: str, port: int, parts: Iterable[str]) -> None:
        self.host = host
        self.port = port
        self.app = web.Application()
        self.app.router.add_get(HEALTH_PATH, _healthz)
        self._waiting = set(parts)
        self._complete = asyncio.Event()
        if not self._waiting:
            self._complete.set()

    def add(self, part: str, routes: Routes) -> None:
        """Add the routes of `part`, one of the parts this site waits for, before it starts."""
        if part not in self._waiting:
            raise RuntimeError(f"the HTTP site does not expect routes from {part!r} (any more)")
        routes(self.app)
        self._waiting.discard(part)
        if not self._waiting:
            self._complete.set()

    def paths(self) -> list[str]:
        """`METHOD /path` of every route, sorted by path, for the start-up log line."""
        routes = [
            (route.resource.canonical, route.method)
            for route in self.app.router.routes()
            if route.resource is not None and route.method != "HEAD"
        ]
        return [f"{method} {path}" for path, method in sorted(routes)]

    async def serve(self, stop: asyncio.Event) -> None:
        """Wait for every part's routes, listen until `stop` is set, then stop cleanly.

        Answers still on their way go out before the site stops listening. Raises
        `SettingsError` naming ROASTBOT_HTTP_PORT when the port cannot be bound.
        """
        complete = asyncio.ensure_future(self._complete.wait())
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({complete, stopping}, return_when=asyncio.FIRST_COMPLETED)
        complete.cancel()
        stopping.cancel()
        if stop.is_set():
            return
        async with self.running():
            log.info("http: listening on %s:%d (%s)", self.host, self.port, ", ".join(self.paths()))
            await stop.wait()
            await drain()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Listen until the block ends, whatever parts have added so far."""
        async with listening(self.app, self.host, self.port, PORT_SETTING):
            yield


@asynccontextmanager
async def serving_part(
    site: HttpSite | None, part: str, routes: Routes, host: str, port: int
) -> AsyncIterator[None]:
    """Add `routes` to the shared `site`; with none, serve them alone on `host:port`.

    The shared site is started and stopped by its owner (`roastbot run`); a site of one's
    own (an adapter served on its own, as in tests) listens for the length of the block.
    """
    if site is not None:
        site.add(part, routes)
        yield
        return
    own = HttpSite(host, port, [part])
    own.add(part, routes)
    async with own.running():
        yield


class _ServerLog(logging.LoggerAdapter[logging.Logger]):
    """aiohttp's server log, but a request it cannot parse (a stranger's junk, which it
    answers 400) is one INFO line of ours instead of an ERROR with a traceback."""

    def exception(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Log as aiohttp does, unless the failure is a request aiohttp refused with a 4xx."""
        failure = kwargs.get("exc_info")
        if isinstance(failure, HttpProcessingError) and 400 <= failure.code < 500:
            remote = args[0] if args else "?"
            log.info(
                "http: refused a malformed request from %s with %d (%.80s)",
                remote,
                failure.code,
                failure.message,
            )
            return
        super().exception(msg, *args, **kwargs)


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


@asynccontextmanager
async def listening(
    app: web.Application, host: str, port: int, setting: str
) -> AsyncIterator[None]:
    """Listen on `host:port` until the block ends, then stop cleanly.

    A port that cannot be bound raises `SettingsError` naming `setting`, the variable to fix.
    A request aiohttp cannot parse gets its 400 and one INFO line, never a traceback.
    """
    runner = web.AppRunner(app, access_log=None, logger=_ServerLog(SERVER_LOG))
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            raise SettingsError(
                f"{setting}: cannot listen on {host}:{port} ({exc.strerror or exc})"
            ) from None
        yield
    finally:
        await runner.cleanup()
