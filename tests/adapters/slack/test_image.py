"""`/roast <role> image` on Slack: the PNG uploaded into the channel it was asked in."""

from __future__ import annotations

import io
import json
from urllib.parse import urlencode

from aiohttp import web
from PIL import Image

from bot.adapters.slack.files import NOT_SHARED
from tests.adapters.slack.fake_slack import (
    CHANNEL,
    FakeSlack,
    SlackBench,
    command_payload,
    fake,
    slack,
    twin,
)

__all__ = ["fake", "slack", "twin"]  # fixtures


async def test_the_picture_is_shared_into_the_channel(slack: SlackBench, fake: FakeSlack) -> None:
    """getUploadURLExternal, the PNG bytes, completeUploadExternal into the channel; no DM."""
    body = command_payload(fake, "/roast", "Enterprise Architect image", name=slack.name())
    assert await slack.post(urlencode(body)) == (200, "")
    (completed,) = await fake.wait_for("files.completeUploadExternal")
    assert completed.args["channel_id"] == CHANNEL
    assert fake.to("conversations.open") == []
    (asked,) = fake.to("files.getUploadURLExternal")
    assert asked.args["filename"] == "enterprise-architect.png"
    (upload,) = fake.to("upload")
    with Image.open(io.BytesIO(upload.content)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
    assert json.loads(completed.args["files"]) == [
        {"id": upload.path, "title": "enterprise-architect.png"}
    ]
    assert completed.args["initial_comment"].startswith("Enterprise Architect")
    assert fake.to("response") == []  # the picture and its comment are the whole answer


async def test_a_channel_without_the_bot_gets_a_private_line_saying_why(
    slack: SlackBench, fake: FakeSlack
) -> None:
    """Slack refuses the share (not_in_channel): an ephemeral one-liner on inviting the bot."""
    fake.answers["files.completeUploadExternal"] = lambda call: web.json_response(
        {"ok": False, "error": "not_in_channel"}
    )
    answer = await slack.command("/roast", "SDET image")
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["text"] == NOT_SHARED
