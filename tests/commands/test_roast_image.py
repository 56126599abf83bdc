"""`/roast <role> image`: the file record as a PNG attachment shown in its card; page links."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from bot.adapters.discord.render import message_payload as discord_payload
from bot.adapters.slack.render import message_payload as slack_payload
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from tests.conftest import invocation

PUBLIC = "https://roast.example"


@pytest.mark.parametrize(
    "options",
    [
        {"role": "Enterprise Architect image"},
        {"role": "enterprise architect", "section": "image"},
        {"role": "Chief Architect", "section": "Image"},
    ],
)
async def test_the_image_form_answers_with_the_png_in_its_card(
    context: Context, options: dict[str, str]
) -> None:
    """Typed `<role> image` or the section option `image`: one public PNG, named for the role."""
    reply = await dispatch(context, invocation("roast", **options))
    (attachment,) = reply.attachments
    assert (attachment.filename, attachment.mime) == ("enterprise-architect.png", "image/png")
    with Image.open(io.BytesIO(attachment.content)) as image:
        assert image.size == (1200, 630)
    assert not reply.private
    assert reply.cards[0].image == "enterprise-architect.png"


async def test_discord_shows_the_attachment_inside_the_embed(context: Context) -> None:
    """The embed's image is `attachment://<file>`, the file listed as attachment 0."""
    reply = await dispatch(context, invocation("roast", role="SDET image"))
    payload = discord_payload(reply)
    assert payload["embeds"][0]["image"] == {"url": "attachment://sdet.png"}
    assert payload["attachments"] == [{"id": 0, "filename": "sdet.png"}]


async def test_with_a_public_url_every_roast_card_links_its_title_to_the_page(
    context: Context,
) -> None:
    """ROASTBOT_PUBLIC_URL set: the Discord embed url and the Slack title link are the page."""
    linked = replace(context, public_url=PUBLIC)
    page = f"{PUBLIC}/roles/enterprise-architect"
    for options in ({"role": "Enterprise Architect"}, {"role": "SDET", "section": "salary"}):
        reply = await dispatch(linked, invocation("roast", **options))
        assert reply.cards[0].url.startswith(f"{PUBLIC}/roles/")
    reply = await dispatch(linked, invocation("roast", role="Enterprise Architect"))
    assert discord_payload(reply)["embeds"][0]["url"] == page
    blocks = slack_payload(reply)["blocks"]
    assert blocks[0] == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": f"*<{page}|Enterprise Architect>*", "verbatim": True},
    }


async def test_without_a_public_url_cards_carry_no_link(context: Context) -> None:
    """No ROASTBOT_PUBLIC_URL: no embed url, and Slack keeps its plain header."""
    reply = await dispatch(context, invocation("roast", role="Enterprise Architect"))
    assert "url" not in discord_payload(reply)["embeds"][0]
    assert slack_payload(reply)["blocks"][0]["type"] == "header"
