"""The Slack adapter: slash commands, buttons and a modal through slack-bolt (async).

- `build_app(settings=None, *, context=None)` returns the Bolt `AsyncApp`, for embedding and
  tests. With no settings they come from the environment as for `roastbot run`; with no
  context one is created from the settings on the first request.
- `runtime.serve(context, settings, stop)` runs it: Socket Mode when `SLACK_APP_TOKEN` is
  set, otherwise HTTP at `POST /slack/events` (plus `GET /healthz`) on `ROASTBOT_HTTP_PORT`.
- `poster.SlackPoster` is the `bot.runtime.poster.Poster` the specimen of the day posts with
  (`chat.postMessage`): `serve` registers one as `context.posters["slack"]` once connected,
  and `poster.open_poster(settings)` opens one without serving (`roastbot post-due`).
- `render.message_payload(reply)` is the exact message JSON (blocks and fallback text).
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack.bolt_app import create_app
from bot.adapters.slack.client import web_client
from bot.adapters.slack.contexts import ContextSource
from bot.runtime.context import Context
from bot.runtime.settings import Settings, load_settings

__all__ = ["build_app"]


def build_app(settings: Settings | None = None, *, context: Context | None = None) -> AsyncApp:
    """The Bolt `AsyncApp` answering `/roast`, `/burnward`, `/specimen` and their buttons.

    Its `AsyncWebClient` talks to `SLACK_API_URL` and retries rate-limited calls. Raises
    `SettingsError` naming the variable when a required setting is missing or malformed.
    """
    settings = settings if settings is not None else load_settings()
    return create_app(settings, ContextSource(settings, context), web_client(settings))
