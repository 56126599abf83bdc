"""Send raw message JSON in answer to an interaction, whatever was sent for it so far.

The renderer's payload goes out byte for byte through discord.py's HTTP client (so rate
limits and `DISCORD_API_URL` apply). What has been sent for an interaction is kept in
`interaction.extras`, so a late answer becomes the right follow-up or edit.
"""

from __future__ import annotations

from typing import Any

import discord
from discord.http import Route

from bot.adapters.discord.render import EPHEMERAL

CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7

STAGE = "roastbot.stage"
DEFERRED_MESSAGE = "deferred-message"
DEFERRED_UPDATE = "deferred-update"
ANSWERED = "answered"

Interaction = discord.Interaction[Any]
"""Any client: the adapter only needs the interaction's HTTP session and ids."""


async def defer(interaction: Interaction, *, update: bool) -> None:
    """Acknowledge now and answer later: a "thinking…" message, or a silent update."""
    kind = DEFERRED_UPDATE_MESSAGE if update else DEFERRED_CHANNEL_MESSAGE
    await _callback(interaction, {"type": kind})
    interaction.extras[STAGE] = DEFERRED_UPDATE if update else DEFERRED_MESSAGE


async def send(interaction: Interaction, payload: dict[str, Any], *, update: bool) -> None:
    """Answer with `payload`: a new message, or (`update`) an edit of the pressed message.

    After a deferral the answer edits or follows up; a private answer to a public
    "thinking…" message replaces it with an ephemeral follow-up.
    """
    edit = {key: value for key, value in payload.items() if key != "flags"}
    private = bool(payload.get("flags", 0) & EPHEMERAL)
    stage = interaction.extras.get(STAGE)
    if stage is None:
        data = edit if update else payload
        await _callback(
            interaction, {"type": UPDATE_MESSAGE if update else CHANNEL_MESSAGE, "data": data}
        )
    elif (stage == DEFERRED_UPDATE and update) or (stage == DEFERRED_MESSAGE and not private):
        await _webhook(interaction, "PATCH", "/messages/@original", edit)
    else:
        if stage == DEFERRED_MESSAGE:
            await _webhook(interaction, "DELETE", "/messages/@original", None)
        await _webhook(interaction, "POST", "", payload)
    interaction.extras[STAGE] = ANSWERED


async def _callback(interaction: Interaction, body: dict[str, Any]) -> None:
    route = Route(
        "POST",
        "/interactions/{webhook_id}/{webhook_token}/callback",
        webhook_id=interaction.id,
        webhook_token=interaction.token,
    )
    await interaction.client.http.request(route, json=body)


async def _webhook(
    interaction: Interaction, method: str, suffix: str, body: dict[str, Any] | None
) -> None:
    route = Route(
        method,
        "/webhooks/{webhook_id}/{webhook_token}" + suffix,
        webhook_id=interaction.application_id,
        webhook_token=interaction.token,
    )
    if body is None:
        await interaction.client.http.request(route)
    else:
        await interaction.client.http.request(route, json=body)
