"""Post a reply into a Slack channel outside any command: the specimen of the day."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime
from typing import Any, Protocol

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.client import identify, open_web_client
from bot.adapters.slack.contexts import ContextSource
from bot.adapters.slack.installations import StoreInstallations, installed_tokens
from bot.adapters.slack.render import message_payload
from bot.cards.model import Reply
from bot.runtime.poster import DailyMark, DeliveryError, RateFacts
from bot.runtime.sealing import sealer_for
from bot.runtime.settings import Settings, SettingsError
from bot.runtime.startup import open_context

log = logging.getLogger(__name__)

EVENT_TYPE = "roastbot_specimen"
HISTORY_LIMIT = 200
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


NOT_INSTALLED = (
    "slack: roastbot is not installed in workspace {team}; reinstall it, then /specimen subscribe"
)


class TeamTokens(Protocol):
    """Where a poster serving many workspaces finds each one's bot token."""

    async def bot_token(self, team_id: str) -> str | None:
        """The workspace's current bot token (refreshed if it was expiring), None if none."""
        ...


# refusals that no retry of a daily step can change (pins need the pins:write scope)
STEP_REFUSALS = frozenset({"missing_scope", "not_pinnable", "too_many_pins", "thread_locked"})
# failures of the way to Slack, not answers from it: worth another try
NETWORK_ERRORS = (TimeoutError, SlackClientError, ClientError, OSError)


class SlackPoster:
    """A `bot.runtime.poster.Poster` (and `DailyPoster`, `StepPoster`, `MessagePoster`) for
    Slack: `chat.postMessage`, `chat.update`.

    Errors map to `DeliveryError`: permanent for the errors in `PERMANENT_ERRORS` (channel
    gone or archived, bot removed, token revoked); not permanent for rate limits, 5xx
    answers, network failures and anything unrecognised. A 429 is not retried here: it
    comes back at once with its `Retry-After`, for the scheduler's limiter to pause the
    channel (the client's own rate-limit retries are left out of the posting client).

    Daily posts carry message `metadata` (`roastbot_specimen`, the local date); taking over
    a stale claim, the poster first looks for it in `conversations.history` since the claim.

    With `tokens` (installs in many workspaces), every call uses the bot token of the
    workspace it posts in, over the one client's aiohttp session; a workspace with no
    installation is a permanent `DeliveryError`.
    """

    platform = "slack"

    def __init__(self, client: AsyncWebClient, tokens: TeamTokens | None = None) -> None:
        self._client = without_rate_limit_retries(client)
        self._tokens = tokens

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        """Post the reply publicly in the channel; return the message's `ts`."""
        return await self._post(await self._client_for(workspace_id), channel_id, reply, None)

    async def post_daily(
        self,
        workspace_id: str,
        channel_id: str,
        reply: Reply,
        mark: DailyMark,
        since: datetime | None,
    ) -> str:
        """Post tagged with the mark's metadata; with `since`, reuse a post already there."""
        client = await self._client_for(workspace_id)
        if since is not None:
            found = await self._find(client, channel_id, mark, since)
            if found is not None:
                log.info("specimen for %s was already in the channel: %s", channel_id, found)
                return found
        metadata = {"event_type": EVENT_TYPE, "event_payload": _event_payload(mark)}
        return await self._post(client, channel_id, reply, metadata)

    async def _client_for(self, workspace_id: str) -> AsyncWebClient:
        """The client to call Slack with for this workspace: its own bot token, if several."""
        if self._tokens is None:
            return self._client
        with _delivery_errors():
            token = await self._tokens.bot_token(workspace_id)
        if token is None:
            raise DeliveryError(NOT_INSTALLED.format(team=workspace_id), permanent=True)
        return with_token(self._client, token)

    async def _post(
        self,
        client: AsyncWebClient,
        channel_id: str,
        reply: Reply,
        metadata: dict[str, Any] | None,
    ) -> str:
        payload = message_payload(reply)
        extra: dict[str, Any] = {} if metadata is None else {"metadata": metadata}
        with _delivery_errors():
            response = await client.chat_postMessage(
                channel=channel_id,
                text=payload["text"],
                blocks=payload["blocks"],
                unfurl_links=False,
                unfurl_media=False,
                **extra,
            )
        return str(response["ts"])

    async def pin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        """`pins.add` the message; one pinned already counts as done."""
        await self._step(
            workspace_id,
            "pins.add",
            {"channel": channel_id, "timestamp": message_id},
            "already_pinned",
        )

    async def unpin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        """`pins.remove` the message; one no longer pinned (or gone) counts as done."""
        await self._step(
            workspace_id,
            "pins.remove",
            {"channel": channel_id, "timestamp": message_id},
            "no_pin",
            "message_not_found",
        )

    async def open_thread(
        self, workspace_id: str, channel_id: str, message_id: str, name: str, reply: Reply
    ) -> str:
        """Post the full file as a threaded reply to the message; return the reply's `ts`."""
        payload = message_payload(reply)
        body = {
            "channel": channel_id,
            "thread_ts": message_id,
            "text": payload["text"],
            "blocks": payload["blocks"],
            "unfurl_links": False,
            "unfurl_media": False,
        }
        response = await self._step(workspace_id, "chat.postMessage", body)
        return str(response["ts"])

    async def edit(self, workspace_id: str, channel_id: str, message_id: str, reply: Reply) -> None:
        """`chat.update` the message (its `ts`) with the reply's blocks; no buttons stay."""
        payload = message_payload(reply)
        body = {"channel": channel_id, "ts": message_id, **payload}
        await self._step(workspace_id, "chat.update", body)

    async def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> str:
        """`conversations.open` the member's DM with the bot, then post in it; return the `ts`.

        Slack refuses a DM to a bot or a deactivated member (`cannot_dm_bot`,
        `user_not_found`, `user_disabled`): a `DeliveryError`, like any other refusal.
        """
        opened = await self._step(workspace_id, "conversations.open", {"users": user_id})
        client = await self._client_for(workspace_id)
        return await self._post(client, str(opened["channel"]["id"]), reply, None)

    async def _step(self, workspace_id: str, method: str, body: dict[str, Any], *fine: str) -> Any:
        """Call a Web API method (a daily step, an edit, a DM) with the workspace's token;
        the errors in `fine` count as done."""
        client = await self._client_for(workspace_id)
        with _delivery_errors():
            try:
                return await client.api_call(method, json=body)
            except SlackApiError as exc:
                error = exc.response.get("error")
                if error in fine:
                    return exc.response
                if error in STEP_REFUSALS:
                    raise DeliveryError(f"slack refused {method}: {error}", permanent=True) from exc
                raise

    async def _find(
        self, client: AsyncWebClient, channel_id: str, mark: DailyMark, since: datetime
    ) -> str | None:
        """The `ts` of a message tagged with the mark posted since `since`, if any.

        Without the history scopes (an install older than them), this logs why and returns
        None: the post then goes out, and may be a second one.
        """
        wanted = _event_payload(mark)
        try:
            response = await client.conversations_history(
                channel=channel_id,
                oldest=f"{since.timestamp():.6f}",
                include_all_metadata=True,
                limit=HISTORY_LIMIT,
            )
        except (SlackApiError, *NETWORK_ERRORS) as exc:
            log.warning("could not read %s to look for a post already made: %s", channel_id, exc)
            return None
        messages = response.get("messages") or []
        for message in messages:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == EVENT_TYPE and metadata.get("event_payload") == wanted:
                return str(message["ts"])
        return None


@contextmanager
def _delivery_errors() -> Iterator[None]:
    """Raise a Slack error answer or a network failure in the block as its `DeliveryError`."""
    try:
        yield
    except SlackApiError as exc:
        raise api_error(exc) from exc
    except NETWORK_ERRORS as exc:
        raise DeliveryError(
            f"slack: network error ({type(exc).__name__})", permanent=False
        ) from exc


def api_error(exc: SlackApiError) -> DeliveryError:
    """The `DeliveryError` for an error answer of the Slack Web API."""
    status = exc.response.status_code
    data = exc.response.data
    error = str(data.get("error", "")) if isinstance(data, dict) else ""
    reason = f"slack: {error or 'no error code'} (HTTP {status})"
    if status == 429:
        retry_after = _seconds(exc.response.headers.get("Retry-After"))
        rate = RateFacts("channel", retry_after=retry_after if retry_after is not None else 1.0)
        return DeliveryError(reason, permanent=False, rate=rate)
    if status >= 500 or error == "ratelimited":
        return DeliveryError(reason, permanent=False)
    return DeliveryError(reason, permanent=error in PERMANENT_ERRORS)


def without_rate_limit_retries(client: AsyncWebClient) -> AsyncWebClient:
    """The same client (token, URL, session), minus slack-sdk's own 429 retries."""
    handlers = [
        handler
        for handler in client.retry_handlers
        if not isinstance(handler, AsyncRateLimitErrorRetryHandler)
    ]
    if len(handlers) == len(client.retry_handlers):
        return client
    return AsyncWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        session=client.session,
        retry_handlers=handlers,
    )


def with_token(client: AsyncWebClient, token: str) -> AsyncWebClient:
    """The same client (URL, session, retries) calling Slack with another bot token."""
    return AsyncWebClient(
        token=token,
        base_url=client.base_url,
        timeout=client.timeout,
        session=client.session,
        retry_handlers=client.retry_handlers,
    )


def _event_payload(mark: DailyMark) -> dict[str, str]:
    return {"local_date": mark.local_date.isoformat()}


def _seconds(text: object) -> float | None:
    try:
        return float(str(text)) if text is not None else None
    except ValueError:
        return None


@asynccontextmanager
async def open_poster(settings: Settings) -> AsyncIterator[SlackPoster]:
    """A Slack poster without serving (for `roastbot post-due`), its token checked first.

    Raises `SettingsError` naming `SLACK_BOT_TOKEN` when it is unset or refused, rather
    than letting every channel's post fail (and pause) on `invalid_auth`. Installed in many
    workspaces (`SLACK_CLIENT_ID`), it posts with each one's own token from the
    installations in the store, which it opens for the pass (`ROASTBOT_SECRET_KEY` needed).
    """
    if settings.slack_multi_workspace:
        sealer = sealer_for(settings, "SLACK_CLIENT_ID mode")
        async with open_context(settings) as context, open_web_client(settings) as client:
            installations = StoreInstallations(ContextSource(settings, context), sealer)
            yield SlackPoster(client, installed_tokens(settings, installations, client))
        return
    if settings.slack_bot_token is None:
        raise SettingsError("SLACK_BOT_TOKEN: not set, so nothing can be posted to Slack")
    async with open_web_client(settings) as client:
        await identify(client)
        yield SlackPoster(client)
