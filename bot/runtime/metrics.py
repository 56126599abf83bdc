"""Prometheus metrics: commands served and their latency, daily posts, unexpected errors.

The counters live in prometheus-client's default registry, next to its process and Python
collectors. `serve_metrics` exposes them on `GET /metrics` while `roastbot run` runs.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

from bot.runtime.http_site import listening

METRICS_PATH = "/metrics"

COMMANDS = Counter(
    "roastbot_commands", "Commands served, by platform and command.", ["platform", "command"]
)
LATENCY = Histogram(
    "roastbot_command_seconds",
    "Time from a command's arrival in the core to its reply, by platform and command.",
    ["platform", "command"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DAILY_POSTS = Counter(
    "roastbot_daily_posts",
    "Specimen-of-the-day posts by platform and outcome: posted, or failed (retried or paused).",
    ["platform", "outcome"],
)
ERRORS = Counter(
    "roastbot_errors",
    "Unexpected errors by platform and where they happened: command or daily.",
    ["platform", "source"],
)


@contextmanager
def observe_command(platform: str, command: str) -> Iterator[None]:
    """Count one command and time it, however it ends."""
    started = time.perf_counter()
    try:
        yield
    finally:
        COMMANDS.labels(platform, command).inc()
        LATENCY.labels(platform, command).observe(time.perf_counter() - started)


def count_daily_post(platform: str, *, posted: bool) -> None:
    """Count one specimen-of-the-day post that went out or failed."""
    DAILY_POSTS.labels(platform, "posted" if posted else "failed").inc()


def count_error(platform: str, source: str) -> None:
    """Count one unexpected error (a bug, not a user mistake or a platform refusal)."""
    ERRORS.labels(platform, source).inc()


@asynccontextmanager
async def serve_metrics(host: str, port: int) -> AsyncIterator[str]:
    """Serve `GET /metrics` on `host:port` until the block ends; yields the URL.

    Raises `SettingsError` naming `ROASTBOT_METRICS_PORT` when the port cannot be bound.
    """
    app = web.Application()
    app.router.add_get(METRICS_PATH, _metrics)
    async with listening(app, host, port, "ROASTBOT_METRICS_PORT"):
        yield f"http://{host}:{port}{METRICS_PATH}"


async def _metrics(request: web.Request) -> web.Response:
    return web.Response(
        body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST}
    )
