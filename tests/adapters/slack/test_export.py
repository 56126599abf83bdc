"""`/burnward export` on Slack: the file uploaded to the admin's DM, never to the channel."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from aiohttp import web

from bot.adapters.slack.files import SENT
from bot.adapters.slack.render import message_payload
from bot.cards.model import Card, Reply, Tone
from bot.runtime.context import Context
from tests.adapters.slack.fake_slack import (
    ADMIN,
    OTHER_TEAM,
    TEAM,
    FakeSlack,
    SlackBench,
    dm_channel,
    expected,
    fake,
    slack,
    twin,
)
from tests.conftest import seed_quotes
from tests.process import cli_export

__all__ = ["fake", "slack", "twin"]  # fixtures

EVIL = "Ping <!channel> and <@U123> & weep"
FILE = f"burnward-slack-{TEAM}-2026-11-21"
UPLOAD_METHODS = ("conversations.open", "files.getUploadURLExternal", "upload")


async def _seed(context: Context) -> None:
    await seed_quotes(context.store, f"slack:{TEAM}", ["Flaky by design", EVIL], removed=1)
    await seed_quotes(context.store, f"slack:{OTHER_TEAM}", ["Not from this team"])


@pytest.mark.parametrize(("text", "fmt"), [("export", "yaml"), ("export JSON", "json")])
async def test_an_admin_gets_the_cli_export_in_a_direct_message(
    slack: SlackBench, fake: FakeSlack, context: Context, tmp_path: Path, text: str, fmt: str
) -> None:
    """conversations.open, the upload and completeUploadExternal into the DM; an ephemeral note."""
    await _seed(context)
    answer = await slack.command("/burnward", text, user=ADMIN)
    summary = "2 quotes added in this workspace, 1 of them removed."
    card = Card(
        description=summary,
        footer=f"{FILE}.{fmt}: roastbot quotes import reads it back.",
        tone=Tone.SUCCESS,
    )
    sent = Card(description=SENT, tone=Tone.SUCCESS)
    assert answer.args == message_payload(Reply((card, sent), private=True)) | {
        "response_type": "ephemeral"
    }

    expected = await asyncio.to_thread(
        cli_export, tmp_path / "roastbot.sqlite3", f"slack:{TEAM}", fmt
    )
    assert EVIL.encode() in expected and b"Not from this team" not in expected
    (opened,) = fake.to("conversations.open")
    assert opened.args["users"] == ADMIN
    (asked,) = fake.to("files.getUploadURLExternal")
    assert (asked.args["filename"], asked.args["length"]) == (f"{FILE}.{fmt}", str(len(expected)))
    (upload,) = fake.to("upload")
    assert upload.content == expected
    (completed,) = fake.to("files.completeUploadExternal")
    assert completed.args["channel_id"] == dm_channel(ADMIN)
    assert "channels" not in completed.args
    assert json.loads(completed.args["files"]) == [{"id": upload.path, "title": f"{FILE}.{fmt}"}]
    assert completed.args["initial_comment"] == summary
    assert fake.to("chat.postMessage") == []


async def test_a_member_is_refused_and_nothing_is_uploaded(
    slack: SlackBench, fake: FakeSlack, context: Context, twin: Context
) -> None:
    """A plain member gets the core's private refusal; no DM is opened, no file leaves."""
    await _seed(context)
    answer = await slack.command("/burnward", "export")
    assert answer.args == await expected(twin, "burnward", "export")
    assert answer.args["text"] == "Only admins of this workspace can export the burn ward."
    assert [
        c for c in fake.calls if c.method in UPLOAD_METHODS or c.method.startswith("files.")
    ] == []


async def test_a_missing_scope_is_named_and_nothing_is_shared(
    slack: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """An app installed without im:write says which scope to add; nothing reaches a channel."""
    await _seed(context)
    fake.answers["conversations.open"] = lambda call: web.json_response(
        {"ok": False, "error": "missing_scope", "needed": "im:write", "provided": "commands"}
    )
    answer = await slack.command("/burnward", "export", user=ADMIN)
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["text"].startswith(
        "Could not send you the file: the Slack app lacks the im:write scope."
    )
    assert fake.to("upload") == [] and fake.to("files.completeUploadExternal") == []
