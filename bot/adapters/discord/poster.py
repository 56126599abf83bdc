"""Post a reply into a Discord channel outside any interaction (the specimen of the day)."""

from __future__ import annotations

from dataclasses import replace

import aiohttp
import discord
from discord.http import HTTPClient, Route

from bot.adapters.discord.render import message_payload
from bot.cards.model import Reply
from bot.runtime.poster import DeliveryError


class DiscordPoster:
    """`bot.runtime.poster.Poster` for Discord, over a logged-in client's HTTP session.

    Channel ids are unique across Discord, so `workspace_id` is not needed to post.
    403 (bot removed, no access) and 404 (channel deleted) are permanent; everything
    else (429, 5xx, other errors, network) is not, so a later try may still succeed.
    """

    platform = "discord"

    def __init__(self, http: HTTPClient) -> None:
        self._http = http

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        """Post the reply publicly; return the new message's id."""
        payload = message_payload(replace(reply, private=False))
        route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
        try:
            message = await self._http.request(route, json=payload)
        except discord.Forbidden as exc:
            raise DeliveryError(
                f"no access to channel {channel_id}: {exc.text}", permanent=True
            ) from exc
        except discord.NotFound as exc:
            raise DeliveryError(
                f"channel {channel_id} is gone: {exc.text}", permanent=True
            ) from exc
        except discord.RateLimited as exc:
            raise DeliveryError(
                f"rate limited for {exc.retry_after:.0f} s", permanent=False
            ) from exc
        except discord.HTTPException as exc:
            raise DeliveryError(
                f"Discord answered {exc.status}: {exc.text}", permanent=False
            ) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise DeliveryError(f"network error: {exc!r}", permanent=False) from exc
        return str(message["id"])
