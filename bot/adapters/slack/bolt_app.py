"""The Bolt `AsyncApp` with the bot's listeners, built from settings.

Two modes. Single workspace (`SLACK_BOT_TOKEN`): every request is served with that token,
and only from its own team (`teams`). Many workspaces (`SLACK_CLIENT_ID` and
`SLACK_CLIENT_SECRET`, no bot token): Bolt's OAuth flow installs the app (`oauth`), each
request is authorized with its team's own token from the installations in the store,
rotated when it expires, and uninstalls forget the team (`uninstall`).
"""

from __future__ import annotations

import logging
import secrets

from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.admins import AdminDirectory
from bot.adapters.slack.contexts import ContextSource
from bot.adapters.slack.failures import on_error
from bot.adapters.slack.installations import StoreInstallations, StoreStates
from bot.adapters.slack.listeners import Listeners
from bot.adapters.slack.oauth import install_flow
from bot.adapters.slack.teams import own_team_only
from bot.adapters.slack.uninstall import Uninstalls
from bot.runtime.sealing import sealer_for
from bot.runtime.settings import Settings, SettingsError

APP_NAME = "roastbot"


class _UnusedTokenNotice(logging.Filter):
    """Drops Bolt's notice that SLACK_BOT_TOKEN from the environment goes unused.

    Our client always carries that very token; the notice would only crowd out the start-up
    line that says which mode runs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


BOLT_LOG = logging.getLogger("bot.adapters.slack.bolt")
BOLT_LOG.addFilter(_UnusedTokenNotice())


def signing_secret(settings: Settings) -> str:
    """`SLACK_SIGNING_SECRET`, which HTTP mode verifies requests with; `SettingsError` if unset."""
    if settings.slack_signing_secret is None:
        raise SettingsError(
            "SLACK_SIGNING_SECRET: not set; HTTP mode needs it to verify requests "
            "(or set SLACK_APP_TOKEN to use Socket Mode)"
        )
    return settings.slack_signing_secret.get_secret_value()


def create_app(settings: Settings, contexts: ContextSource, client: AsyncWebClient) -> AsyncApp:
    """The app, making its Web API calls through `client`.

    Raises `SettingsError` when neither `SLACK_BOT_TOKEN` nor the client id and secret are
    set, when both are, when `SLACK_SIGNING_SECRET` is unset in HTTP mode (Socket Mode needs
    no secret: its requests are not signed), and when installs in many workspaces lack
    `ROASTBOT_SECRET_KEY`.
    """
    if settings.slack_multi_workspace:
        return _many_workspaces(settings, contexts, client)
    if settings.slack_bot_token is None:
        raise SettingsError("SLACK_BOT_TOKEN: not set; the Slack app needs its bot token (xoxb-…)")
    if settings.slack_client_id is not None and settings.slack_client_secret is not None:
        raise SettingsError(
            "SLACK_CLIENT_ID: set together with SLACK_BOT_TOKEN; unset one (a bot token serves"
            " one workspace, the client id and secret install the app in many)"
        )
    if settings.slack_signing_secret is None and settings.slack_app_token is not None:
        secret = secrets.token_hex(32)  # no HTTP request can ever verify against it
    else:
        secret = signing_secret(settings)
    app = AsyncApp(name=APP_NAME, logger=BOLT_LOG, client=client, signing_secret=secret)
    app.use(own_team_only)
    Listeners(contexts, AdminDirectory(settings.slack_admins)).register(app)
    return app


def _many_workspaces(
    settings: Settings, contexts: ContextSource, client: AsyncWebClient
) -> AsyncApp:
    """The app installed with OAuth: per-team tokens, the install pages, uninstalls."""
    if settings.slack_app_token is not None:
        raise SettingsError(
            "SLACK_APP_TOKEN: unset it; installs in many workspaces (SLACK_CLIENT_ID) are"
            " served over HTTP, at the install pages and POST /slack/events"
        )
    secret = signing_secret(settings)
    installations = StoreInstallations(contexts, sealer_for(settings, "SLACK_CLIENT_ID mode"))
    flow = install_flow(settings, client, installations, StoreStates(contexts))
    # given the store, Bolt authorizes with an AsyncInstallationStoreAuthorize whose token
    # refreshes (AsyncTokenRotator) go through `client`, so to SLACK_API_URL too
    app = AsyncApp(
        name=APP_NAME,
        logger=BOLT_LOG,
        client=client,
        signing_secret=secret,
        oauth_flow=flow,
        installation_store=installations,
    )
    app.error(on_error)  # a database in trouble while authorizing: one line, not a 500
    Listeners(contexts, AdminDirectory(settings.slack_admins)).register(app)
    Uninstalls(contexts).register(app)
    return app
