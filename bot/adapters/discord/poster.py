"""Post a reply into a Discord channel outside any interaction (the specimen of the day)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

import aiohttp
import discord
from discord.http import HTTPClient, Route
from discord.utils import time_snowflake

from bot.adapters.discord.ratelimits import RateWatch
from bot.adapters.discord.render import message_payload
from bot.adapters.discord.text import fit_plain
from bot.cards.model import Reply
from bot.runtime.invocation import plain
from bot.runtime.poster import DailyMark, DeliveryError, RateFacts

log = logging.getLogger(__name__)

HISTORY_LIMIT = 100
THREAD_NAME_LIMIT = 100
ONE_DAY_MINUTES = 1440


class DiscordPoster:
    """`bot.runtime.poster.Poster` (and `DailyPoster`, `StepPoster`, `MessagePoster`) for
    Discord, over a logged-in client's HTTP session.

    Channel ids are unique across Discord, so `workspace_id` is not needed to post.
    403 (bot removed, no access) and 404 (channel deleted) are permanent; everything
    else (429, 5xx, other errors, network) is not, so a later try may still succeed.

    Daily posts carry a `nonce` derived from (channel, local date) with `enforce_nonce`, so
    Discord answers a repeated create within a few minutes with the message it already made.
    Past that window a repeated nonce makes a new message, so a post taking over a stale
    claim first reads the channel since the claim for the bot's own post with this header.
    """

    platform = "discord"

    def __init__(self, http: HTTPClient, watch: RateWatch | None = None) -> None:
        self._http = http
        self._watch = watch or RateWatch()
        self._bot_id: str | None = None

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        """Post the reply publicly; return the new message's id."""
        return await self._create(channel_id, message_payload(replace(reply, private=False)))

    async def post_daily(
        self,
        workspace_id: str,
        channel_id: str,
        reply: Reply,
        mark: DailyMark,
        since: datetime | None,
    ) -> str:
        """Post the reply with the mark's nonce; with `since`, reuse a post already there."""
        payload = message_payload(replace(reply, private=False))
        if since is not None:
            found = await self._find(channel_id, payload, since)
            if found is not None:
                log.info("specimen for %s was already in the channel: %s", channel_id, found)
                return found
        return await self._create(
            channel_id, {**payload, "nonce": mark.nonce, "enforce_nonce": True}
        )

    async def pin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        """Pin a message (`PUT /channels/{id}/pins/{message}`)."""
        route = Route(
            "PUT",
            "/channels/{channel_id}/pins/{message_id}",
            channel_id=channel_id,
            message_id=message_id,
        )
        await self._call(channel_id, route)

    async def unpin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        """Unpin a message (`DELETE /channels/{id}/pins/{message}`); one already gone is fine."""
        route = Route(
            "DELETE",
            "/channels/{channel_id}/pins/{message_id}",
            channel_id=channel_id,
            message_id=message_id,
        )
        try:
            await self._call(channel_id, route)
        except DeliveryError as exc:
            if not isinstance(exc.__cause__, discord.NotFound):
                raise
            log.info("message %s in %s was no longer there to unpin", message_id, channel_id)

    async def open_thread(
        self, workspace_id: str, channel_id: str, message_id: str, name: str, reply: Reply
    ) -> str:
        """Start a public thread from the message, named `name` as one line of plain text,
        cut with "…" to the 100 characters Discord allows."""
        route = Route(
            "POST",
            "/channels/{channel_id}/messages/{message_id}/threads",
            channel_id=channel_id,
            message_id=message_id,
        )
        one_line = fit_plain(" ".join(plain(name).split()), THREAD_NAME_LIMIT)
        payload = {"name": one_line, "auto_archive_duration": ONE_DAY_MINUTES}
        thread = await self._call(channel_id, route, json=payload)
        return str(thread["id"])

    async def edit(self, workspace_id: str, channel_id: str, message_id: str, reply: Reply) -> None:
        """Replace a message's embeds and components (`PATCH /channels/{id}/messages/{id}`)."""
        route = Route(
            "PATCH",
            "/channels/{channel_id}/messages/{message_id}",
            channel_id=channel_id,
            message_id=message_id,
        )
        await self._call(channel_id, route, json=message_payload(replace(reply, private=False)))

    async def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> str:
        """Open the member's DM channel (`POST /users/@me/channels`), then post in it.

        A member who accepts no direct messages from the server's members makes Discord
        answer 403 (code 50007, "Cannot send messages to this user"): a permanent failure.
        """
        route = Route("POST", "/users/@me/channels")
        channel = await self._call(user_id, route, json={"recipient_id": user_id})
        return await self.post(workspace_id, str(channel["id"]), reply)

    def rate_facts(self, channel_id: str) -> RateFacts | None:
        """What the channel's latest answer said about its rate-limit bucket."""
        return self._watch.take(channel_id)

    async def _create(self, channel_id: str, payload: dict[str, Any]) -> str:
        route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
        message = await self._call(channel_id, route, json=payload)
        return str(message["id"])

    async def _find(self, channel_id: str, payload: dict[str, Any], since: datetime) -> str | None:
        """The id of the bot's message posted since `since` whose header matches, if any.

        A channel the bot may not read (no Read Message History) answers 403: then the
        nonce alone guards against a second post, within Discord's few-minute window.
        """
        header = _header(payload)
        try:
            bot_id = await self._own_id()
            messages = await self._http.logs_from(
                channel_id, HISTORY_LIMIT, after=time_snowflake(since) - 1
            )
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            log.warning("could not read %s to look for a post already made: %s", channel_id, exc)
            return None
        for message in cast(list[dict[str, Any]], messages):
            if str(message.get("author", {}).get("id")) == bot_id and _header(message) == header:
                return str(message["id"])
        return None

    async def _own_id(self) -> str:
        if self._bot_id is None:
            me = await self._http.request(Route("GET", "/users/@me"))
            self._bot_id = str(me["id"])
        return self._bot_id

    async def _call(self, channel_id: str, route: Route, **kwargs: Any) -> Any:
        try:
            return await self._http.request(route, **kwargs)
        except discord.Forbidden as exc:
            raise DeliveryError(
                f"no access to channel {channel_id}: {exc.text}", permanent=True
            ) from exc
        except discord.NotFound as exc:
            raise DeliveryError(
                f"channel {channel_id} is gone: {exc.text}", permanent=True
            ) from exc
        except discord.RateLimited as exc:
            facts = self._watch.take(channel_id) or RateFacts("channel")
            facts = replace(facts, retry_after=exc.retry_after)
            raise DeliveryError(
                f"rate limited for {exc.retry_after:.0f} s", permanent=False, rate=facts
            ) from exc
        except discord.HTTPException as exc:
            raise DeliveryError(
                f"Discord answered {exc.status}: {exc.text}", permanent=False
            ) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise DeliveryError(f"network error: {exc!r}", permanent=False) from exc


def _header(message: dict[str, Any]) -> str | None:
    """The author line of a message's first embed: the specimen header, with its date."""
    embeds = message.get("embeds") or [{}]
    author = embeds[0].get("author") or {}
    name = author.get("name")
    return str(name) if name is not None else None
