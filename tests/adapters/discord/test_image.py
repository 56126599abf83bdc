"""`/roast role:<role> section:image` on Discord: the PNG uploaded and shown inside the embed."""

from __future__ import annotations

import io

from PIL import Image

from tests.adapters.discord.fake_discord import Harness, bot, command

__all__ = ["bot"]  # fixtures


async def test_the_image_choice_sends_the_png_in_the_embed(bot: Harness) -> None:
    """A public type-4 answer: payload_json + files[0], the embed image `attachment://sdet.png`."""
    payload = command("roast")(role="sdet", section="image")
    await bot.interact(payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    (sent,) = bot.fake.matching("POST", path)
    assert [(p.name, p.filename) for p in sent.parts] == [
        ("payload_json", None),
        ("files[0]", "sdet.png"),
    ]
    assert sent.file(0).content_type == "image/png"
    with Image.open(io.BytesIO(sent.file(0).content)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
    data = sent.body["data"]
    assert "flags" not in data
    assert data["embeds"][0]["image"] == {"url": "attachment://sdet.png"}
    assert data["attachments"] == [{"id": 0, "filename": "sdet.png"}]
