"""`roastbot run discord` and `build_client`: login, gateway, clean stop, one-line errors."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import discord
import pytest
from pydantic import SecretStr

from bot.adapters.discord import build_client
from bot.adapters.discord.render import message_payload
from bot.adapters.discord.runtime import serve
from bot.cards.model import Card, Reply
from bot.cli import main
from bot.runtime.context import Context
from bot.runtime.settings import Settings, SettingsError
from tests.adapters.discord.fake_discord import TOKEN, fake_settings, running_fake


@pytest.fixture(autouse=True)
def _restore_api_base() -> object:
    """Put discord.py's API base back after each test."""
    original = discord.http.Route.BASE
    yield
    discord.http.Route.BASE = original


async def test_serve_connects_without_privileged_intents_and_stops_cleanly(
    context: Context, caplog: pytest.LogCaptureFixture
) -> None:
    """serve logs in, syncs, identifies with the guilds intent only, and returns once stopped."""
    async with running_fake() as fake:
        stop = asyncio.Event()
        with caplog.at_level(logging.INFO):
            serving = asyncio.create_task(serve(context, fake_settings(fake), stop))
            identify = await fake.wait_for_frame(2)
            stop.set()
            await asyncio.wait_for(serving, 5)
    assert identify["d"]["intents"] == discord.Intents(guilds=True).value
    assert identify["d"]["shard"] == [0, 1]
    started = [r.getMessage() for r in caplog.records if "logged in as roastbot" in r.getMessage()]
    assert len(started) == 1 and "commands synced globally" in started[0]
    assert TOKEN not in caplog.text


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("wrong-token", "DISCORD_TOKEN: Discord refused the token"),
        (None, "DISCORD_TOKEN: not set"),
    ],
)
async def test_a_bad_or_missing_token_is_one_clear_line(
    context: Context, token: str | None, message: str
) -> None:
    """A refused or missing token raises SettingsError naming DISCORD_TOKEN, without the token."""
    async with running_fake() as fake:
        settings = fake_settings(fake).model_copy(
            update={"discord_token": None if token is None else SecretStr(token)}
        )
        with pytest.raises(SettingsError) as caught:
            await serve(context, settings, asyncio.Event())
    assert str(caught.value).startswith(message)
    assert "wrong-token" not in str(caught.value) and "\n" not in str(caught.value)


async def test_build_client_reads_the_environment_and_owns_its_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no arguments the client reads settings from the environment, opens and closes its store."""
    monkeypatch.chdir(tmp_path)
    async with running_fake() as fake:
        monkeypatch.setenv("DISCORD_API_URL", fake.api_url)
        monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
        monkeypatch.setenv("ROASTBOT_DB", str(tmp_path / "bot.sqlite3"))
        client = build_client()
        assert [c.name for c in client.tree.get_commands()] == [
            "roast",
            "burnward",
            "specimen",
            "roasthelp",
            "roaststats",
            "Suggest for burn ward",
        ]
        async with client:
            await client.login(TOKEN)
            assert client.context.catalog.find("sdet") is not None
        assert fake.matching("PUT", "/applications/*")
    assert (tmp_path / "bot.sqlite3").exists()
    with pytest.raises(RuntimeError):
        _ = client.context


def test_the_cli_prints_the_exact_discord_payload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`roastbot roast SDET --format discord` prints the message JSON the bot would send."""
    monkeypatch.chdir(tmp_path)
    assert main(["roast", "SDET", "--format", "discord"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["embeds"][0]["title"] == "SDET"
    assert printed["allowed_mentions"] == {"parse": []}
    assert sorted(printed) == sorted(message_payload(Reply((Card(),))))


def test_building_the_client_logs_nothing_about_voice(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """No PyNaCl or davey warning: roastbot has no voice, so discord.py is told not to warn."""
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)
    with caplog.at_level(logging.WARNING, logger="discord"):
        build_client(Settings(_env_file=None, DISCORD_TOKEN=TOKEN))
    assert [r.getMessage() for r in caplog.records if "voice" in r.getMessage()] == []
