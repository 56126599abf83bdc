"""`/burnward export` on Discord: the file as a multipart attachment, for managers only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.runtime.context import Context
from tests.adapters.discord.fake_discord import (
    APP_ID,
    GUILD,
    MANAGE_SERVER,
    OTHER_GUILD,
    Harness,
    Recorded,
    command,
    discord_harness,
)
from tests.conftest import seed_quotes
from tests.process import cli_export

NO_MENTIONS: dict[str, list[str]] = {"parse": []}
EXPORT = command("burnward", "export", permissions=MANAGE_SERVER)
FILE = f"burnward-discord-{GUILD}-2026-11-21"
HOSTILE = "@everyone <@123456789012345678> **ships it** `rm -rf`"


@pytest_asyncio.fixture
async def bot(context: Context) -> AsyncIterator[Harness]:
    """A client logged in against a fake Discord, with quotes in this guild and another."""
    await seed_quotes(context.store, f"discord:{GUILD}", ["Flaky by design", HOSTILE], removed=1)
    await seed_quotes(context.store, f"discord:{OTHER_GUILD}", ["Not from this server"])
    async with discord_harness(context) as harness:
        yield harness


async def callback(bot: Harness, payload: dict[str, object]) -> Recorded:
    """The recorded interaction callback for `payload`, once it arrived."""
    await bot.interact(payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    return bot.fake.matching("POST", path)[0]


@pytest.mark.parametrize(("options", "fmt"), [({}, "yaml"), ({"format": "json"}, "json")])
async def test_a_manager_gets_the_cli_export_as_an_ephemeral_attachment(
    bot: Harness, tmp_path: Path, options: dict[str, str], fmt: str
) -> None:
    """Type 4, ephemeral, payload_json + files[0]: the bytes `roastbot quotes export` writes."""
    sent = await callback(bot, EXPORT(**options))
    assert [(p.name, p.filename) for p in sent.parts] == [
        ("payload_json", None),
        ("files[0]", f"{FILE}.{fmt}"),
    ]
    assert sent.file(0).content_type == f"application/{fmt}"
    assert sent.body == {
        "type": 4,
        "data": {
            "embeds": [
                {
                    "description": "2 quotes added in this server, 1 of them removed.",
                    "color": 0x57F287,
                    "footer": {"text": f"{FILE}.{fmt}: roastbot quotes import reads it back."},
                }
            ],
            "components": [],
            "allowed_mentions": NO_MENTIONS,
            "flags": 64,
            "attachments": [{"id": 0, "filename": f"{FILE}.{fmt}"}],
        },
    }
    expected = await asyncio.to_thread(
        cli_export, tmp_path / "roastbot.sqlite3", f"discord:{GUILD}", fmt
    )
    assert sent.file(0).content == expected
    assert HOSTILE.encode() in expected and b"Not from this server" not in expected


async def test_a_member_without_manage_server_is_refused_with_no_file(bot: Harness) -> None:
    """Whatever the client showed them, a plain member gets a private refusal and no upload."""
    sent = await callback(bot, command("burnward", "export", permissions="0")(format="json"))
    assert sent.parts == ()
    data = sent.body["data"]
    assert data["flags"] == 64 and "attachments" not in data
    assert data["embeds"][0]["description"] == (
        "Only admins of this server can export the burn ward."
    )


async def test_a_slow_export_follows_up_with_the_file(bot: Harness, tmp_path: Path) -> None:
    """Deferred first: the public placeholder goes, and an ephemeral follow-up carries the file."""
    bot.client.defer_after = 0
    payload = EXPORT()
    assert await bot.interact(payload) == {"type": 5}
    webhook = f"/webhooks/{APP_ID}/{payload['token']}"
    followup = (await bot.fake.wait_for("POST", webhook))[0]
    assert bot.fake.matching("DELETE", f"{webhook}/messages/@original")
    assert followup.body["flags"] == 64
    assert followup.body["attachments"] == [{"id": 0, "filename": f"{FILE}.yaml"}]
    expected = await asyncio.to_thread(
        cli_export, tmp_path / "roastbot.sqlite3", f"discord:{GUILD}"
    )
    assert followup.file(0).content == expected


async def test_a_file_over_the_servers_upload_limit_is_not_sent(
    bot: Harness, tmp_path: Path
) -> None:
    """Beyond the interaction's attachment_size_limit: a private notice instead of a failed upload."""
    payload = EXPORT()
    payload["attachment_size_limit"] = 100
    sent = await callback(bot, payload)
    assert sent.parts == () and "attachments" not in sent.body["data"]
    assert sent.body["data"]["flags"] == 64
    size = len(cli_export(tmp_path / "roastbot.sqlite3", f"discord:{GUILD}"))
    assert sent.body["data"]["embeds"][0]["description"] == (
        f"{FILE}.yaml is {size:,} bytes, more than Discord accepts in this server (100 bytes)."
        " Nothing was sent; the bot's operator can produce the file on the bot's host."
    )
