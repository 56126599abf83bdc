"""`/roast` through roastbot's Slack and Discord adapters vs bare slack-bolt and discord.py.

Each bare handler answers the same bytes (roastbot's payload for the role, computed once)
through its library's own path: Bolt's `respond`, and discord.py's interaction response
adapter. The fake Slack and Discord APIs run in a child process on 127.0.0.1, so only the
bot side's CPU is counted here (its SQLite thread included). Requests go one at a time,
in interleaved rounds (roastbot, bare; bare, roastbot; ...); each round prints CPU time per
request for both and their ratio. Two references split roastbot's cost: the core alone
(the command and its rendering, back to back with nothing in between), and the bare
handler then the core in the same request. The core costs more there than alone (the
platform's work in between leaves it colder caches), so "roastbot without the core"
overstates the adapter; roastbot over "bare then core" is what the adapter adds, all told.
Discord's rounds follow each other with no pause, so a cost that grows with traffic
(per-interaction state kept for minutes) shows as a rising ratio from the first round to
the last.

    .venv/bin/python -m bench.adapters [--rounds N] [--requests N] [--parts slack discord]

(run from the repository root: the fakes are the tests' own, in `tests/adapters/`)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import discord
from discord import app_commands
from discord.http import MultipartParameters
from discord.webhook.async_ import async_context
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.discord import build_client
from bot.adapters.discord.render import message_payload as discord_payload
from bot.adapters.slack.bolt_app import create_app
from bot.adapters.slack.client import open_web_client
from bot.adapters.slack.contexts import ContextSource
from bot.adapters.slack.render import message_payload as slack_payload
from bot.catalog.lookup import Catalog
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.runtime.settings import Settings
from bot.store import open_store
from tests.adapters.discord.fake_discord import command, running_fake
from tests.adapters.slack.fake_slack import TEAM, fake_slack, signature

PARTS = ("slack", "discord")
ROLE = "Enterprise Architect"
SECRET = "bench-signing-secret"
TOKEN = "fake-bot-token"
WARM_UP = 100
USERS = 100_000  # members the fake Slack knows: U0, U1, ...

Send = Callable[[int], Awaitable[None]]


# --- the fake APIs, in a child process -------------------------------------------------


def _serve_fakes(pipe: Connection) -> None:
    """Run the tests' fake Discord and Slack until told to stop; send their URLs first."""

    async def serve() -> None:
        async with running_fake() as discord_fake, fake_slack() as slack_fake:
            slack_fake.users |= {f"U{n}": {"id": f"U{n}", "is_admin": False} for n in range(USERS)}
            pipe.send((discord_fake.api_url, slack_fake.url))
            await asyncio.get_running_loop().run_in_executor(None, pipe.recv)

    asyncio.run(serve())


@asynccontextmanager
async def serving_fakes() -> AsyncIterator[tuple[str, str]]:
    """The fakes running in a child process for the block: Discord's API URL, Slack's URL."""
    ours_end, fakes_end = multiprocessing.Pipe()
    fakes = multiprocessing.get_context("fork").Process(
        target=_serve_fakes, args=(fakes_end,), daemon=True
    )
    fakes.start()
    try:
        yield ours_end.recv()
    finally:
        ours_end.send("stop")
        fakes.join()


# --- measuring --------------------------------------------------------------------------


async def _settled() -> None:
    """Wait until every task but this one is done: the answer is out."""
    current = asyncio.current_task()
    while pending := [t for t in asyncio.all_tasks() if t is not current]:
        await asyncio.gather(*pending)


async def _cpu_per_request(
    send: Send, start: int, count: int, off_loop: dict[str, float] | None = None, name: str = ""
) -> float:
    """CPU milliseconds per request over `count` requests numbered from `start`; with
    `off_loop`, also records under `name` the share spent off the event loop's thread (the
    SQLite store's database thread: the other threads are idle)."""
    began, loop_began = time.process_time(), time.thread_time()
    for number in range(start, start + count):
        await send(number)
        await _settled()
    total = (time.process_time() - began) / count * 1000
    if off_loop is not None:
        off_loop[name] = total - (time.thread_time() - loop_began) / count * 1000
    return total


async def _compare(
    label: str, ours: Send, bare: Send, core: Send, rounds: int, requests: int
) -> None:
    """Interleaved rounds of `ours`, `bare` and the `core` alone; a line per round, medians.

    The core alone is the command's dispatch and the platform payload's rendering, with no
    platform around them: `ours` minus `core` is what the adapter itself costs.
    """
    numbers = itertools.count(step=requests)

    async def bare_then_core(number: int) -> None:
        await bare(number)
        await _settled()
        await core(number)

    for send in (ours, bare, core, bare_then_core):
        await _cpu_per_request(send, next(numbers), WARM_UP)
    print(f"{label} (CPU ms per request, {requests} requests a round):")
    ratios, adapter_ratios, joint_ratios = [], [], []
    for round_number in range(rounds):
        sends = [(ours, "ours"), (bare, "bare"), (core, "core"), (bare_then_core, "joint")]
        if round_number % 2:
            sends.reverse()
        off_loop: dict[str, float] = {}
        cost = {
            name: await _cpu_per_request(send, next(numbers), requests, off_loop, name)
            for send, name in sends
        }
        ratios.append(cost["ours"] / cost["bare"])
        adapter_ratios.append((cost["ours"] - cost["core"]) / cost["bare"])
        joint_ratios.append(cost["ours"] / cost["joint"])
        print(
            f"  round {round_number + 1:2}: roastbot {cost['ours']:6.3f}"
            f"  bare {cost['bare']:6.3f}  ratio {ratios[-1]:.2f}"
            f"  (core alone {cost['core']:6.3f}, {off_loop['core']:5.3f} of it on the database"
            f" thread; roastbot without it {adapter_ratios[-1]:.2f};"
            f" bare then core {cost['joint']:6.3f}, roastbot / that {joint_ratios[-1]:.2f})"
        )
    print(
        f"  median ratio {statistics.median(ratios):.2f}  (aim: <= 1.5); without the core's"
        f" own work {statistics.median(adapter_ratios):.2f}; roastbot over bare then core"
        f" {statistics.median(joint_ratios):.2f}"
    )


def _core_sender(context: Context, platform: str, render: Callable[[Any], Any]) -> Send:
    """The command alone: dispatch `/roast` in the channel a request would come from, render."""

    async def send(number: int) -> None:
        channel = f"C{number % 200}"
        options = {"role": ROLE}
        invocation = Invocation(platform, TEAM, channel, "U1", False, "roast", None, options)
        render(await dispatch(context, invocation))

    return send


async def _reply_of(context: Context, platform: str) -> Any:
    invocation = Invocation(platform, TEAM, "C0", "U0", False, "roast", None, {"role": ROLE})
    return await dispatch(context, invocation)


# --- Slack ------------------------------------------------------------------------------


def slack_request(base: str, number: int, user: str, team: str = TEAM) -> AsyncBoltRequest:
    """A signed `/roast` slash command from `user` in `team`, number `number` of a run."""
    body = urlencode(
        {
            "token": "legacy",
            "team_id": team,
            "channel_id": f"C{number % 200}",
            "user_id": user,
            "command": "/roast",
            "text": ROLE,
            "api_app_id": "A1",
            "response_url": f"{base}/response/r{number}",
            "trigger_id": f"t{number}",
        }
    )
    stamp = str(int(time.time()))
    headers = {
        "content-type": ["application/x-www-form-urlencoded"],
        "x-slack-request-timestamp": [stamp],
        "x-slack-signature": [signature(body, SECRET, stamp)],
    }
    return AsyncBoltRequest(body=body, headers=headers)


def _bare_slack_app(base: str, payload: dict[str, Any]) -> AsyncApp:
    client = AsyncWebClient(token=TOKEN, base_url=f"{base}/api/")
    app = AsyncApp(client=client, signing_secret=SECRET)

    @app.command("/roast")
    async def roast(ack: AsyncAck, respond: AsyncRespond) -> None:
        await ack()
        await respond(text=payload["text"], blocks=payload["blocks"], response_type="in_channel")

    return app


async def bench_slack(base: str, workdir: Path, rounds: int, requests: int) -> None:
    """Slack: the same user each time, then a new user each time."""
    settings = Settings(
        _env_file=None,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=f"{base}/api/",
        ROASTBOT_DB=str(workdir / "slack.sqlite3"),
    )
    context = Context(Catalog.load(), await open_store(settings.db))
    payload = slack_payload(await _reply_of(context, "slack"))
    bare = _bare_slack_app(base, payload)
    async with open_web_client(settings) as client:
        ours = create_app(settings, ContextSource(settings, context), client)
        for label, user in (("same user", lambda n: "U1"), ("a new user each time", "U{}".format)):

            def sender(app: AsyncApp, user: Callable[[int], str] = user) -> Send:
                async def send(number: int) -> None:
                    response = await app.async_dispatch(slack_request(base, number, user(number)))
                    assert response.status == 200, response.body

                return send

            core = _core_sender(context, "slack", slack_payload)
            await _compare(
                f"Slack /roast, {label}", sender(ours), sender(bare), core, rounds, requests
            )
    await context.store.close()


# --- Discord ----------------------------------------------------------------------------


class _BareDiscord(discord.Client):
    """discord.py with one `/roast role:` command answering a fixed payload."""

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(intents=discord.Intents.none())
        self.tree: app_commands.CommandTree[_BareDiscord] = app_commands.CommandTree(self)
        body = {"type": 4, "data": payload}

        @self.tree.command(name="roast", description="A job role's dossier, roasted")
        async def roast(interaction: discord.Interaction[Any], role: str) -> None:
            params = MultipartParameters(payload=body, multipart=None, files=None)
            await async_context.get().create_interaction_response(
                interaction.id, interaction.token, session=interaction._session, params=params
            )


def _interaction_sender(client: discord.Client) -> Send:
    build = command("roast", channel_id="700000000000000001")

    async def send(number: int) -> None:
        client._connection.parsers["INTERACTION_CREATE"](build(role=ROLE))

    return send


async def bench_discord(api: str, workdir: Path, rounds: int, requests: int) -> None:
    """Discord: rounds back to back, so per-interaction state left behind piles up."""
    settings = Settings(
        _env_file=None,
        DISCORD_TOKEN=TOKEN,
        DISCORD_API_URL=api,
        ROASTBOT_DB=str(workdir / "discord.sqlite3"),
    )
    context = Context(Catalog.load(), await open_store(settings.db))
    payload = discord_payload(await _reply_of(context, "discord"))
    ours, bare = build_client(settings, context=context), _BareDiscord(payload)
    discord.http.Route.BASE = api
    async with ours, bare:
        await ours.login(TOKEN)
        await bare.login(TOKEN)
        await _compare(
            "Discord /roast",
            _interaction_sender(ours),
            _interaction_sender(bare),
            _core_sender(context, "discord", discord_payload),
            rounds,
            requests,
        )
    await context.store.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=PARTS)
    args = parser.parse_args()
    async with serving_fakes() as (discord_api, slack_url):
        with tempfile.TemporaryDirectory() as tmp:
            if "slack" in args.parts:
                await bench_slack(slack_url, Path(tmp), args.rounds, args.requests)
            if "discord" in args.parts:
                await bench_discord(discord_api, Path(tmp), args.rounds, args.requests)


if __name__ == "__main__":
    asyncio.run(main())
