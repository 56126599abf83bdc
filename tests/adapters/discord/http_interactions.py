"""Interactions as Discord delivers them over HTTP: signed requests to the real endpoint.

A test Ed25519 key pair stands in for the application's: the private half signs requests
exactly as Discord does (`X-Signature-Timestamp` + body, hex in `X-Signature-Ed25519`), the
public half is `DISCORD_PUBLIC_KEY`. `http_endpoint` logs a real client in against the fake
Discord REST API and serves `POST /discord/interactions` on a free port of 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import discord
from aiohttp import ClientSession, web
from nacl.signing import SigningKey

from bot.adapters.discord import RoastClient, build_client
from bot.adapters.discord.endpoint import PATH, InteractionsEndpoint
from bot.adapters.discord.signature import SignatureCheck
from bot.runtime.context import Context
from tests.adapters.discord.fake_discord import TOKEN, FakeDiscord, fake_settings, running_fake
from tests.conftest import FIXED_NOW

SIGNING_KEY = SigningKey(bytes(range(32)))
PUBLIC_KEY = SIGNING_KEY.verify_key.encode().hex()
NOW = int(FIXED_NOW.timestamp())


def signed(body: bytes, *, at: int = NOW, key: SigningKey = SIGNING_KEY) -> dict[str, str]:
    """The headers Discord sends with `body`, signed with `key` at unix time `at`."""
    timestamp = str(at)
    signature = key.sign(timestamp.encode() + body).signature.hex()
    return {
        "Content-Type": "application/json",
        "X-Signature-Ed25519": signature,
        "X-Signature-Timestamp": timestamp,
    }


@dataclass
class Endpoint:
    """The endpoint served on 127.0.0.1, the client behind it and the fake it talks to."""

    fake: FakeDiscord
    client: RoastClient
    url: str
    session: ClientSession

    async def post(self, body: Any, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST `body` (bytes, or an async iterable for a chunked body); status and bytes back."""
        async with self.session.post(self.url + PATH, data=body, headers=headers) as response:
            return response.status, await response.read()

    async def interact(self, payload: dict[str, Any]) -> bytes:
        """Send an interaction, signed now, and return the bytes of the 200 response."""
        body = json.dumps(payload).encode()
        status, answer = await self.post(body, signed(body))
        assert status == 200, answer
        return answer

    async def answer(self, payload: dict[str, Any]) -> dict[str, Any]:
        """`interact`, parsed."""
        parsed: dict[str, Any] = json.loads(await self.interact(payload))
        return parsed


@asynccontextmanager
async def http_endpoint(
    context: Context, fake: FakeDiscord | None = None, **settings: Any
) -> AsyncIterator[Endpoint]:
    """The interactions endpoint over `context`, its client logged in against a fake."""
    async with _fake_or(fake) as served:
        original = discord.http.Route.BASE
        client = build_client(
            fake_settings(served, DISCORD_PUBLIC_KEY=PUBLIC_KEY, **settings), context=context
        )
        endpoint = InteractionsEndpoint(client, SignatureCheck(PUBLIC_KEY), context.clock)
        app = web.Application()
        endpoint.routes(app)
        runner = web.AppRunner(app)
        try:
            async with client, ClientSession() as session:
                await client.login(TOKEN)
                await runner.setup()
                try:
                    await web.TCPSite(runner, "127.0.0.1", 0).start()
                    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
                    yield Endpoint(served, client, url, session)
                finally:
                    await runner.cleanup()
        finally:
            discord.http.Route.BASE = original


@asynccontextmanager
async def _fake_or(fake: FakeDiscord | None) -> AsyncIterator[FakeDiscord]:
    if fake is not None:
        yield fake
        return
    async with running_fake() as served:
        yield served
