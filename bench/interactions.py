"""Discord interactions/s and CPU per interaction: HTTP endpoint vs gateway path vs bare handler.

Two processes on 127.0.0.1. The "Discord side" (a child process) plays Discord: it signs
interactions with a test Ed25519 key and posts them, 16 at a time, and serves the REST API
the bot logs in to and answers gateway interactions through. The bot process measures its
own CPU time (`time.process_time`) and the wall time of each round for three targets:

- endpoint: `POST /discord/interactions`, the real `InteractionsEndpoint` over a real client
  and store, the answer in the HTTP response;
- gateway: the same interaction JSON handed to the client as discord.py's gateway parser
  hands it (websocket framing not counted), answered by a POST to the fake callback route;
- bare: an aiohttp handler that verifies the same signature and returns the endpoint's
  answer bytes, precomputed.

Rounds are interleaved (bare, endpoint, gateway, bare, ...) and the medians printed, for
PING (the endpoint's own work only: signature, JSON, answer; the gateway has no PING),
autocomplete (no database) and `/roast` (a quote drawn and written). Run by hand:

    .venv/bin/python bench/interactions.py [--count N] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web
from nacl.signing import SigningKey

from bot.adapters.discord import build_client
from bot.adapters.discord.client import RoastClient
from bot.adapters.discord.endpoint import PATH, InteractionsEndpoint
from bot.adapters.discord.signature import SignatureCheck
from bot.runtime.settings import Settings
from bot.runtime.startup import create_context

KEY = SigningKey(bytes(range(32)))
PUBLIC_KEY = KEY.verify_key.encode().hex()
APP_ID = "900000000000000001"
CONCURRENCY = 16
KINDS = ("ping", "autocomplete", "roast")
TARGETS = ("bare", "endpoint", "gateway")
_ids = itertools.count(500000000000000001)


def payload(kind: str) -> dict[str, Any]:
    """A guild interaction as Discord sends it: `/roast role:sdet`, its autocomplete, a PING."""
    interaction_id = str(next(_ids))
    if kind == "ping":
        return {"id": interaction_id, "application_id": APP_ID, "type": 1, "version": 1}
    option: dict[str, Any] = {"name": "role", "type": 3, "value": "sdet"}
    if kind == "autocomplete":
        option = {**option, "value": "enterprize arch", "focused": True}
    user = {"id": "600000000000000001", "username": "u", "discriminator": "0", "avatar": None}
    return {
        "id": interaction_id,
        "application_id": APP_ID,
        "type": 4 if kind == "autocomplete" else 2,
        "token": f"token-{interaction_id}",
        "version": 1,
        "data": {"id": "1", "name": "roast", "type": 1, "options": [option]},
        "guild_id": "800000000000000001",
        "channel_id": "700000000000000001",
        "member": {
            "user": user,
            "roles": [],
            "permissions": "0",
            "joined_at": "2024-01-01T00:00:00+00:00",
            "flags": 0,
        },
        "locale": "en-US",
        "app_permissions": "0",
        "attachment_size_limit": 10485760,
    }


def signed_body(kind: str) -> tuple[bytes, dict[str, str]]:
    """A fresh interaction's body and Discord's headers for it, signed now."""
    body = json.dumps(payload(kind)).encode()
    timestamp = str(int(time.time()))
    signature = KEY.sign(timestamp.encode() + body).signature.hex()
    return body, {
        "Content-Type": "application/json",
        "X-Signature-Ed25519": signature,
        "X-Signature-Timestamp": timestamp,
    }


# --- the Discord side (child process) ---------------------------------------------------


async def discord_side() -> None:
    """Serve the fake REST API and the load generator; print the port, run until stdin ends."""
    user = {"id": APP_ID, "username": "roastbot", "discriminator": "0", "avatar": None}
    session = ClientSession()

    def exact_json(data: Any) -> web.Response:
        # exactly `application/json`: with a charset, discord.py would read the body as text
        body = json.dumps(data).encode()
        return web.Response(body=body, headers={"Content-Type": "application/json"})

    async def rest(request: web.Request) -> web.Response:
        await request.read()
        path = request.path.removeprefix("/api/v10")
        if path == "/users/@me":
            return exact_json(user)
        if path == "/oauth2/applications/@me":
            return exact_json(
                {"id": APP_ID, "name": "roastbot", "description": "", "icon": None,
                 "bot_public": True, "bot_require_code_grant": False, "owner": user,
                 "team": None, "verify_key": PUBLIC_KEY, "flags": 0, "summary": ""}
            )  # fmt: skip
        if request.method == "PUT":
            return exact_json([])
        return web.Response(status=204)

    async def load(request: web.Request) -> web.Response:
        order = await request.json()
        bodies = [signed_body(order["kind"]) for _ in range(order["count"])]
        pending = iter(bodies)

        async def worker() -> None:
            for body, headers in pending:
                async with session.post(order["url"], data=body, headers=headers) as answer:
                    text = await answer.read()
                    if answer.status != 200:
                        raise RuntimeError(f"{order['url']} answered {answer.status}: {text!r}")

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/load", load)
    app.router.add_route("*", "/api/v10/{tail:.*}", rest)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await session.close()
    await runner.cleanup()


# --- the bot side -----------------------------------------------------------------------


async def measure(run: Callable[[], Awaitable[None]], count: int) -> tuple[float, float]:
    """Interactions/s and CPU microseconds per interaction of one round."""
    cpu, wall = time.process_time(), time.perf_counter()
    await run()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return count / wall, cpu / count * 1e6


async def bot_side(count: int, rounds: int) -> None:
    """Start the Discord side, serve the three targets and print the medians and ratios."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--discord-side", stdin=-1, stdout=-1
    )
    assert child.stdout is not None and child.stdin is not None
    side = f"http://127.0.0.1:{int(await child.stdout.readline())}"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            DISCORD_TOKEN="bench-token",
            DISCORD_API_URL=f"{side}/api/v10",
            DISCORD_PUBLIC_KEY=PUBLIC_KEY,
            ROASTBOT_DB=str(Path(tmp) / "bench.sqlite3"),
        )
        context = await create_context(settings)
        client = build_client(settings, context=context)
        async with client, ClientSession() as session:
            await client.login("bench-token")
            results = await _rounds(client, context.clock, session, side, count, rounds)
        await context.store.close()
    child.stdin.close()
    await child.wait()
    _report(results, count, rounds)


async def _rounds(
    client: RoastClient,
    clock: Any,
    session: ClientSession,
    side: str,
    count: int,
    rounds: int,
) -> dict[tuple[str, str], list[tuple[float, float]]]:
    check = SignatureCheck(PUBLIC_KEY)
    endpoint = InteractionsEndpoint(client, check, clock)
    answers: dict[str, bytes] = {}

    async def bare(request: web.Request) -> web.Response:
        body = await request.read()
        signature = request.headers.get("X-Signature-Ed25519")
        timestamp = request.headers.get("X-Signature-Timestamp")
        if (
            signature is None
            or timestamp is None
            or not check.well_formed(signature, timestamp)
            or not check.verify(signature, timestamp, body, time.time())
        ):
            return web.Response(status=401)
        return web.Response(
            body=answers[request.match_info["kind"]], content_type="application/json"
        )

    app = web.Application()
    endpoint.routes(app)
    app.router.add_post("/bare/{kind}", bare)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    here = f"http://127.0.0.1:{runner.addresses[0][1]}"

    async def drive(url: str, kind: str) -> None:
        order = {"url": url, "kind": kind, "count": count}
        async with session.post(f"{side}/load", json=order) as done:
            if done.status != 200:
                raise RuntimeError(await done.text())

    async def gateway(kind: str) -> None:
        interactions = iter([payload(kind) for _ in range(count)])

        async def worker() -> None:
            for data in interactions:
                await client.receive(client.interaction_of(data))

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))

    for kind in KINDS:  # warm up, and take the endpoint's answer as the bare handler's bytes
        body, headers = signed_body(kind)
        async with session.post(here + PATH, data=body, headers=headers) as answer:
            answers[kind] = await answer.read()
        await drive(here + PATH, kind)
        if kind != "ping":
            await gateway(kind)

    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(rounds):
        for kind in KINDS:
            targets: dict[str, Callable[[], Awaitable[None]]] = {
                "bare": partial(drive, f"{here}/bare/{kind}", kind),
                "endpoint": partial(drive, here + PATH, kind),
                "gateway": partial(gateway, kind),
            }
            if kind == "ping":
                del targets["gateway"]
            for name, run in targets.items():
                results.setdefault((kind, name), []).append(await measure(run, count))
    await runner.cleanup()
    return results


def _report(
    results: dict[tuple[str, str], list[tuple[float, float]]], count: int, rounds: int
) -> None:
    print(
        f"{count} interactions a round, {rounds} interleaved rounds, medians; CPU of the bot process"
    )
    for kind in KINDS:
        names = [name for name in TARGETS if (kind, name) in results]
        rate = {name: statistics.median(r for r, _ in results[(kind, name)]) for name in names}
        cpu = {name: statistics.median(c for _, c in results[(kind, name)]) for name in names}
        print(f"\n{kind}:")
        for name in names:
            print(f"  {name:9s} {rate[name]:8.0f} interactions/s  {cpu[name]:7.0f} us CPU each")
        ratios = [f"endpoint/bare CPU {cpu['endpoint'] / cpu['bare']:.2f}x (goal <= 1.3x)"]
        if "gateway" in cpu:
            ratios.append(f"gateway/bare CPU {cpu['gateway'] / cpu['bare']:.2f}x")
            ratios.append(f"endpoint/gateway CPU {cpu['endpoint'] / cpu['gateway']:.2f}x")
        print("  " + ", ".join(ratios))


def main() -> None:
    """Parse the arguments; run one side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--discord-side", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.discord_side:
        asyncio.run(discord_side())
    else:
        asyncio.run(bot_side(args.count, args.rounds))


if __name__ == "__main__":
    main()
