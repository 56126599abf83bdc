"""The Discord poster: the exact channel post, and failures mapped to DeliveryError."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import discord
import pytest
import pytest_asyncio

from bot.adapters.discord.poster import DiscordPoster
from bot.adapters.discord.render import message_payload
from bot.adapters.discord.runtime import open_poster
from bot.cards.model import Card, Reply
from bot.runtime.poster import DeliveryError, RateFacts
from tests.adapters.discord.fake_discord import (
    CHANNEL,
    GUILD,
    FakeDiscord,
    fake_settings,
    message,
    running_fake,
)

POST = f"/channels/{CHANNEL}/messages"
REPLY = Reply((Card(title="Specimen of the day", description="@everyone look"),), private=True)


@dataclass
class Posting:
    """A poster logged in against the fake."""

    fake: FakeDiscord
    poster: DiscordPoster


@pytest_asyncio.fixture
async def posting() -> AsyncIterator[Posting]:
    """A poster from `open_poster`, over HTTP only, against a fresh fake."""
    original = discord.http.Route.BASE
    async with running_fake() as fake, open_poster(fake_settings(fake)) as poster:
        yield Posting(fake, poster)
    discord.http.Route.BASE = original


async def test_a_post_sends_the_public_payload_and_returns_the_id(posting: Posting) -> None:
    """The channel gets exactly the rendered message, made public, with no allowed mentions."""
    message_id = await posting.poster.post(GUILD, CHANNEL, REPLY)
    posts = posting.fake.matching("POST", POST)
    assert posts[0].body == message_payload(Reply(REPLY.cards))
    assert "flags" not in posts[0].body and posts[0].body["allowed_mentions"] == {"parse": []}
    assert message_id.isdigit()
    assert posting.poster.platform == "discord"


@pytest.mark.parametrize(
    ("status", "body", "headers", "permanent"),
    [
        (403, {"message": "Missing Access", "code": 50001}, {}, True),
        (404, {"message": "Unknown Channel", "code": 10003}, {}, True),
        (
            429,
            {"message": "You are being rate limited.", "retry_after": 90, "global": False},
            {"Via": "1.1 google"},
            False,
        ),
        (429, {"message": "Cloudflare says no", "retry_after": 1}, {}, False),
        (503, {"message": "Service Unavailable", "code": 0}, {}, False),
        (400, {"message": "Invalid Form Body", "code": 50035}, {}, False),
    ],
    ids=["403", "404", "429-long", "429-cloudflare", "503", "400"],
)
async def test_failures_map_to_delivery_errors(
    posting: Posting, status: int, body: dict[str, Any], headers: dict[str, str], permanent: bool
) -> None:
    """403 and 404 are permanent (bot removed, channel gone); the rest may pass on a retry."""
    posting.fake.fail("POST", POST, status, body, headers=headers)
    with pytest.raises(DeliveryError) as caught:
        await posting.poster.post(GUILD, CHANNEL, REPLY)
    assert caught.value.permanent is permanent


async def test_a_network_failure_is_not_permanent(posting: Posting) -> None:
    """Nobody listening at the API address is a transient failure."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
    with pytest.raises(DeliveryError) as caught:
        await posting.poster.post(GUILD, CHANNEL, REPLY)
    assert caught.value.permanent is False


@pytest.mark.parametrize(
    ("body", "headers", "facts"),
    [
        (
            {"message": "You are being rate limited.", "retry_after": 64.57, "global": False},
            {
                "Via": "1.1 google",
                "Retry-After": "65",
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": "64.57",
                "X-RateLimit-Bucket": "80c17d2f203122d936070c88c8d10f33",
                "X-RateLimit-Scope": "user",
            },
            RateFacts("channel", retry_after=64.57),
        ),
        (
            {"message": "You are being rate limited.", "retry_after": 42.5, "global": True},
            {
                "Via": "1.1 google",
                "Retry-After": "43",
                "X-RateLimit-Global": "true",
                "X-RateLimit-Scope": "global",
            },
            RateFacts("global", retry_after=42.5),
        ),
    ],
    ids=["channel-bucket", "global"],
)
async def test_a_long_429_names_its_bucket_in_neutral_facts(
    posting: Posting, body: dict[str, Any], headers: dict[str, str], facts: RateFacts
) -> None:
    """A 429 past discord.py's own 30 s wait comes back with its scope and exact rest time."""
    posting.fake.fail("POST", POST, 429, body, headers=headers)
    with pytest.raises(DeliveryError) as caught:
        await posting.poster.post(GUILD, CHANNEL, REPLY)
    assert caught.value.rate == facts and caught.value.permanent is False


async def test_a_successful_post_reports_its_buckets_headers(posting: Posting) -> None:
    """X-RateLimit-Remaining and Reset-After of the answer are told once, for that channel."""
    answer = message(CHANNEL, message_payload(Reply(REPLY.cards)))
    headers = {
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset-After": "4.5",
        "X-RateLimit-Bucket": "80c17d2f203122d936070c88c8d10f33",
    }
    posting.fake.fail("POST", POST, 200, answer, headers=headers)
    await posting.poster.post(GUILD, CHANNEL, REPLY)
    assert posting.poster.rate_facts(CHANNEL) == RateFacts("channel", remaining=0, reset_after=4.5)
    assert posting.poster.rate_facts(CHANNEL) is None
