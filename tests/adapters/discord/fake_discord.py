"""A fake Discord REST API and gateway on 127.0.0.1, and the payloads Discord would deliver.

The fake answers what discord.py asks at login, command registration, interaction
callbacks, webhook follow-ups, channel posts and edits, and direct-message channels, records every request with its JSON
body (for a multipart upload: the parsed `payload_json`, plus every part), and lets a test wait (with a timeout) for the one it expects. `discord_harness`
logs a real client in against it; `command`, `autocomplete` and `press` build
`INTERACTION_CREATE` payloads exactly as the gateway sends them (snowflakes as strings,
member permissions as a string).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import discord
import pytest_asyncio
from aiohttp import BodyPartReader, WSMsgType, hdrs, web
from discord import app_commands
from discord.utils import time_snowflake

from bot.adapters.discord import RoastClient, build_client
from bot.runtime.context import Context
from bot.runtime.settings import Settings

APP_ID = "900000000000000001"
GUILD = "800000000000000001"
OTHER_GUILD = "800000000000000002"
CHANNEL = "700000000000000001"
USER = "600000000000000001"
TOKEN = "fake-bot-token"
MANAGE_SERVER = str(discord.Permissions(manage_guild=True).value)
MEMBER = str(discord.Permissions(send_messages=True, use_application_commands=True).value)
TIMEOUT = 5.0
BOT_USER = {
    "id": APP_ID,
    "username": "roastbot",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
    "verified": True,
    "mfa_enabled": False,
    "flags": 0,
}
_snowflakes = itertools.count(500000000000000001)


def dm_channel(user_id: str) -> str:
    """The id of the fake's direct-message channel between the bot and a user."""
    return "4" + user_id[1:]


def snowflake() -> str:
    """A fresh snowflake, as a string like Discord sends it."""
    return str(next(_snowflakes))


@dataclass(frozen=True)
class Part:
    """One part of a multipart request: its field name, file name, content type and bytes."""

    name: str
    filename: str | None
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Recorded:
    """One request that reached the fake: method, path under /api/v10, query and JSON body.

    `raw` holds the body's bytes as sent (empty for a multipart request).

    A multipart request (a message with files) keeps every part, in order, in `parts`, and
    its `payload_json` part, parsed, as `body`.
    """

    method: str
    path: str
    query: dict[str, str]
    body: Any
    parts: tuple[Part, ...] = ()
    raw: bytes = b""

    def file(self, index: int) -> Part:
        """The `files[index]` part."""
        return next(part for part in self.parts if part.name == f"files[{index}]")


@dataclass
class _Failure:
    status: int
    body: Any
    headers: dict[str, str]
    times: int


@dataclass
class FakeDiscord:
    """The fake's state: what it received and the failures it is told to answer with."""

    base_url: str = ""
    valid_token: str = TOKEN
    requests: list[Recorded] = field(default_factory=list)
    gateway_frames: list[dict[str, Any]] = field(default_factory=list)
    # when set, channel posts get snowflakes of this clock's time (history reads use them)
    clock: Callable[[], datetime] | None = None
    channel_messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _nonces: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    _failures: dict[tuple[str, str], _Failure] = field(default_factory=dict)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def api_url(self) -> str:
        """What DISCORD_API_URL should be to reach this fake."""
        return f"{self.base_url}/api/v10"

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        body: Any,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` requests to `method path` with an error."""
        self._failures[(method, path)] = _Failure(status, body, headers or {}, times)

    def forget_nonces(self) -> None:
        """Let Discord's few-minute nonce window pass: a repeated nonce now makes a new message."""
        self._nonces.clear()

    def _create(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce") and (channel_id, nonce) in self._nonces:
            return self._nonces[(channel_id, nonce)]
        created = message(channel_id, body)
        if self.clock is not None:
            count = sum(len(m) for m in self.channel_messages.values())
            created["id"] = str(time_snowflake(self.clock()) + count)
        if nonce is not None:
            created["nonce"] = nonce
            self._nonces[(channel_id, nonce)] = created
        self.channel_messages.setdefault(channel_id, []).append(created)
        return created

    def _history(self, channel_id: str, query: dict[str, str]) -> list[dict[str, Any]]:
        after = int(query.get("after", "0"))
        found = [m for m in self.channel_messages.get(channel_id, []) if int(m["id"]) > after]
        history = [{k: v for k, v in m.items() if k != "nonce"} for m in reversed(found)]
        return history[: int(query.get("limit", "50"))]

    def matching(self, method: str, path: str) -> list[Recorded]:
        """Every recorded request to `method path` (path may end in `*` for a prefix)."""
        return [r for r in self.requests if r.method == method and _matches(r.path, path)]

    async def wait_for(self, method: str, path: str, count: int = 1) -> list[Recorded]:
        """Wait (at most TIMEOUT seconds) until `count` requests to `method path` arrived."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self.matching(method, path)) >= count), TIMEOUT
            )
        return self.matching(method, path)

    async def wait_for_frame(self, op: int) -> dict[str, Any]:
        """Wait until the gateway received a frame with this opcode."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: any(f["op"] == op for f in self.gateway_frames)),
                TIMEOUT,
            )
        return next(f for f in self.gateway_frames if f["op"] == op)

    async def _record(self, request: web.Request) -> Recorded:
        parts: tuple[Part, ...] = ()
        raw = b""
        if request.content_type == "multipart/form-data":
            parts = await _parts(request)
            payload = next((p for p in parts if p.name == "payload_json"), None)
            body = json.loads(payload.content) if payload is not None else None
        else:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        recorded = Recorded(
            request.method,
            request.path.removeprefix("/api/v10"),
            dict(request.query),
            body,
            parts,
            raw,
        )
        async with self._changed:
            self.requests.append(recorded)
            self._changed.notify_all()
        return recorded

    def _failure(self, recorded: Recorded) -> web.Response | None:
        for (method, path), failure in list(self._failures.items()):
            if method == recorded.method and _matches(recorded.path, path) and failure.times > 0:
                failure.times -= 1
                return _json(failure.body, failure.status, failure.headers)
        return None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one REST request the way Discord does, or with a configured failure."""
        recorded = await self._record(request)
        failure = self._failure(recorded)
        if failure is not None:
            return failure
        if request.headers.get("Authorization") != f"Bot {self.valid_token}" and not (
            recorded.path.startswith(("/interactions/", "/webhooks/"))
        ):
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        answer = self._answer(recorded)
        return web.Response(status=204) if answer is None else _json(answer)

    def _answer(self, r: Recorded) -> Any:
        parts = r.path.strip("/").split("/")
        match r.method, parts:
            case "GET", ["users", "@me"]:
                return BOT_USER
            case "GET", ["oauth2", "applications", "@me"]:
                return _application()
            case "GET", ["gateway", "bot"]:
                return _gateway(self.base_url)
            case "PUT", ["applications", _, *_, "commands"]:
                # as Discord answers: a context-menu command comes back with a blank description
                return [
                    {
                        "id": snowflake(),
                        "application_id": APP_ID,
                        "version": "1",
                        "description": "",
                        **command,
                    }
                    for command in r.body
                ]
            case "POST", ["interactions", interaction_id, _, "callback"]:
                return {"interaction": {"id": interaction_id, "type": 2}}
            case "POST", ["webhooks", _, _]:
                return _message(CHANNEL, r.body)
            case "PATCH", ["webhooks", _, _, "messages", "@original"]:
                return _message(CHANNEL, r.body)
            case "POST", ["channels", channel_id, "messages"]:
                return self._create(channel_id, r.body or {})
            case "GET", ["channels", channel_id, "messages"]:
                return self._history(channel_id, r.query)
            case "PATCH", ["channels", channel_id, "messages", message_id]:
                return {**message(channel_id, r.body or {}), "id": message_id}
            case "POST", ["users", "@me", "channels"]:
                user_id = str((r.body or {}).get("recipient_id"))
                return {"id": dm_channel(user_id), "type": 1, "recipients": [_user(user_id)]}
            case "POST", ["channels", channel_id, "messages", _, "threads"]:
                return {"id": snowflake(), "type": 11, "parent_id": channel_id, **r.body}
        return None

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        """A gateway that says hello, answers IDENTIFY with READY and records every frame."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"op": 10, "s": None, "t": None, "d": {"heartbeat_interval": 45000}})
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            async with self._changed:
                self.gateway_frames.append(frame)
                self._changed.notify_all()
            if frame["op"] == 2:
                await ws.send_json({"op": 0, "s": 1, "t": "READY", "d": _ready(self.base_url)})
        return ws


async def _parts(request: web.Request) -> tuple[Part, ...]:
    reader = await request.multipart()
    parts: list[Part] = []
    while (part := await reader.next()) is not None:
        assert isinstance(part, BodyPartReader), "no nested multipart in a Discord upload"
        parts.append(
            Part(
                name=part.name or "",
                filename=part.filename,
                content_type=part.headers.get(hdrs.CONTENT_TYPE, ""),
                content=bytes(await part.read()),
            )
        )
    return tuple(parts)


def _matches(actual: str, pattern: str) -> bool:
    return actual.startswith(pattern[:-1]) if pattern.endswith("*") else actual == pattern


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # exactly `application/json`: with a charset, discord.py would read the body as text
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def _application() -> dict[str, Any]:
    return {
        "id": APP_ID,
        "name": "roastbot",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": BOT_USER,
        "team": None,
        "verify_key": "0" * 64,
        "flags": 0,
        "summary": "",
    }


def _gateway(base_url: str) -> dict[str, Any]:
    limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
    return {
        "url": base_url.replace("http", "ws", 1) + "/gateway",
        "shards": 1,
        "session_start_limit": limit,
    }


def _ready(base_url: str) -> dict[str, Any]:
    return {
        "v": 10,
        "user": BOT_USER,
        "guilds": [],
        "session_id": "fake-session",
        "resume_gateway_url": base_url.replace("http", "ws", 1) + "/gateway",
        "shard": [0, 1],
        "application": {"id": APP_ID, "flags": 0},
    }


def _message(channel_id: str, body: Any) -> dict[str, Any]:
    return message(channel_id, body or {})


def message(channel_id: str, payload: dict[str, Any], *, flags: int = 0) -> dict[str, Any]:
    """A message as Discord returns it, carrying a sent payload's embeds and components."""
    return {
        "id": snowflake(),
        "channel_id": channel_id,
        "type": 0,
        "content": payload.get("content", ""),
        "embeds": payload.get("embeds", []),
        "components": payload.get("components", []),
        "author": BOT_USER,
        "attachments": [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": "2026-11-21T09:00:00+00:00",
        "edited_timestamp": None,
        "flags": payload.get("flags", flags),
    }


@asynccontextmanager
async def running_fake() -> AsyncIterator[FakeDiscord]:
    """The fake, serving on a free port of 127.0.0.1."""
    fake = FakeDiscord()
    app = web.Application()
    app.router.add_get("/gateway", fake.gateway)
    app.router.add_route("*", "/api/v10/{tail:.*}", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    fake.base_url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        await runner.cleanup()


def fake_settings(fake: FakeDiscord, **values: Any) -> Settings:
    """Settings pointing discord.py at the fake, reading no `.env`."""
    return Settings(
        _env_file=None,
        DISCORD_API_URL=fake.api_url,
        DISCORD_TOKEN=TOKEN,
        **values,
    )


@dataclass
class Harness:
    """A client logged in against the fake; feeds interactions and returns what was sent."""

    fake: FakeDiscord
    client: RoastClient
    errors: list[BaseException] = field(default_factory=list)

    def deliver(self, payload: dict[str, Any]) -> None:
        """Hand an INTERACTION_CREATE payload to the client as the gateway does."""
        self.client._connection.parsers["INTERACTION_CREATE"](payload)

    async def interact(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Deliver an interaction and return the JSON of its callback."""
        self.deliver(payload)
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        recorded = await self.fake.wait_for("POST", path)
        assert not self.errors, self.errors
        body: dict[str, Any] = recorded[0].body
        return body


@asynccontextmanager
async def discord_harness(
    context: Context, fake: FakeDiscord | None = None, **settings: Any
) -> AsyncIterator[Harness]:
    """A `RoastClient` over `context`, logged in against a (new or given) fake."""
    async with _fake_or(fake) as served:
        original = discord.http.Route.BASE
        client = build_client(fake_settings(served, **settings), context=context)
        harness = Harness(served, client)
        answer_failure = client.tree.on_error

        @client.tree.error
        async def record(
            interaction: discord.Interaction[Any], error: app_commands.AppCommandError
        ) -> None:
            harness.errors.append(error)
            await answer_failure(interaction, error)

        try:
            async with client:
                await client.login(TOKEN)
                yield harness
        finally:
            discord.http.Route.BASE = original


@asynccontextmanager
async def _fake_or(fake: FakeDiscord | None) -> AsyncIterator[FakeDiscord]:
    if fake is not None:
        yield fake
        return
    async with running_fake() as served:
        yield served


def _channel(guild_id: str | None, channel_id: str) -> dict[str, Any]:
    if guild_id is None:
        return {"id": channel_id, "type": 1, "recipients": [_user(USER)]}
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": guild_id,
        "name": "general",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
    }


def _user(user_id: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": f"user{user_id[-3:]}",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
    }


def interaction(
    kind: int,
    data: dict[str, Any],
    *,
    guild_id: str | None = GUILD,
    channel_id: str = CHANNEL,
    user_id: str = USER,
    permissions: str = MEMBER,
    message_payload: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload of type `kind` (2 command, 3 component, 4 autocomplete)."""
    interaction_id = snowflake()
    payload: dict[str, Any] = {
        "id": interaction_id,
        "application_id": APP_ID,
        "type": kind,
        "token": f"token-{interaction_id}",
        "version": 1,
        "data": data,
        "channel_id": channel_id,
        "channel": _channel(guild_id, channel_id),
        "locale": "en-US",
        "app_permissions": "2248473465835073",
        "attachment_size_limit": 10485760,
        "entitlements": [],
        "authorizing_integration_owners": {"0": guild_id or "0"},
        "context": 0 if guild_id else 1,
    }
    if guild_id is None:
        payload["user"] = _user(user_id)
    else:
        payload["guild_id"] = guild_id
        payload["guild_locale"] = "en-US"
        payload["member"] = {
            "user": _user(user_id),
            "roles": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "permissions": permissions,
            "flags": 0,
            "deaf": False,
            "mute": False,
        }
    if message_payload is not None:
        flags = message_payload.get("flags", 0)
        payload["message"] = message(channel_id, message_payload, flags=flags)
    return payload


def _options(options: dict[str, Any], focused: str | None = None) -> list[dict[str, Any]]:
    return [
        {"name": name, "type": 4 if isinstance(value, int) else 3, "value": value}
        | ({"focused": True} if name == focused else {})
        for name, value in options.items()
    ]


def command(
    name: str,
    subcommand: str | None = None,
    *,
    focused: str | None = None,
    kind: int = 2,
    **where: Any,
) -> Callable[..., dict[str, Any]]:
    """A builder: `command("roast")(role="sdet")` is the payload of `/roast role:sdet`."""

    def build(**options: Any) -> dict[str, Any]:
        inner = _options(options, focused)
        if subcommand is not None:
            inner = [{"name": subcommand, "type": 1, "options": inner}]
        data = {"id": snowflake(), "name": name, "type": 1, "options": inner}
        return interaction(kind, data, **where)

    return build


def autocomplete(
    name: str, subcommand: str | None = None, **where: Any
) -> Callable[..., dict[str, Any]]:
    """A builder for the autocomplete (type 4) payload of a command with one focused option."""

    def build(focused: str, **options: Any) -> dict[str, Any]:
        return command(name, subcommand, focused=focused, kind=4, **where)(**options)

    return build


def press(
    custom_id: str, on: dict[str, Any], *, values: list[str] | None = None, **where: Any
) -> dict[str, Any]:
    """A component (type 3) payload: a button press, or a menu choice when `values` is given."""
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2}
    if values is not None:
        data = {"custom_id": custom_id, "component_type": 3, "values": values}
    return interaction(3, data, message_payload=on, **where)


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A running fake Discord."""
    async with running_fake() as served:
        yield served


@pytest_asyncio.fixture
async def bot(context: Context) -> AsyncIterator[Harness]:
    """A client logged in against a fake Discord, over the test context."""
    async with discord_harness(context) as harness:
        yield harness
