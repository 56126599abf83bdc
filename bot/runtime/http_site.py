"""Serve an aiohttp application on a port for the length of a block (Slack HTTP, metrics)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.runtime.settings import SettingsError


@asynccontextmanager
async def listening(
    app: web.Application, host: str, port: int, setting: str
) -> AsyncIterator[None]:
    """Listen on `host:port` until the block ends, then stop cleanly.

    A port that cannot be bound raises `SettingsError` naming `setting`, the variable to fix.
    """
    runner = web.AppRunner(app, access_log=None)
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
