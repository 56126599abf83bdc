"""`roastbot run`: Slack events and Discord interactions served on one shared HTTP site."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

import discord
import pytest
from aiohttp import ClientSession

from bot.cli.run import _serve_platforms
from bot.runtime.context import Context
from bot.runtime.settings import SettingsError
from tests.adapters.discord.fake_discord import TOKEN, fake_settings, running_fake
from tests.adapters.discord.http_interactions import PUBLIC_KEY, signed
from tests.adapters.slack.fake_slack import (
    WAIT,
    FakeSlack,
    SlackBench,
    expected,
    fake,
    slack_settings,
    twin,
)
from tests.logwatch import LogWatch, watching
from tests.process import Running, free_port

__all__ = ["fake", "twin"]  # fixtures

PING = b'{"type":1,"id":"1","application_id":"1"}'


@pytest.fixture
def listening() -> Iterator[LogWatch]:
    """The site's log records, at INFO."""
    with watching("bot.runtime.http_site") as watch:
        yield watch


async def test_slack_and_discord_over_http_share_one_site(
    fake: FakeSlack, context: Context, twin: Context, tmp_path: Path, listening: LogWatch
) -> None:
    """One port: `/healthz`, Slack's `/slack/events` and Discord's `/discord/interactions`."""
    port = free_port()
    original = discord.http.Route.BASE
    try:
        async with running_fake() as discord_fake:
            settings = slack_settings(
                fake,
                tmp_path,
                ROASTBOT_HTTP_PORT=str(port),
                DISCORD_TOKEN=TOKEN,
                DISCORD_API_URL=discord_fake.api_url,
                DISCORD_PUBLIC_KEY=PUBLIC_KEY,
            )
            stop = asyncio.Event()
            serving = asyncio.create_task(
                _serve_platforms(["discord", "slack"], context, settings, stop)
            )
            await asyncio.wait_for(listening.first.wait(), WAIT)
            url = f"http://127.0.0.1:{port}"
            async with ClientSession() as session:
                async with session.get(url + "/healthz") as health:
                    assert health.status == 200
                async with session.post(
                    url + "/discord/interactions", data=PING, headers=signed(PING)
                ) as pong:
                    assert await pong.read() == b'{"type":1}'
            answer = await SlackBench(fake, url).command("/roast", "SDET")
            assert answer.args == await expected(twin, "roast", role="SDET")
            stop.set()
            await asyncio.wait_for(serving, WAIT)
    finally:
        discord.http.Route.BASE = original
    assert listening.lines == [
        f"http: listening on 127.0.0.1:{port} (POST /discord/interactions, GET /healthz,"
        " POST /slack/events)"
    ]


async def test_a_busy_site_port_stops_every_platform_with_one_line(
    context: Context, tmp_path: Path
) -> None:
    """The shared site cannot bind: SettingsError naming ROASTBOT_HTTP_PORT, nothing left running."""
    original = discord.http.Route.BASE
    try:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            async with running_fake() as discord_fake:
                settings = fake_settings(
                    discord_fake, DISCORD_PUBLIC_KEY=PUBLIC_KEY, ROASTBOT_HTTP_PORT=str(port)
                )
                with pytest.raises(SettingsError) as raised:
                    await asyncio.wait_for(
                        _serve_platforms(["discord"], context, settings, asyncio.Event()), WAIT
                    )
    finally:
        discord.http.Route.BASE = original
    assert str(raised.value).startswith(f"ROASTBOT_HTTP_PORT: cannot listen on 127.0.0.1:{port}")
    assert "discord" not in context.posters


def test_run_serves_the_web_pages_on_the_shared_site(tmp_path: Path) -> None:
    """ROASTBOT_WEB=on beside the console: the taxonomy and a record page on ROASTBOT_HTTP_PORT."""
    port = free_port()
    env = {"ROASTBOT_WEB": "on", "ROASTBOT_HTTP_PORT": str(port)}
    with Running("run", "console", cwd=tmp_path, env=env) as bot:
        bot.wait_for("http: listening on")
        with urlopen(f"http://127.0.0.1:{port}/roles/sdet", timeout=WAIT) as page:
            html = page.read().decode()
        with urlopen(f"http://127.0.0.1:{port}/", timeout=WAIT) as index:
            assert "Engineering" in index.read().decode()
    assert page.status == 200 and "SDET" in html and 'property="og:image"' in html
