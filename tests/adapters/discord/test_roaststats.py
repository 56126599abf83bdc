"""`/roaststats` on Discord: the chart uploaded and shown in the embed, the figures as text."""

from __future__ import annotations

import io

from PIL import Image

from tests.adapters.discord.fake_discord import Harness, bot, command

__all__ = ["bot"]  # fixtures


async def test_the_chart_goes_out_as_an_attachment_in_the_embed(bot: Harness) -> None:
    """After a roast, a public answer: payload_json + files[0], embed image and fields."""
    await bot.interact(command("roast")(role="sdet"))
    payload = command("roaststats")(month="2026-11")
    await bot.interact(payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    (sent,) = bot.fake.matching("POST", path)
    assert [(p.name, p.filename) for p in sent.parts] == [
        ("payload_json", None),
        ("files[0]", "roaststats-2026-11.png"),
    ]
    with Image.open(io.BytesIO(sent.file(0).content)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
    data = sent.body["data"]
    assert "flags" not in data
    (embed,) = data["embeds"]
    assert embed["image"] == {"url": "attachment://roaststats-2026-11.png"}
    assert embed["fields"][0]["value"] == r"1\. SDET: 1"  # markdown-escaped, shows "1."


async def test_a_bad_month_is_a_private_line(bot: Harness) -> None:
    """An ephemeral one-liner (flags 64) and no file."""
    body = await bot.interact(command("roaststats")(month="2026-13"))
    assert body["data"]["flags"] == 64
    assert body["data"]["embeds"][0]["description"].startswith("Give the month as YYYY-MM")
