"""A fake Slack on 127.0.0.1: the Web API, `response_url`s, file uploads and Socket Mode.

It records every request it receives, so tests assert on the exact JSON the bot sent and
the `Authorization` header it came with (and, for a file, the bytes posted to the upload URL
that `files.getUploadURLExternal` handed out, recorded as method `upload`). For installs in
many workspaces it grants bot tokens through `oauth.v2.access` (for the codes in `codes`,
expiring ones with a refresh token when `rotating`), answers `auth.test` per token, and
`SlackBench` drives Bolt's real aiohttp server with requests signed the way Slack signs them.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest_asyncio
from aiohttp import ClientSession, WSMsgType, web
from slack_bolt.async_app import AsyncApp

from bot.adapters.slack import build_app
from bot.adapters.slack.modal import ROLE_ACTION
from bot.adapters.slack.oauth import BOT_SCOPES
from bot.adapters.slack.render import message_payload
from bot.adapters.slack.runtime import slack_routes
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.runtime.http_site import HttpSite
from bot.runtime.invocation import Invocation
from bot.runtime.settings import Settings
from tests.twin import twin as twin  # a fixture, for the Slack tests

TEAM = "T1"
OTHER_TEAM = "T2"
CHANNEL = "C1"
USER = "U1"
ADMIN = "UADMIN"
LISTED = "ULISTED"
BOT_USER = "UBOT"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret-0123"
EXPIRING_SECONDS = 60  # within Bolt's two hours: refreshed before its first use
LASTING_SECONDS = 43_200
WAIT = 10.0


@dataclass
class Call:
    """One request that reached the fake: an API method, a `response_url` post, an upload
    (path = the file id, `content` = the bytes) or a frame. `peer` is the client's address
    and port: one per connection it opened."""

    method: str
    args: dict[str, Any]
    raw: str = ""
    token: str | None = None
    path: str = ""
    content: bytes = b""
    peer: str = ""
    authorization: str = ""


Answer = Callable[[Call], web.StreamResponse]


@dataclass
class FakeSlack:
    """The fake's state: what it answers and everything it was sent."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    envelopes: list[dict[str, Any]] = field(default_factory=list)
    gate: asyncio.Event | None = None  # when set up, `response_url` posts wait for it
    calls: list[Call] = field(default_factory=list)
    url: str = ""
    # when set, posted messages get a `ts` of this clock's time (history reads use it)
    clock: Callable[[], datetime] | None = None
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # installs in many workspaces: code -> team it installs into, bot token -> its team,
    # refresh token -> its team; with `rotating`, installs grant tokens about to expire
    codes: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    rotating: bool = False
    _token_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _file_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def api_url(self) -> str:
        """The base URL the bot's `AsyncWebClient` uses (`SLACK_API_URL`)."""
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        """A `response_url` whose posts are recorded as method `response`, path `name`."""
        return f"{self.url}/response/{name}"

    def to(self, method: str) -> list[Call]:
        """The calls recorded for one method, oldest first."""
        return [call for call in self.calls if call.method == method]

    async def wait_until(self, arrived: Callable[[], bool]) -> None:
        """Wait, at most `WAIT` seconds, until `arrived()` holds after some request."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(arrived), WAIT)

    async def wait_for(self, method: str, count: int = 1) -> list[Call]:
        """Wait until `count` calls of `method` arrived; return them all."""
        await self.wait_until(lambda: len(self.to(method)) >= count)
        return self.to(method)

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.StreamResponse:
        raw = await request.text()
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json" and raw:
            args |= json.loads(raw)
        elif raw:
            args |= dict(await request.post())
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or None
        call = Call(
            request.match_info["method"],
            args,
            raw,
            token or args.get("token"),
            peer=_peer(request),
            authorization=request.headers.get("Authorization", ""),
        )
        await self._record(call)
        answer = self.answers.get(call.method)
        return answer(call) if answer else web.json_response(self._default(call))

    def _default(self, call: Call) -> dict[str, Any]:
        match call.method:
            case "auth.test":
                return self._auth_test(call)
            case "oauth.v2.access":
                return self._oauth(call)
            case "users.info":
                user = self.users.get(str(call.args.get("user")))
                return (
                    {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
                )
            case "views.open":
                return {"ok": True, "view": {"id": "V1", **call.args["view"]}}
            case "views.update":
                return {"ok": True, "view": {"id": call.args["view_id"], **call.args["view"]}}
            case "views.publish":
                return {"ok": True, "view": {"id": "VHOME", **call.args["view"]}}
            case "chat.postMessage":
                return self._post(call.args)
            case "chat.update":
                return {"ok": True, "channel": call.args["channel"], "ts": call.args["ts"]}
            case "conversations.history":
                return self._history(call.args)
            case "pins.add" | "pins.remove":
                return {"ok": True}
            case "apps.connections.open":
                return {"ok": True, "url": f"{self.url.replace('http', 'ws', 1)}/socket"}
            case "conversations.open":
                return {"ok": True, "channel": {"id": dm_channel(str(call.args.get("users")))}}
            case "files.getUploadURLExternal":
                file_id = f"F{next(self._file_ids)}"
                return {
                    "ok": True,
                    "upload_url": f"{self.url}/upload/{file_id}",
                    "file_id": file_id,
                }
            case "files.completeUploadExternal":
                files = json.loads(str(call.args.get("files", "[]")))
                return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in files]}
        return {"ok": False, "error": "unknown_method"}

    def _auth_test(self, call: Call) -> dict[str, Any]:
        """The token's team: a granted token's own, `TEAM` for any other unless tokens were
        granted (installs in many workspaces), when an unknown one is refused."""
        team = self.tokens.get(str(call.token), TEAM)
        if self.tokens and call.token not in self.tokens:
            return {"ok": False, "error": "invalid_auth"}
        return {
            "ok": True,
            "url": "https://acme.slack.com/",
            "team": "Acme" if team == TEAM else f"Team {team}",
            "user": "roastbot",
            "team_id": team,
            "user_id": BOT_USER,
            "bot_id": "BBOT",
        }

    def _oauth(self, call: Call) -> dict[str, Any]:
        """A bot token for a code in `codes` (used up), or a fresh one for a refresh token."""
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if call.authorization != f"Basic {basic}":
            return {"ok": False, "error": "invalid_client_id"}
        if call.args.get("grant_type") == "refresh_token":
            team = self.refresh_tokens.get(str(call.args.get("refresh_token")))
            if team is None:
                return {"ok": False, "error": "invalid_refresh_token"}
            return self._grant(team, LASTING_SECONDS)
        team = self.codes.pop(str(call.args.get("code")), None)
        if team is None:
            return {"ok": False, "error": "invalid_code"}
        return self._grant(team, EXPIRING_SECONDS if self.rotating else None) | {
            "app_id": "A1",
            "authed_user": {"id": USER},
            "bot_user_id": BOT_USER,
            "team": {"id": team, "name": f"Team {team}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _grant(self, team: str, expires_in: int | None) -> dict[str, Any]:
        number = next(self._token_ids)
        token = f"xoxb-{team}-{number}"
        self.tokens[token] = team
        granted: dict[str, Any] = {
            "ok": True,
            "access_token": token,
            "token_type": "bot",
            "scope": ",".join(BOT_SCOPES),
        }
        if expires_in is not None:
            refresh = f"xoxe-1-{team}-{number}"
            self.refresh_tokens[refresh] = team
            granted |= {"refresh_token": refresh, "expires_in": expires_in}
        return granted

    def tokens_of(self, team: str) -> list[str]:
        """Every bot token granted for the team, oldest first."""
        return [token for token, owner in self.tokens.items() if owner == team]

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args["channel"])
        count = sum(len(posted) for posted in self.messages.values())
        seconds = int(self.clock().timestamp()) if self.clock else 1764000000
        message = {
            "type": "message",
            "user": BOT_USER,
            "bot_id": "BBOT",
            "text": args.get("text", ""),
            "ts": f"{seconds}.{100 + count:06d}",
        }
        if args.get("metadata"):
            message["metadata"] = args["metadata"]
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        oldest = float(args.get("oldest", 0))
        found = [m for m in self.messages.get(str(args["channel"]), []) if float(m["ts"]) > oldest]
        if str(args.get("include_all_metadata")).lower() not in ("true", "1"):
            found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
        limit = int(args.get("limit", 100))
        return {"ok": True, "messages": list(reversed(found))[:limit], "has_more": False}

    async def _upload(self, request: web.Request) -> web.StreamResponse:
        content = await request.read()
        file_id = request.match_info["file_id"]
        await self._record(Call("upload", {}, path=file_id, content=content))
        return web.Response(text=f"OK - {len(content)}")

    async def _response(self, request: web.Request) -> web.StreamResponse:
        raw = await request.text()
        name = request.match_info["name"]
        await self._record(Call("response", json.loads(raw), raw, path=name, peer=_peer(request)))
        if self.gate is not None:
            await self.gate.wait()
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1})
        for envelope in self.envelopes:
            await socket.send_json(envelope)
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await self._record(Call("socket", json.loads(message.data), message.data))
        return socket

    def application(self) -> web.Application:
        """The aiohttp application serving the fake."""
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        return app


def _peer(request: web.Request) -> str:
    host, port = request.transport.get_extra_info("peername")[:2] if request.transport else ("", 0)
    return f"{host}:{port}"


def dm_channel(user: str) -> str:
    """The id of the fake's direct-message channel between the bot and `user`."""
    return f"D{user}"


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """Serve an aiohttp application on 127.0.0.1 on a free port; yield its base URL."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """A running fake Slack with one plain member (`USER`) and one workspace admin (`ADMIN`)."""
    fake = FakeSlack(
        users={
            USER: {"id": USER, "is_admin": False, "is_owner": False},
            ADMIN: {"id": ADMIN, "is_admin": True, "is_owner": False},
        }
    )
    async with serving(fake.application()) as url:
        fake.url = url
        yield fake


def slack_settings(fake: FakeSlack, tmp_path: Path, **env: str) -> Settings:
    """HTTP-mode settings pointing at the fake, reading no `.env`; `env` overrides them."""
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": fake.api_url,
        "ROASTBOT_SLACK_ADMINS": "",
        "ROASTBOT_DB": str(tmp_path / "roastbot.sqlite3"),
    }
    return Settings(_env_file=None, **(values | env))


def signature(body: bytes | str, secret: str, timestamp: str) -> str:
    """Slack's v0 request signature of a body sent at `timestamp`."""
    raw = body.encode() if isinstance(body, str) else body
    base = b"v0:" + timestamp.encode() + b":" + raw
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def command_payload(
    fake: FakeSlack,
    command: str,
    text: str,
    *,
    name: str,
    team: str = TEAM,
    user: str = USER,
    channel: str = CHANNEL,
) -> dict[str, str]:
    """The fields Slack sends for a slash command, answering to `response_url(name)`."""
    return {
        "token": "legacy-verification-token",
        "team_id": team,
        "team_domain": "acme",
        "channel_id": channel,
        "channel_name": "general",
        "user_id": user,
        "user_name": "someone",
        "command": command,
        "text": text,
        "api_app_id": "A1",
        "is_enterprise_install": "false",
        "response_url": fake.response_url(name),
        "trigger_id": f"trigger-{name}",
    }


def block_action(
    fake: FakeSlack,
    element: dict[str, Any],
    *,
    name: str,
    ephemeral: bool = False,
    user: str = USER,
) -> dict[str, Any]:
    """A `block_actions` payload for a press on `element` in a message in `CHANNEL`."""
    return _press(element, name, user) | {
        "container": {
            "type": "message",
            "message_ts": "1764000000.000100",
            "channel_id": CHANNEL,
            "is_ephemeral": ephemeral,
        },
        "channel": {"id": CHANNEL, "name": "general"},
        "response_url": fake.response_url(name),
    }


def view_action(
    element: dict[str, Any], view: dict[str, Any], *, name: str, user: str = USER
) -> dict[str, Any]:
    """A `block_actions` payload for a press inside a view (Home tab or modal): no channel,
    no `response_url`."""
    return _press(element, name, user) | {
        "container": {"type": "view", "view_id": view["id"]},
        "view": view,
    }


def _press(element: dict[str, Any], name: str, user: str) -> dict[str, Any]:
    """What every `block_actions` payload carries: who pressed `element`, and its trigger."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "acme"},
        "user": {"id": user, "username": "someone", "team_id": TEAM},
        "api_app_id": "A1",
        "token": "legacy-verification-token",
        "trigger_id": f"trigger-{name}",
        "actions": [{**element, "block_id": "b1", "action_ts": "1764000001.000200"}],
    }


def modal_submission(
    callback_id: str,
    user: str,
    role: str,
    quote: str,
    source: str = "",
    *,
    role_text: str | None = None,
) -> dict[str, Any]:
    """The `view_submission` of a quote modal (add or suggest) opened in `CHANNEL`.

    The role picked has the value `role` and shows `role_text` (`role` itself when None).
    """
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "acme"},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A1",
        "token": "legacy-verification-token",
        "trigger_id": "trigger-submit",
        "view": {
            "id": "V1",
            "team_id": TEAM,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": CHANNEL,
            "state": {
                "values": {
                    "role": {
                        ROLE_ACTION: {
                            "type": "external_select",
                            "selected_option": {
                                "text": {"type": "plain_text", "text": role_text or role},
                                "value": role,
                            },
                        }
                    },
                    "quote": {"value": {"type": "plain_text_input", "value": quote}},
                    "source": {"value": {"type": "plain_text_input", "value": source or None}},
                }
            },
        },
        "response_urls": [],
    }


class SlackBench:
    """Bolt's real aiohttp server on 127.0.0.1, fed signed requests, calling the fake."""

    def __init__(self, fake: FakeSlack, url: str) -> None:
        self.fake = fake
        self.url = url
        self.errors: list[Exception] = []
        self._names = itertools.count(1)

    def name(self) -> str:
        """A fresh `response_url` name."""
        return f"r{next(self._names)}"

    async def post(
        self, body: str, *, secret: str = SECRET, age: int = 0, path: str = "/slack/events"
    ) -> tuple[int, str]:
        """POST a form body signed with `secret`, dated `age` seconds ago; status and text."""
        return await self.send(body.encode(), secret=secret, age=age, path=path)

    async def send(
        self,
        body: bytes,
        *,
        secret: str = SECRET,
        age: int = 0,
        timestamp: str | None = None,
        content_type: str = "application/x-www-form-urlencoded",
        path: str = "/slack/events",
    ) -> tuple[int, str]:
        """POST any bytes, signed over those bytes as Slack signs; `timestamp` replaces the
        real one (dated `age` seconds ago) in both the header and the signature."""
        stamp = str(int(time.time()) - age) if timestamp is None else timestamp
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature(body, secret, stamp),
        }
        async with (
            ClientSession() as session,
            session.post(self.url + path, data=body, headers=headers) as response,
        ):
            return response.status, await response.text()

    async def command(self, command: str, text: str = "", **fields: str) -> Call:
        """Send a slash command, check it is acked empty, and return its `response_url` post."""
        name = self.name()
        status, text_back = await self.post(
            urlencode(command_payload(self.fake, command, text, name=name, **fields))
        )
        assert (status, text_back) == (200, "")
        return await self.response(name)

    async def interact(self, payload: dict[str, Any]) -> tuple[int, str]:
        """Send an interactivity payload (`payload=<json>`); the HTTP status and body."""
        return await self.post(urlencode({"payload": json.dumps(payload)}))

    async def response(self, name: str) -> Call:
        """The post that reached `response_url(name)`, waiting for it if needed."""
        await self.fake.wait_until(lambda: any(c.path == name for c in self.fake.to("response")))
        return next(c for c in self.fake.to("response") if c.path == name)


@asynccontextmanager
async def bench(fake: FakeSlack, app: AsyncApp) -> AsyncIterator[SlackBench]:
    """Serve `app` through the shared HTTP site's application; collect listener errors."""
    site = HttpSite("127.0.0.1", 0, ["slack"])
    site.add("slack", slack_routes(app, SECRET))
    async with serving(site.app) as url:
        running = SlackBench(fake, url)

        async def collect(error: Exception) -> None:
            running.errors.append(error)

        app.error(collect)
        yield running


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """A running fake Slack."""
    async with fake_slack() as running:
        yield running


@pytest_asyncio.fixture
async def slack(fake: FakeSlack, context: Context, tmp_path: Path) -> AsyncIterator[SlackBench]:
    """The bot's app over HTTP against the fake; `ULISTED` is an admin by the settings."""
    settings = slack_settings(fake, tmp_path, ROASTBOT_SLACK_ADMINS=LISTED)
    async with bench(fake, build_app(settings, context=context)) as running:
        yield running
    assert running.errors == []


async def expected(
    twin: Context,
    command: str,
    subcommand: str | None = None,
    *,
    user: str = USER,
    admin: bool = False,
    **options: str,
) -> dict[str, Any]:
    """The `response_url` post a command should produce, computed by the core directly."""
    invocation = Invocation("slack", TEAM, CHANNEL, user, admin, command, subcommand, options)
    reply = await dispatch(twin, invocation)
    response_type = "ephemeral" if reply.private else "in_channel"
    return message_payload(reply) | {"response_type": response_type}
