"""Run the Slack app: Socket Mode when `SLACK_APP_TOKEN` is set, otherwise HTTP.

HTTP mode adds `POST /slack/events` (slash commands, interactivity and the modal's options),
through the `Gate` that keeps a stranger's junk away from Bolt, to the shared HTTP site
(`bot.runtime.http_site`), beside `GET /healthz`; served alone, it listens on
`ROASTBOT_HTTP_HOST`:`ROASTBOT_HTTP_PORT` itself. Socket Mode needs no
public URL. Either way the first log line says which mode runs and as whom.

Installed in many workspaces (`SLACK_CLIENT_ID` and `SLACK_CLIENT_SECRET`, no bot token),
it is HTTP mode plus `GET /slack/install` and `GET /slack/oauth_redirect` (see `oauth`),
and no token is checked at start: each workspace brings its own.

While serving, `context.posters["slack"]` holds the `SlackPoster` the specimen-of-the-day
scheduler posts with; `bot.adapters.slack.poster.open_poster(settings)` gives one without
serving (for `roastbot post-due`).
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.bolt_app import create_app, signing_secret
from bot.adapters.slack.client import identify, open_web_client
from bot.adapters.slack.contexts import ContextSource
from bot.adapters.slack.gate import Gate
from bot.adapters.slack.installations import StoreInstallations, installed_tokens
from bot.adapters.slack.listeners import PLATFORM
from bot.adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH, oauth_routes
from bot.adapters.slack.poster import SlackPoster
from bot.runtime.context import Context
from bot.runtime.http_site import HEALTH_PATH, HttpSite, Routes, serving_part
from bot.runtime.lifecycle import drain
from bot.runtime.settings import Settings, SettingsError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MANY = "the workspaces that install it (SLACK_CLIENT_ID)"
APP_TOKEN_PREFIX = "xapp-"


def needs_http(settings: Settings) -> bool:
    """Whether Slack is served over HTTP (no `SLACK_APP_TOKEN`), so on the shared site."""
    return settings.slack_app_token is None


async def serve(
    context: Context, settings: Settings, stop: asyncio.Event, site: HttpSite | None = None
) -> None:
    """Serve Slack until `stop` is set, then disconnect or stop listening cleanly.

    Raises `SettingsError` (one line naming the variable) for a missing or refused token.
    HTTP mode adds its routes to `site`, or with none listens on
    `ROASTBOT_HTTP_HOST`:`ROASTBOT_HTTP_PORT` itself; Socket Mode listens nowhere.
    """
    async with open_web_client(settings) as client:  # one session for every call
        app = create_app(settings, ContextSource(settings, context), client)
        who = MANY if settings.slack_multi_workspace else await identify(client)
        try:
            if settings.slack_app_token is not None:
                app_token = settings.slack_app_token.get_secret_value()
                await _serve_socket_mode(app, client, app_token, who, context, stop)
            else:
                secret = signing_secret(settings)
                await _serve_http(app, secret, settings, site, who, context, stop)
        finally:
            context.disconnect_poster(PLATFORM)


def slack_routes(app: AsyncApp, secret: str) -> Routes:
    """`POST /slack/events` into Bolt through the `Gate` (checking `secret`), for the site;
    with an OAuth flow, its install pages too."""

    def add(site: web.Application) -> None:
        site.router.add_post(EVENTS_PATH, Gate(app, secret).handle)
        if app.oauth_flow is not None:
            site.router.add_routes(oauth_routes(app.oauth_flow))

    return add


def daily_poster(app: AsyncApp, settings: Settings) -> SlackPoster:
    """The specimen-of-the-day poster: with the bot token, or each workspace's own."""
    installations = app.installation_store
    if isinstance(installations, StoreInstallations):
        return SlackPoster(app.client, installed_tokens(settings, installations, app.client))
    return SlackPoster(app.client)


async def _serve_http(
    app: AsyncApp,
    secret: str,
    settings: Settings,
    site: HttpSite | None,
    who: str,
    context: Context,
    stop: asyncio.Event,
) -> None:
    host, port = settings.http_host, settings.http_port
    async with serving_part(site, PLATFORM, slack_routes(app, secret), host, port):
        installs = f", GET {INSTALL_PATH}, GET {REDIRECT_PATH}" if app.oauth_flow else ""
        log.info(
            "slack: HTTP mode as %s, listening on %s:%d at POST %s%s (and GET %s)",
            who,
            host,
            port,
            EVENTS_PATH,
            installs,
            HEALTH_PATH,
        )
        context.connect_poster(daily_poster(app, settings))
        await stop.wait()
        await drain()  # answers still on their way go out before the server stops


async def _serve_socket_mode(
    app: AsyncApp,
    client: AsyncWebClient,
    app_token: str,
    who: str,
    context: Context,
    stop: asyncio.Event,
) -> None:
    if not app_token.startswith(APP_TOKEN_PREFIX):
        raise SettingsError("SLACK_APP_TOKEN: must be an app-level token starting with xapp-")
    log.info("slack: Socket Mode as %s (SLACK_APP_TOKEN set, no public URL needed)", who)
    try:
        opened = await client.apps_connections_open(app_token=app_token)
    except SlackApiError as exc:
        error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        raise SettingsError(
            f"SLACK_APP_TOKEN: Slack refused it ({error or 'no error code'})"
        ) from None
    handler = AsyncSocketModeHandler(app, app_token, web_client=client)
    handler.client.wss_uri = str(opened["url"])
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        context.connect_poster(SlackPoster(client))
        await stop.wait()
        await drain()  # answers still on their way go out before the socket closes
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
