"""The Bolt `AsyncApp` with the bot's listeners, built from settings."""

from __future__ import annotations

import logging
import secrets

from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.admins import AdminDirectory
from bot.adapters.slack.contexts import ContextSource
from bot.adapters.slack.listeners import Listeners
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

    Raises `SettingsError` when `SLACK_BOT_TOKEN` is unset, or when `SLACK_SIGNING_SECRET`
    is unset in HTTP mode (Socket Mode needs no secret: its requests are not signed).
    """
    if settings.slack_bot_token is None:
        raise SettingsError("SLACK_BOT_TOKEN: not set; the Slack app needs its bot token (xoxb-…)")
    if settings.slack_signing_secret is None and settings.slack_app_token is not None:
        secret = secrets.token_hex(32)  # no HTTP request can ever verify against it
    else:
        secret = signing_secret(settings)
    app = AsyncApp(name=APP_NAME, logger=BOLT_LOG, client=client, signing_secret=secret)
    Listeners(contexts, AdminDirectory(settings.slack_admins)).register(app)
    return app
