"""The Discord client: an `AutoShardedClient` with the command tree and the press listener.

Interactions arrive over the gateway, or (with `DISCORD_PUBLIC_KEY`) through the HTTP
endpoint, which hands them to `receive`: the same tree and listener answer both.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import discord
import yarl
from discord import app_commands

from bot.adapters.discord.commands import build_commands, capture_menu
from bot.adapters.discord.interactions import (
    answer_command,
    answer_component,
    answer_failure,
    answer_modal,
    invocation_of,
    open_capture,
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
ANSWERED_HERE = frozenset({discord.InteractionType.component, discord.InteractionType.modal_submit})
"""Interactions `answer_here` answers; the tree answers commands and autocomplete."""


class RoastClient(discord.AutoShardedClient):
    """roastbot on Discord. No privileged intents; shards chosen by Discord unless the
    settings name them (`DISCORD_SHARD_COUNT`, `DISCORD_SHARD_IDS`).

    `tree` holds the application commands; component presses and submitted forms are
    answered by `answer_here`, which `dispatch` runs for them alone. With no context
    given, one is created in `setup_hook` (at login) and its store closed by `close()`.
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
            **_shards(settings),
        )
        self.rate_watch = watch
        discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
        self.settings = settings
        self.defer_after = DEFER_AFTER
        self._context = context
        self._owns_context = context is None
        self._answering: set[asyncio.Task[None]] = set()
        self.tree: app_commands.CommandTree[RoastClient] = app_commands.CommandTree(self)
        for command in build_commands(self._run_command, self._role_choices):
            self.tree.add_command(command)
        self.tree.add_command(capture_menu(open_capture))
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
            "discord: logged in as %s (application %s) at %s; commands %s %s; %s",
            self.user,
            self.application_id,
            discord.http.Route.BASE,
            "synced" if synced else "unchanged, already registered",
            scope,
            connection_text(self.settings),
        )

    def interaction_of(self, data: dict[str, Any]) -> Interaction:
        """An interaction from its JSON, as the gateway's INTERACTION_CREATE builds it."""
        return discord.Interaction(data=data, state=self._connection)  # type: ignore[arg-type]

    async def receive(self, interaction: Interaction) -> None:
        """Answer an interaction delivered over HTTP exactly as one from the gateway.

        Autocomplete for an option no callback completes is left unanswered with one
        warning line (discord.py would log an ERROR with a traceback for it).
        """
        if interaction.type in ANSWERED_HERE:
            await self.answer_here(interaction)
            return
        if interaction.type is discord.InteractionType.autocomplete and not self._completes(
            interaction
        ):
            log.warning("discord: autocomplete for an option this bot does not complete")
            return
        # what discord.py's gateway parser runs for commands and autocomplete
        try:
            await self.tree._call(interaction)
        except app_commands.AppCommandError as exc:
            await self.tree._dispatch_error(interaction, exc)

    def _completes(self, interaction: Interaction) -> bool:
        """Whether the focused option of an autocomplete has a callback to complete it
        (a command that cannot be found is left to the tree, which answers it as stale)."""
        try:
            command, options = self.tree._get_app_command_options(interaction.data)  # type: ignore[arg-type]
        except app_commands.AppCommandError:
            return True
        focused = next((option["name"] for option in options if option.get("focused")), "")
        parameter = command.get_parameter(focused)
        return parameter is not None and parameter.autocomplete

    async def launch_shards(self) -> None:
        """Connect this process's shards; the gateway's address always comes from Discord.

        discord.py skips `GET /gateway/bot` when the shard count is given and dials its
        built-in address instead; asking keeps Discord's advice and `DISCORD_API_URL` in force.
        """
        if self.shard_count is None or self.is_closed():
            await super().launch_shards()
            return
        _, gateway_url, _ = await self.http.get_bot_gateway()
        self._connection.shard_count = self.shard_count
        shard_ids = self.shard_ids or list(range(self.shard_count))
        self._connection.shard_ids = shard_ids
        for shard_id in shard_ids:
            initial = shard_id == shard_ids[0]
            await self.launch_shard(yarl.URL(gateway_url), shard_id, initial=initial)

    def dispatch(self, event: str, /, *args: Any, **kwargs: Any) -> None:
        """discord.py's event dispatch, plus a task for each press, menu choice or form.

        Not an `on_interaction` listener: discord.py would schedule that task for every
        interaction, commands included, only for it to return at once.
        """
        super().dispatch(event, *args, **kwargs)
        if event == "interaction" and args[0].type in ANSWERED_HERE:
            task = asyncio.create_task(self.answer_here(args[0]), name="discord-interaction")
            self._answering.add(task)  # held until done, so it is not garbage-collected
            task.add_done_callback(self._answering.discard)

    async def answer_here(self, interaction: Interaction) -> None:
        """Answer a button press, a menu choice or a form; commands go through the tree."""
        try:
            if interaction.type is discord.InteractionType.modal_submit:
                await answer_modal(self.context, interaction, self.defer_after)
            else:
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


def _shards(settings: Settings) -> dict[str, Any]:
    """The shard arguments for this process; none when Discord chooses."""
    if settings.discord_shard_ids:
        return {
            "shard_count": settings.discord_shard_count,
            "shard_ids": list(settings.discord_shard_ids),
        }
    if settings.discord_shard_count is not None:
        return {"shard_count": settings.discord_shard_count}
    return {}


def connection_text(settings: Settings) -> str:
    """How this process receives interactions, for the start-up log line."""
    if settings.discord_public_key is not None:
        return "serving interactions over HTTP at POST /discord/interactions, no gateway"
    shards = "automatic sharding"
    if settings.discord_shard_ids:
        shards = f"shards {_ranges(settings.discord_shard_ids)} of {settings.discord_shard_count}"
    elif settings.discord_shard_count is not None:
        shards = f"all {settings.discord_shard_count} shards"
    return f"connecting to the gateway with {shards}, no privileged intents"


def _ranges(ids: tuple[int, ...]) -> str:
    """`0-3,6` for (0, 1, 2, 3, 6)."""
    runs: list[list[int]] = []
    for shard in ids:
        if runs and shard == runs[-1][-1] + 1:
            runs[-1].append(shard)
        else:
            runs.append([shard])
    return ",".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
