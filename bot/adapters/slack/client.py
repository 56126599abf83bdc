"""The Web API client every Slack call goes through: `SLACK_API_URL`, retries on 429."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    async_default_handlers,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.runtime.settings import Settings, SettingsError

RATE_LIMIT_RETRIES = 2
TIMEOUT_SECONDS = 30
TOKEN_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
)


def web_client(settings: Settings, session: ClientSession | None = None) -> AsyncWebClient:
    """An `AsyncWebClient` with the bot token, pointed at `settings.slack_api_url`.

    Connection resets are retried once (slack-sdk's default) and 429 answers up to twice,
    waiting as long as Slack's `Retry-After` asks. Without a `session`, each call opens and
    closes its own connection (see `open_web_client`).
    """
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    base_url = settings.slack_api_url.rstrip("/") + "/"
    handlers = [
        *async_default_handlers(),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
    ]
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=TIMEOUT_SECONDS,
        session=session,
        retry_handlers=handlers,
    )


@asynccontextmanager
async def open_web_client(settings: Settings) -> AsyncIterator[AsyncWebClient]:
    """`web_client` over one aiohttp session, closed when the block ends.

    Every call (commands' answers to `response_url` included, see `listeners`) reuses the
    session's kept-alive connections instead of opening one per call.
    """
    async with ClientSession(timeout=ClientTimeout(total=TIMEOUT_SECONDS)) as session:
        yield web_client(settings, session=session)


async def identify(client: AsyncWebClient) -> str:
    """`@bot in Team (T…)` from `auth.test`; `SettingsError` when Slack refuses the token.

    Also one clear line, naming `SLACK_API_URL`, when Slack cannot be reached at all.
    """
    try:
        response = await client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        if error in TOKEN_ERRORS:
            raise SettingsError(f"SLACK_BOT_TOKEN: Slack refused the token ({error})") from None
        status = exc.response.status_code
        raise SettingsError(
            f"SLACK_API_URL: auth.test failed ({error or f'HTTP {status}'})"
        ) from None
    except (TimeoutError, SlackClientError, ClientError, OSError) as exc:
        raise SettingsError(
            f"SLACK_API_URL: cannot reach {client.base_url} ({type(exc).__name__})"
        ) from None
    data: dict[str, Any] = response.data if isinstance(response.data, dict) else {}
    return f"@{data.get('user', '?')} in {data.get('team', '?')} ({data.get('team_id', '?')})"
