"""Register the application commands with Discord, only when they changed.

Discord rate-limits command registration, so the payload's hash is kept in the store
and a restart with the same commands, to the same place, sends nothing. Global by default;
with a development guild the commands are copied there and show up at once.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import discord
from discord import app_commands

from bot.store import Store

STATE_KEY = "discord.command-sync.{application_id}"


async def sync_commands(
    tree: app_commands.CommandTree[Any], store: Store, now: datetime, guild_id: int | None
) -> bool:
    """Sync the tree globally, or to `guild_id`, unless unchanged since the last sync.

    Returns whether anything was sent to Discord.
    """
    guild = discord.Object(id=guild_id) if guild_id is not None else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    digest = hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    scope = f"guild {guild_id}" if guild_id is not None else "global"
    key = STATE_KEY.format(application_id=tree.client.application_id)
    state = f"{scope} {digest}"
    if await store.get_state(key) == state:
        return False
    await tree.sync(guild=guild)
    await store.set_state(key, state, now)
    return True
