"""Prometheus metrics on /metrics: commands, latency, daily posts, errors."""

from __future__ import annotations

import socket
import urllib.request
from datetime import date
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.cards.model import Reply
from bot.commands import registry
from bot.daily.scheduler import post_due
from bot.runtime.context import Context
from bot.runtime.metrics import serve_metrics
from bot.runtime.poster import DeliveryError
from bot.store import Place
from tests.conftest import FIXED_NOW, invocation
from tests.process import Running, free_port, roastbot

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _samples(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


class _Poster:
    """A platform that posts, or fails every time with a temporary error."""

    def __init__(self, platform: str, fails: bool) -> None:
        self.platform = platform
        self._fails = fails

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        if self._fails:
            raise DeliveryError("503 from the platform", permanent=False)
        return "m1"


async def _no_sleep(seconds: float) -> None:
    return None


async def _boom(context: Context, inv: object) -> object:
    raise RuntimeError("bug")


async def test_metrics_count_commands_latency_daily_posts_and_errors(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each kind of event moves its counter on the scraped /metrics page."""
    port = free_port()
    async with (
        serve_metrics("127.0.0.1", port) as url,
        aiohttp.ClientSession() as http,
    ):
        assert url == f"http://127.0.0.1:{port}/metrics"
        before = _samples(await (await http.get(url)).text())

        monkeypatch.setitem(registry.COMMANDS, "boom", _boom)
        await registry.dispatch(context, invocation("roast", platform="slack", role="SDET"))
        await registry.dispatch(context, invocation("roast", platform="slack", role="nope"))
        await registry.dispatch(context, invocation("boom", platform="discord"))
        await registry.dispatch(context, invocation("no-such-command", platform="discord"))
        for platform in ("console", "flaky"):
            await context.store.subscribe(
                Place(platform, "w", "c"), post_time="09:00", zone="UTC", by="u", now=FIXED_NOW
            )
        posters = {"console": _Poster("console", False), "flaky": _Poster("flaky", True)}
        await post_due(context, posters, FIXED_NOW, sleep=_no_sleep)

        response = await http.get(url)
        assert response.headers["Content-Type"].startswith("text/plain")
        after = _samples(await response.text())

    def moved(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert moved("roastbot_commands_total", platform="slack", command="roast") == 2
    assert moved("roastbot_commands_total", platform="discord", command="boom") == 1
    assert moved("roastbot_commands_total", platform="discord", command="unknown") == 1
    assert moved("roastbot_command_seconds_count", platform="slack", command="roast") == 2
    assert (
        moved("roastbot_command_seconds_bucket", platform="slack", command="roast", le="+Inf") == 2
    )
    assert moved("roastbot_errors_total", platform="discord", source="command") == 1
    assert moved("roastbot_daily_posts_total", platform="console", outcome="posted") == 1
    assert moved("roastbot_daily_posts_total", platform="flaky", outcome="failed") == 1
    assert await context.store.daily(Place("console", "w", "c"), date(2026, 11, 21)) is not None


def test_run_serves_metrics_on_the_configured_port(tmp_path: Path) -> None:
    """`roastbot run` with ROASTBOT_METRICS_PORT serves /metrics while it runs."""
    port = free_port()
    with Running("run", "console", cwd=tmp_path, env={"ROASTBOT_METRICS_PORT": str(port)}) as bot:
        line = bot.wait_for("metrics: Prometheus metrics at")
        assert f"http://127.0.0.1:{port}/metrics" in line
        bot.send("/roast SDET")
        bot.wait_for("Rube Goldberg", stream="stdout")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as page:
            samples = _samples(page.read().decode())
        assert _value(samples, "roastbot_commands_total", platform="console", command="roast") == 1
        assert _value(samples, "process_resident_memory_bytes") > 0
        bot.send("/quit")
        assert bot.wait() == 0


def test_a_taken_metrics_port_is_one_line(tmp_path: Path) -> None:
    """A port already in use stops the bot with one line naming ROASTBOT_METRICS_PORT."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = roastbot("run", "console", cwd=tmp_path, env={"ROASTBOT_METRICS_PORT": str(port)})
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        f"roastbot: ROASTBOT_METRICS_PORT: cannot listen on 127.0.0.1:{port}"
    )
