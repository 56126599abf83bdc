"""Prometheus metrics: commands served and their latency, daily posts, unexpected errors.

`serve_metrics` exposes them on `GET /metrics` while `roastbot run` runs with
`ROASTBOT_METRICS_PORT` set, and counting starts then: only then are prometheus-client and
aiohttp's server imported (`bot.runtime.prometheus`). Until then, and in every one-shot
command, the functions here count nothing and cost nothing.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from types import ModuleType

METRICS_PATH = "/metrics"

_served: ModuleType | None = None
"""`bot.runtime.prometheus` once metrics are served; None until then."""


@contextmanager
def observe_command(platform: str, command: str) -> Iterator[None]:
    """Count one command and time it, however it ends."""
    counters = _served
    if counters is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        counters.COMMANDS.labels(platform, command).inc()
        counters.LATENCY.labels(platform, command).observe(time.perf_counter() - started)


def count_daily_post(platform: str, *, posted: bool) -> None:
    """Count one specimen-of-the-day post that went out or failed."""
    if _served is not None:
        _served.DAILY_POSTS.labels(platform, "posted" if posted else "failed").inc()


def count_error(platform: str, source: str) -> None:
    """Count one unexpected error (a bug, not a user mistake or a platform refusal)."""
    if _served is not None:
        _served.ERRORS.labels(platform, source).inc()


@asynccontextmanager
async def serve_metrics(host: str, port: int) -> AsyncIterator[str]:
    """Start counting and serve `GET /metrics` on `host:port` until the block ends; yields the URL.

    Raises `SettingsError` naming `ROASTBOT_METRICS_PORT` when the port cannot be bound.
    """
    global _served
    from aiohttp import web

    from bot.runtime import prometheus
    from bot.runtime.http_site import listening

    _served = prometheus
    app = web.Application()
    app.router.add_get(METRICS_PATH, prometheus.scrape)
    async with listening(app, host, port, "ROASTBOT_METRICS_PORT"):
        yield f"http://{host}:{port}{METRICS_PATH}"
