"""`roastbot run discord`: serve Discord until asked to stop.

Over the gateway by default (this process's shards chosen by Discord, or by
`DISCORD_SHARD_COUNT` and `DISCORD_SHARD_IDS`); with `DISCORD_PUBLIC_KEY` set, over HTTP at
`POST /discord/interactions` on the shared HTTP site, with no gateway connection at all.
Either way the commands are registered over REST at login and daily posts go over REST.

For posting outside interactions (the specimen of the day), use `client.poster` of a
running client, or `open_poster(settings)`, which logs in over HTTP only (no gateway),
e.g. for `roastbot post-due`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import aiohttp
import discord

from bot.adapters.discord.client import MAX_RATELIMIT_WAIT, RoastClient
from bot.adapters.discord.endpoint import PATH, InteractionsEndpoint
from bot.adapters.discord.poster import DiscordPoster
from bot.adapters.discord.ratelimits import RateWatch
from bot.adapters.discord.signature import SignatureCheck
from bot.runtime.context import Context
from bot.runtime.http_site import HttpSite, serving_part
from bot.runtime.lifecycle import drain
from bot.runtime.settings import Settings, SettingsError

log = logging.getLogger(__name__)

REFUSED = "DISCORD_TOKEN: Discord refused the token; copy it again from the Developer Portal"


PLATFORM = "discord"


def needs_http(settings: Settings) -> bool:
    """Whether Discord is served over HTTP interactions (`DISCORD_PUBLIC_KEY` set)."""
    return settings.discord_public_key is not None


async def serve(
    context: Context, settings: Settings, stop: asyncio.Event, site: HttpSite | None = None
) -> None:
    """Log in, register the commands if they changed, and serve until `stop` is set.

    Raises `SettingsError` (one line) for a missing or refused token or an unreachable API.
    Over HTTP the endpoint is added to `site`, or with none served on
    `ROASTBOT_HTTP_HOST`:`ROASTBOT_HTTP_PORT` alone.
    """
    client = RoastClient(settings, context)
    async with client:
        await _login(client, settings)
        context.connect_poster(client.poster)
        if settings.discord_public_key is not None:
            await _serve_http(client, settings.discord_public_key, context, settings, site, stop)
        else:
            await _serve_gateway(client, stop)
    context.disconnect_poster(PLATFORM)
    log.info("discord: disconnected")


async def _serve_http(
    client: RoastClient,
    public_key: str,
    context: Context,
    settings: Settings,
    site: HttpSite | None,
    stop: asyncio.Event,
) -> None:
    endpoint = InteractionsEndpoint(client, SignatureCheck(public_key), context.clock)
    host, port = settings.http_host, settings.http_port
    async with serving_part(site, PLATFORM, endpoint.routes, host, port):
        log.info(
            "discord: interactions at POST %s on %s:%d, no gateway connection", PATH, host, port
        )
        await stop.wait()
        await drain()  # answers still on their way go out before the site stops


async def _serve_gateway(client: RoastClient, stop: asyncio.Event) -> None:
    connection = asyncio.create_task(client.connect(), name="discord-gateway")
    stopping = asyncio.create_task(stop.wait(), name="discord-stop")
    await asyncio.wait({connection, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    await drain()  # answers still on their way go out before the session closes
    await client.close()
    if connection.done():
        connection.result()
    else:
        connection.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await connection


@contextlib.asynccontextmanager
async def open_poster(settings: Settings) -> AsyncIterator[DiscordPoster]:
    """A Discord poster over HTTP only, without the gateway or command sync."""
    watch = RateWatch()
    client = discord.Client(
        intents=discord.Intents.none(),
        max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
        http_trace=watch.trace_config(),
    )
    discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
    async with client:
        await _login(client, settings)
        yield DiscordPoster(client.http, watch)


async def _login(client: discord.Client, settings: Settings) -> None:
    if settings.discord_token is None:
        raise SettingsError("DISCORD_TOKEN: not set, so Discord cannot be served")
    try:
        await client.login(settings.discord_token.get_secret_value())
    except discord.LoginFailure:
        raise SettingsError(REFUSED) from None
    except (aiohttp.ClientError, OSError) as exc:
        raise SettingsError(
            f"DISCORD_API_URL: cannot reach {settings.discord_api_url} ({exc.__class__.__name__})"
        ) from None
