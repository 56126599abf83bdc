"""The daily fan-out at the platforms' rate limits: N channels due at one minute.

For each platform and N, one child process subscribes N channels, starts a rate-limited
fake of the platform on 127.0.0.1 (aiohttp, in the same event loop), and runs one real
`post_due` pass through the real adapter (discord.py's HTTP client, slack-sdk's client):

- fake Discord: 50 requests/s for the whole bot (a sliding one-second window) and 5 per 5 s
  per channel; a 429 carries Discord's exact body (`message`, `retry_after`, `global`) and
  headers (`Retry-After`, `X-RateLimit-*`, `X-RateLimit-Global`, `X-RateLimit-Scope`, `Via`);
  every answer carries the channel's `X-RateLimit-*` headers;
- fake Slack: `chat.postMessage` at 1 per second per channel, and per workspace a bucket of
  20 (the burst) refilled at 300 a minute; a 429 is `{"ok": false, "error": "ratelimited"}`
  with `Retry-After`.

Time is virtual: the event loop's clock jumps to its next timer whenever nothing is ready
(never while a store transaction or an HTTP request is on its way), so the pacing of a pass that takes
half an hour of platform time runs in seconds; the limiter, discord.py's own waits and the
fakes' windows all read that one clock. CPU time and peak RSS (the child's, fakes included)
are real. Prints, per run: the fraction of the platform's limit reached (posts per virtual
second over the pass / the limit), 429s per post, posts missed, posts doubled, peak RSS,
and the most file descriptors open at any post (both ends of every loopback connection).

    .venv/bin/python bench/fanout.py [--sizes 1000,10000] [--platforms discord,slack]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import math
import os
import random
import resource
import selectors
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.catalog.loader import BUNDLED_DIR, load_roles
from bot.catalog.lookup import Catalog
from bot.daily.scheduler import Outcome, post_due
from bot.runtime.context import Context
from bot.runtime.poster import Poster
from bot.runtime.settings import Settings
from bot.store import Place, Store, open_store
from bot.store.engine import ThreadRunner

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
GUILD = "800000000000000001"
TEAM = "T1"
DISCORD_GLOBAL = 50  # requests per second
DISCORD_CHANNEL = (5, 5.0)  # requests per seconds, per channel
SLACK_CHANNEL = 1.0  # seconds between posts in one channel
SLACK_WORKSPACE_RATE = 300 / 60  # posts per second
SLACK_WORKSPACE_BURST = 20
BOT_USER = {
    "id": "900000000000000001",
    "username": "roastbot",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
    "verified": True,
    "mfa_enabled": False,
    "flags": 0,
}
LOOK_FOR_IO = 0.001  # real seconds the virtual loop looks for I/O before jumping


class _JumpingSelector(selectors.BaseSelector):
    """A selector that, with nothing ready, moves its loop's virtual clock instead of waiting."""

    def __init__(self, inner: selectors.BaseSelector, loop: VirtualTimeLoop) -> None:
        self._inner = inner
        self._loop = loop

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._inner.register(fileobj, events, data)

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        return self._inner.unregister(fileobj)

    def modify(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._inner.modify(fileobj, events, data)

    def get_map(self) -> Any:
        return self._inner.get_map()

    def close(self) -> None:
        self._inner.close()

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is not None and timeout <= 0:
            return self._inner.select(0)
        if self._loop.work_out:  # a database call or a fake's answer is on its way
            return self._inner.select(None)
        ready = self._inner.select(LOOK_FOR_IO if timeout is not None else None)
        if ready or timeout is None:
            return ready
        self._loop.virtual_now += timeout
        return []


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop whose `time()` is virtual and jumps to the next timer when idle."""

    def __init__(self) -> None:
        super().__init__()
        self.virtual_now = 0.0
        self.work_out = 0
        self._selector = _JumpingSelector(self._selector, self)  # type: ignore[has-type]

    def time(self) -> float:
        """Virtual seconds since the loop was made."""
        return self.virtual_now


def count_work_out() -> None:
    """Make every store transaction and every HTTP request count as work out on the loop.

    The database answers from its own thread (`ThreadRunner`: sqlite3 on one worker
    thread), the fakes from the same loop; while either is on its way, the loop waits for
    it instead of moving the clock on, so the clock moves only when everything waits on a
    timer. (Until now this wrapped aiosqlite, which the store no longer uses: the clock
    jumped during every transaction slower than `LOOK_FOR_IO`, so the 429s it counted
    followed the machine's load.)
    """
    run = ThreadRunner.run
    request = aiohttp.ClientSession._request

    async def counted_run(self: ThreadRunner, body: Any, *, write: bool) -> Any:
        async with _work_out():
            return await run(self, body, write=write)

    async def counted_request(self: aiohttp.ClientSession, *args: Any, **kw: Any) -> Any:
        async with _work_out():
            response = await request(self, *args, **kw)
            await response.read()
            return response

    ThreadRunner.run = counted_run  # type: ignore[method-assign]
    aiohttp.ClientSession._request = counted_request  # type: ignore[method-assign]


@asynccontextmanager
async def _work_out() -> AsyncIterator[None]:
    loop = asyncio.get_running_loop()
    assert isinstance(loop, VirtualTimeLoop)
    loop.work_out += 1
    try:
        yield
    finally:
        loop.work_out -= 1


@dataclass
class Tally:
    """What a fake saw: posts per channel, 429s, and when the first and last post landed."""

    posts: collections.Counter[str] = field(default_factory=collections.Counter)
    refused: int = 0
    first: float | None = None
    last: float = 0.0
    peak_files: int = 0

    def posted(self, channel: str, now: float) -> None:
        self.posts[channel] += 1
        self.first = now if self.first is None else self.first
        self.last = now
        self.peak_files = max(self.peak_files, len(os.listdir("/proc/self/fd")))


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


class FakeDiscord:
    """Discord's REST API for login and channel posts, with the global and channel limits."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.tally = Tally()
        self._recent: collections.deque[float] = collections.deque()
        self._windows: dict[str, tuple[float, int]] = {}
        self._ids = iter(range(10**17, 10**18))

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/api/v10/users/@me", self._me)
        app.router.add_get("/api/v10/oauth2/applications/@me", self._application)
        app.router.add_post("/api/v10/channels/{channel}/messages", self._post)
        return app

    async def _me(self, request: web.Request) -> web.Response:
        return _json(BOT_USER)

    async def _application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": BOT_USER["id"],
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
        )

    async def _post(self, request: web.Request) -> web.Response:
        now = self.clock()
        channel = request.match_info["channel"]
        body = await request.json()
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= DISCORD_GLOBAL:
            self.tally.refused += 1
            wait = round(self._recent[0] + 1.0 - now, 3)
            headers = {
                "Retry-After": str(math.ceil(wait)),
                "X-RateLimit-Global": "true",
                "X-RateLimit-Scope": "global",
                "Via": "1.1 google",
            }
            message = {
                "message": "You are being rate limited.",
                "retry_after": wait,
                "global": True,
            }
            return _json(message, 429, headers)
        limit, per = DISCORD_CHANNEL
        start, used = self._windows.get(channel, (now, 0))
        if now >= start + per:
            start, used = now, 0
        reset_after = round(start + per - now, 3)
        bucket = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Reset": f"{1795165200 + start + per:.3f}",
            "X-RateLimit-Reset-After": str(reset_after),
            "X-RateLimit-Bucket": "80c17d2f203122d936070c88c8d10f33",
        }
        if used >= limit:
            self.tally.refused += 1
            headers = {
                **bucket,
                "X-RateLimit-Remaining": "0",
                "Retry-After": str(math.ceil(reset_after)),
                "X-RateLimit-Scope": "user",
                "Via": "1.1 google",
            }
            message = {
                "message": "You are being rate limited.",
                "retry_after": reset_after,
                "global": False,
            }
            return _json(message, 429, headers)
        self._recent.append(now)
        self._windows[channel] = (start, used + 1)
        self.tally.posted(channel, now)
        answer = {
            "id": str(next(self._ids)),
            "channel_id": channel,
            "type": 0,
            "content": "",
            "embeds": body.get("embeds", []),
            "components": body.get("components", []),
            "author": BOT_USER,
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": "2026-11-20T09:00:00+00:00",
            "edited_timestamp": None,
            "flags": 0,
            "nonce": body.get("nonce"),
        }
        return _json(answer, 200, {**bucket, "X-RateLimit-Remaining": str(limit - used - 1)})


class FakeSlack:
    """Slack's Web API for `auth.test` and `chat.postMessage`, with channel and workspace limits."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.tally = Tally()
        self._last_in_channel: dict[str, float] = {}
        self._tokens = float(SLACK_WORKSPACE_BURST)
        self._filled_at = 0.0
        self._ts = iter(range(100, 10**9))

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/auth.test", self._auth)
        app.router.add_post("/api/chat.postMessage", self._post)
        return app

    async def _auth(self, request: web.Request) -> web.Response:
        return _json(
            {"ok": True, "team": "Acme", "user": "roastbot", "team_id": TEAM, "user_id": "UBOT"}
        )

    def _refused(self, wait: float) -> web.Response:
        self.tally.refused += 1
        headers = {"Retry-After": str(max(1, math.ceil(wait)))}
        return _json({"ok": False, "error": "ratelimited"}, 429, headers)

    async def _post(self, request: web.Request) -> web.Response:
        now = self.clock()
        args = await request.json()
        channel = str(args["channel"])
        self._tokens = min(
            SLACK_WORKSPACE_BURST, self._tokens + (now - self._filled_at) * SLACK_WORKSPACE_RATE
        )
        self._filled_at = now
        last = self._last_in_channel.get(channel)
        if last is not None and now - last < SLACK_CHANNEL:
            return self._refused(last + SLACK_CHANNEL - now)
        if self._tokens < 1:
            return self._refused((1 - self._tokens) / SLACK_WORKSPACE_RATE)
        self._tokens -= 1
        self._last_in_channel[channel] = now
        self.tally.posted(channel, now)
        return _json({"ok": True, "channel": channel, "ts": f"1795165200.{next(self._ts):06d}"})


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """Serve an aiohttp application on a free port of 127.0.0.1; yield its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def platform_poster(platform: str, url: str) -> AsyncIterator[Poster]:
    """The real adapter's poster for `roastbot post-due`, pointed at the fake."""
    if platform == "discord":
        from bot.adapters.discord.runtime import open_poster as open_discord

        settings = Settings(
            _env_file=None, DISCORD_API_URL=f"{url}/api/v10", DISCORD_TOKEN="fake-bot-token"
        )
        async with open_discord(settings) as poster:
            yield poster
    else:
        from bot.adapters.slack.poster import open_poster as open_slack

        settings = Settings(
            _env_file=None, SLACK_BOT_TOKEN="xoxb-fake-bot-token", SLACK_API_URL=f"{url}/api/"
        )
        async with open_slack(settings) as poster:
            yield poster


async def one_run(platform: str, size: int, workdir: Path) -> dict[str, Any]:
    """Subscribe `size` channels, run one pass against the fake, and tally it."""
    loop = asyncio.get_running_loop()
    store = await open_store(workdir / "fanout.sqlite3", rng=random.Random(1))
    try:
        return await _measured(platform, size, store, loop)
    finally:
        await store.close()


async def _measured(
    platform: str, size: int, store: Store, loop: asyncio.AbstractEventLoop
) -> dict[str, Any]:
    context = Context(catalog=Catalog(load_roles(BUNDLED_DIR)), store=store, clock=lambda: NOW)
    workspace = GUILD if platform == "discord" else TEAM
    channels = [
        str(700000000000000000 + n) if platform == "discord" else f"C{n:06d}" for n in range(size)
    ]
    for channel in channels:
        place = Place(platform, workspace, channel)
        await store.subscribe(
            place, post_time="09:00", zone="UTC", by="bench", now=NOW.replace(hour=8)
        )
    fake = FakeDiscord(loop.time) if platform == "discord" else FakeSlack(loop.time)
    cpu = time.process_time()
    real = time.perf_counter()
    async with serving(fake.application()) as url, platform_poster(platform, url) as poster:
        results = await post_due(context, {platform: poster}, NOW)
    cpu = time.process_time() - cpu
    real = time.perf_counter() - real
    tally = fake.tally
    span = tally.last - (tally.first or 0.0)
    limit = DISCORD_GLOBAL if platform == "discord" else SLACK_WORKSPACE_RATE
    posted = len(tally.posts)
    rate = (posted - 1) / span if span > 0 else float("nan")
    return {
        "platform": platform,
        "channels": size,
        "fraction_of_limit": rate / limit,
        "429_per_post": tally.refused / size,
        "missed": size - posted,
        "doubled": sum(1 for count in tally.posts.values() if count > 1),
        "failed_outcomes": sum(r.outcome is not Outcome.POSTED for r in results),
        "virtual_seconds": span,
        "real_seconds": real,
        "cpu_ms_per_post": 1000 * cpu / size,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_open_files": tally.peak_files,
    }


def child(platform: str, size: int) -> None:
    """Run one configuration on the virtual-time loop and print its figures as JSON."""
    count_work_out()
    with (
        tempfile.TemporaryDirectory() as tmp,
        asyncio.Runner(loop_factory=VirtualTimeLoop) as runner,
    ):
        print(json.dumps(runner.run(one_run(platform, size, Path(tmp)))))


def main() -> None:
    """Run every configuration in its own process (its own peak RSS) and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--platforms", default="discord,slack")
    parser.add_argument("--child", nargs=2, metavar=("PLATFORM", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    print(
        f"{'platform':8} {'N':>6} {'of limit':>8} {'429/post':>8} {'missed':>6} {'doubled':>7}"
        f" {'virtual s':>9} {'real s':>7} {'CPU ms/post':>11} {'peak RSS MiB':>12} {'files':>5}"
    )
    for platform in args.platforms.split(","):
        for size in (int(n) for n in args.sizes.split(",")):
            out = subprocess.run(
                [sys.executable, __file__, "--child", platform, str(size)],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                print(f"{platform} {size}: failed\n{out.stderr[-2000:]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{platform:8} {size:>6} {r['fraction_of_limit']:>8.3f} {r['429_per_post']:>8.4f}"
                f" {r['missed']:>6} {r['doubled']:>7} {r['virtual_seconds']:>9.1f}"
                f" {r['real_seconds']:>7.1f} {r['cpu_ms_per_post']:>11.2f} {r['peak_rss_mib']:>12.1f}"
                f" {r['peak_open_files']:>5}"
            )


if __name__ == "__main__":
    main()
