"""`/roaststats` on Slack: the chart uploaded into the channel, the figures as its comment."""

from __future__ import annotations

import io
import json
from urllib.parse import urlencode

from PIL import Image

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


async def test_the_chart_is_shared_into_the_channel(slack: SlackBench, fake: FakeSlack) -> None:
    """After an unknown role is asked for: the PNG uploaded, its comment the figures in words."""
    await slack.command("/roast", "Quantum Llama Wrangler")
    body = command_payload(fake, "/roaststats", "2026-11", name=slack.name())
    assert await slack.post(urlencode(body)) == (200, "")
    (completed,) = await fake.wait_for("files.completeUploadExternal")
    assert completed.args["channel_id"] == CHANNEL
    (asked,) = fake.to("files.getUploadURLExternal")
    assert asked.args["filename"] == "roaststats-2026-11.png"
    (upload,) = fake.to("upload")
    with Image.open(io.BytesIO(upload.content)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
    assert json.loads(completed.args["files"]) == [
        {"id": upload.path, "title": "roaststats-2026-11.png"}
    ]
    comment = completed.args["initial_comment"]
    assert comment.startswith("Roast stats, 2026-11")
    assert "quantum llama wrangler: 1" in comment


async def test_a_bad_month_is_a_private_line(slack: SlackBench, fake: FakeSlack) -> None:
    """An ephemeral one-liner and no upload."""
    answer = await slack.command("/roaststats", "Nov 2026")
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["text"].startswith("Give the month as YYYY-MM")
    assert fake.to("files.getUploadURLExternal") == []


async def test_a_hostile_role_is_answered_and_counted_as_plain_text(
    slack: SlackBench, fake: FakeSlack
) -> None:
    """A role typed with an override, NUL and ESC: the ephemeral answer and the chart's
    comment quote it without them, and nothing failed on the way to the database."""
    answer = await slack.command("/roast", "\u202eQuantum\x00 Llama\x1b[0m Wrangler")
    assert answer.args["response_type"] == "ephemeral"
    assert "No specimen called 'Quantum Llama[0m Wrangler'" in answer.args["text"]
    assert not any(ch in json.dumps(answer.args) for ch in ("\\u202e", "\\u0000", "\\u001b"))
    body = command_payload(fake, "/roaststats", "2026-11", name=slack.name())
    assert await slack.post(urlencode(body)) == (200, "")
    (completed,) = await fake.wait_for("files.completeUploadExternal")
    assert "quantum llama[0m wrangler: 1" in completed.args["initial_comment"]
    assert slack.errors == []
