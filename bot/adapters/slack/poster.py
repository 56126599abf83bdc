"""Post a reply into a Slack channel outside any command: the specimen of the day."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.client import identify, open_web_client
from bot.adapters.slack.render import message_payload
from bot.cards.model import Reply
from bot.runtime.poster import DeliveryError
from bot.runtime.settings import Settings, SettingsError

# Slack errors after which posting to that channel cannot work until a person acts
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "no_permission",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel",
        "team_access_not_granted",
        "ekm_access_denied",
        "org_login_required",
    }
)


class SlackPoster:
    """A `bot.runtime.poster.Poster` for Slack: `chat.postMessage` with the bot token.

    Errors map to `DeliveryError`: permanent for the errors in `PERMANENT_ERRORS` (channel
    gone or archived, bot removed, token revoked); not permanent for rate limits (after
    the client's own retries), 5xx answers, network failures and anything unrecognised.
    """

    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        """Post the reply publicly in the channel; return the message's `ts`."""
        payload = message_payload(reply)
        try:
            response = await self._client.chat_postMessage(
                channel=channel_id,
                text=payload["text"],
                blocks=payload["blocks"],
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            raise api_error(exc) from exc
        except (TimeoutError, SlackClientError, ClientError, OSError) as exc:
            raise DeliveryError(
                f"slack: network error ({type(exc).__name__})", permanent=False
            ) from exc
        return str(response["ts"])


def api_error(exc: SlackApiError) -> DeliveryError:
    """The `DeliveryError` for an error answer of the Slack Web API."""
    status = exc.response.status_code
    data = exc.response.data
    error = str(data.get("error", "")) if isinstance(data, dict) else ""
    reason = f"slack: {error or 'no error code'} (HTTP {status})"
    if status == 429 or status >= 500 or error == "ratelimited":
        return DeliveryError(reason, permanent=False)
    return DeliveryError(reason, permanent=error in PERMANENT_ERRORS)


@asynccontextmanager
async def open_poster(settings: Settings) -> AsyncIterator[SlackPoster]:
    """A Slack poster without serving (for `roastbot post-due`), its token checked first.

    Raises `SettingsError` naming `SLACK_BOT_TOKEN` when it is unset or refused, rather
    than letting every channel's post fail (and pause) on `invalid_auth`.
    """
    if settings.slack_bot_token is None:
        raise SettingsError("SLACK_BOT_TOKEN: not set, so nothing can be posted to Slack")
    async with open_web_client(settings) as client:
        await identify(client)
        yield SlackPoster(client)
