"""`roastbot run discord` over HTTP interactions, and the gateway split into shards."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator

import discord
import pytest
from aiohttp import ClientSession

from bot.adapters.discord.runtime import serve
from bot.runtime.context import Context
from tests.adapters.discord.fake_discord import fake_settings, running_fake
from tests.adapters.discord.http_interactions import PUBLIC_KEY, signed

PING = b'{"type":1,"id":"1","application_id":"1"}'


class LogSignal(logging.Handler):
    """Records the Discord runtime's log lines and signals when one contains `text`."""

    def __init__(self, text: str) -> None:
        super().__init__(logging.INFO)
        self.text = text
        self.lines: list[str] = []
        self.seen = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
        if self.text in self.lines[-1]:
            self.seen.set()


@pytest.fixture
def started() -> Iterator[LogSignal]:
    """Signals the runtime's "interactions at" line (the endpoint is listening)."""
    handler = LogSignal("interactions at POST /discord/interactions")
    loggers = [logging.getLogger(name) for name in ("bot.adapters.discord", "discord")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield handler
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture(autouse=True)
def _restore_api_base() -> Iterator[None]:
    """Put discord.py's API base back after each test."""
    original = discord.http.Route.BASE
    yield
    discord.http.Route.BASE = original


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_with_a_public_key_it_serves_http_and_opens_no_gateway(
    context: Context, started: LogSignal
) -> None:
    """DISCORD_PUBLIC_KEY: commands synced over REST, PING answered on the port, no gateway."""
    port = free_port()
    async with running_fake() as fake:
        settings = fake_settings(fake, DISCORD_PUBLIC_KEY=PUBLIC_KEY, ROASTBOT_HTTP_PORT=str(port))
        stop = asyncio.Event()
        serving = asyncio.create_task(serve(context, settings, stop))
        await asyncio.wait_for(started.seen.wait(), 5)
        url = f"http://127.0.0.1:{port}/discord/interactions"
        async with ClientSession() as session:
            async with session.post(url, data=PING, headers=signed(PING)) as response:
                assert (response.status, await response.read()) == (200, b'{"type":1}')
            async with session.post(url, data=PING) as response:
                assert response.status == 401
        assert context.posters["discord"].platform == "discord"
        stop.set()
        await asyncio.wait_for(serving, 5)
    assert fake.matching("PUT", "/applications/*")
    assert not fake.matching("GET", "/gateway/bot") and fake.gateway_frames == []
    assert "discord" not in context.posters
    login = next(line for line in started.lines if "logged in as" in line)
    assert login.endswith(
        "serving interactions over HTTP at POST /discord/interactions, no gateway"
    )


async def test_shard_settings_choose_the_shards_this_process_runs(
    context: Context, caplog: pytest.LogCaptureFixture
) -> None:
    """DISCORD_SHARD_COUNT=4, DISCORD_SHARD_IDS=3: the gateway is identified as shard [3, 4]."""
    async with running_fake() as fake:
        settings = fake_settings(fake, DISCORD_SHARD_COUNT="4", DISCORD_SHARD_IDS="3")
        stop = asyncio.Event()
        with caplog.at_level(logging.INFO):
            serving = asyncio.create_task(serve(context, settings, stop))
            identify = await fake.wait_for_frame(2)
            stop.set()
            await asyncio.wait_for(serving, 5)
    assert identify["d"]["shard"] == [3, 4]
    assert "connecting to the gateway with shards 3 of 4" in caplog.text
