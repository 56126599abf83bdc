"""The Prometheus counters and the `GET /metrics` page, imported only where metrics are served.

The counters live in prometheus-client's default registry, next to its process and Python
collectors.
"""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

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


async def scrape(request: web.Request) -> web.Response:
    """The `GET /metrics` page: every metric in the default registry, in Prometheus' format."""
    return web.Response(
        body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST}
    )
