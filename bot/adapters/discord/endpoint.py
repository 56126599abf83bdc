"""`POST /discord/interactions`: Discord's interactions, delivered as signed HTTP requests.

With `DISCORD_PUBLIC_KEY` set, Discord posts every interaction here instead of sending it
over the gateway. A request is checked before anything in it is read: a body over
`MAX_BODY` gets 413, a missing, malformed or wrong signature or a stale timestamp 401, a
body that is not a JSON interaction of the shape Discord documents (see `shape`) 400,
and a copy of an interaction received already 401. PING is answered PONG; commands,
autocomplete, components and submitted forms go through the same client code as the
gateway's (`RoastClient.receive`), and their first answer (or the deferral, after
`defer_after` seconds) is the HTTP response.
Nothing a stranger sends is logged above INFO.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import discord
from aiohttp import web
from discord.webhook.async_ import async_context

from bot.adapters.discord.client import RoastClient
from bot.adapters.discord.http_answers import HttpAnswers
from bot.adapters.discord.responses import Interaction
from bot.adapters.discord.shape import well_shaped
from bot.adapters.discord.signature import FirstSeen, SignatureCheck

log = logging.getLogger(__name__)

PATH = "/discord/interactions"
MAX_BODY = 1024 * 1024
PING = 1
ANSWERED_TYPES = frozenset({2, 3, 4, 5})  # application command, component, autocomplete, form
PONG = b'{"type":1}'
COMPONENT = 3
SILENT_ACK = b'{"type":6}'
NO_CHOICES = b'{"type":8,"data":{"choices":[]}}'


class InteractionsEndpoint:
    """The aiohttp handler of `POST /discord/interactions` for one logged-in client."""

    def __init__(
        self, client: RoastClient, check: SignatureCheck, clock: Callable[[], datetime]
    ) -> None:
        self._client = client
        self._check = check
        self._clock = clock
        self._answers = HttpAnswers()
        self._first_seen = FirstSeen()
        self._tasks: set[asyncio.Task[None]] = set()

    def routes(self, app: web.Application) -> None:
        """Add the endpoint to an aiohttp application (the shared HTTP site)."""
        app.router.add_post(PATH, self.handle)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Check, then answer one interaction request."""
        if request.content_length is not None and request.content_length > MAX_BODY:
            return await _too_large(request)
        signature = request.headers.get("X-Signature-Ed25519")
        timestamp = request.headers.get("X-Signature-Timestamp")
        if (
            signature is None
            or timestamp is None
            or not self._check.well_formed(signature, timestamp)
        ):
            return _refuse(401, "missing or malformed signature")
        body = await _read(request)
        if body is None:
            return await _too_large(request)
        now = self._clock().timestamp()
        if not self._check.verify(signature, timestamp, body, now):
            return _refuse(401, "invalid request signature")
        data = _interaction(body)
        if data is None:
            return _refuse(400, "not a JSON interaction")
        if data["type"] == PING:
            return _json(PONG)
        if data["type"] not in ANSWERED_TYPES:
            return _refuse(400, f"interaction type {data['type']} is not served")
        misshapen = well_shaped(data)
        if misshapen is not None:
            return _refuse(400, f"not an interaction as Discord sends it ({misshapen})")
        if not self._first_seen.first(data["id"], now):
            return _refuse(401, f"interaction {data['id']} was received already (a replay)")
        try:
            interaction = self._client.interaction_of(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.info("discord: a signed interaction could not be read (%r)", exc)
            return _refuse(400, "not a JSON interaction")
        return await self._answer(request, interaction)

    async def _answer(self, request: web.Request, interaction: Interaction) -> web.StreamResponse:
        pending = self._answers.expect(interaction.id)
        task = asyncio.create_task(self._receive(interaction), name="discord-http-interaction")
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        try:
            waiters: set[asyncio.Future[Any]] = {pending.body, task}
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            if not pending.body.done():
                self._answers.forget(interaction.id)
                log.info("discord: interaction %s needed no answer", interaction.id)
                if interaction.type is discord.InteractionType.component:
                    return _json(SILENT_ACK)
                if interaction.type is discord.InteractionType.autocomplete:
                    return _json(NO_CHOICES)
                return _refuse(503, "no answer")
            response = _json(pending.body.result())
            await response.prepare(request)
            await response.write_eof()
            return response
        finally:
            pending.sent.set()

    async def _receive(self, interaction: Interaction) -> None:
        async_context.set(self._answers)  # this task's first answer goes to the response
        await self._client.receive(interaction)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("discord: answering an interaction failed", exc_info=task.exception())


async def _read(request: web.Request) -> bytes | None:
    """The body, or None once it grows past `MAX_BODY` (the rest is never read)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.readany():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _interaction(body: bytes) -> dict[str, Any] | None:
    """The parsed interaction, or None when the body is not a JSON object with a type."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        return None
    if not isinstance(data, dict) or type(data.get("type")) is not int:
        return None
    return data


def _json(body: bytes) -> web.Response:
    return web.Response(body=body, content_type="application/json")


async def _too_large(request: web.Request) -> web.StreamResponse:
    """413, then the connection closed rather than the rest of the body read."""
    response = _refuse(413, "body too large")
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    request.protocol.force_close()
    return response


def _refuse(status: int, reason: str) -> web.Response:
    log.info("discord: refused an interactions request with %d (%s)", status, reason)
    return web.Response(status=status, text=reason)
