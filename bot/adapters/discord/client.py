"""The Discord client: an `AutoShardedClient` with the command tree and the press listener."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import discord
from discord import app_commands

from bot.adapters.discord.commands import build_commands
from bot.adapters.discord.interactions import (
    answer_command,
    answer_component,
    answer_failure,
    invocation_of,
)
from bot.adapters.discord.poster import DiscordPoster
from bot.adapters.discord.ratelimits import RateWatch
from bot.adapters.discord.responses import Interaction
from bot.adapters.discord.sync import sync_commands
from bot.runtime.context import Context
from bot.runtime.settings import Settings
from bot.runtime.startup import create_context

log = logging.getLogger(__name__)

DEFER_AFTER = 2.0
"""Seconds the core may take before the interaction is deferred (Discord allows 3)."""
MAX_RATELIMIT_WAIT = 30.0


class RoastClient(discord.AutoShardedClient):
    """roastbot on Discord. No privileged intents; shards chosen by Discord.

    `tree` holds the application commands; component presses are answered from
    `on_interaction`. With no context given, one is created in `setup_hook` (at login)
    and its store closed by `close()`.
    """

    def __init__(self, settings: Settings, context: Context | None = None) -> None:
        # roastbot joins no voice channel: discord.py's warnings about voice libraries are noise
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        watch = RateWatch()
        super().__init__(
            intents=discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
            http_trace=watch.trace_config(),
        )
        self.rate_watch = watch
        discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
        self.settings = settings
        self.defer_after = DEFER_AFTER
        self._context = context
        self._owns_context = context is None
        self.tree: app_commands.CommandTree[RoastClient] = app_commands.CommandTree(self)
        for command in build_commands(self._run_command, self._role_choices):
            self.tree.add_command(command)
        self.tree.error(answer_failure)

    @property
    def context(self) -> Context:
        """The catalog and store the commands run against (available from login on)."""
        if self._context is None:
            raise RuntimeError("the Discord client has no context before setup_hook")
        return self._context

    @property
    def poster(self) -> DiscordPoster:
        """A `bot.runtime.poster.Poster` over this client's HTTP session (after login)."""
        return DiscordPoster(self.http, self.rate_watch)

    async def setup_hook(self) -> None:
        """At login: open the context if needed, register the commands if they changed."""
        if self._context is None:
            self._context = await create_context(self.settings)
        guild_id = self.settings.discord_dev_guild
        synced = await sync_commands(self.tree, self.context.store, self.context.clock(), guild_id)
        scope = f"in guild {guild_id}" if guild_id is not None else "globally"
        log.info(
            "discord: logged in as %s (application %s) at %s; commands %s %s; "
            "connecting to the gateway with automatic sharding, no privileged intents",
            self.user,
            self.application_id,
            discord.http.Route.BASE,
            "synced" if synced else "unchanged, already registered",
            scope,
        )

    async def on_interaction(self, interaction: Interaction) -> None:
        """Answer button presses and menu choices; commands go through the tree."""
        if interaction.type is not discord.InteractionType.component:
            return
        try:
            await answer_component(self.context, interaction, self.defer_after)
        except Exception as exc:
            await answer_failure(interaction, exc)

    async def close(self) -> None:
        """Disconnect, then close the store if this client opened it."""
        await super().close()
        if self._owns_context and self._context is not None:
            context, self._context = self._context, None
            await context.store.close()

    async def _run_command(
        self,
        interaction: Interaction,
        command: str,
        subcommand: str | None,
        options: Mapping[str, str | int | None],
    ) -> None:
        invocation = invocation_of(interaction, command, subcommand, options)
        await answer_command(self.context, interaction, invocation, self.defer_after)

    def _role_choices(self, current: str) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=choice.name, value=choice.value)
            for choice in self.context.catalog.autocomplete(current)
        ]
