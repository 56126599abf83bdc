"""Two roastbot processes on one PostgreSQL with pin and thread: no second pin or thread."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

from aiohttp import web

from bot.store import DailyOptions, Place, open_store
from tests import pg_server
from tests.store.test_instances import DUE, SUBSCRIBED, WAIT, _instance, serving_posts

CHANNELS = 60


class StepPlatform:
    """Records every post and step the instances make, answering each at once."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []  # (kind, channel, message)

    async def handle(self, request: web.Request) -> web.Response:
        """Record the call; a post's id is its number among all calls."""
        body = await request.json()
        kind = body.get("kind", "post")
        self.calls.append((kind, body["channel"], body.get("message", "")))
        return web.json_response({"id": f"m{len(self.calls)}"})


async def test_two_processes_pin_and_open_each_thread_once(
    tmp_path: Path, postgres: pg_server.PostgresServer
) -> None:
    """Two days of posts with pin and thread, each day by two racing processes: per channel
    two posts, two pins, one unpin of the first day's post, two threads."""
    db = postgres.url(postgres.new_database())
    store = await open_store(db)
    options = DailyOptions(pin=True, thread=True)
    for n in range(CHANNELS):
        place = Place("console", "w", f"c{n}")
        await store.subscribe(
            place, post_time="09:00", zone="UTC", by="u", now=SUBSCRIBED, options=options
        )
    fake = StepPlatform()
    async with serving_posts(fake.handle) as url:
        for day in (DUE, DUE + timedelta(days=1)):
            procs = [_instance(tmp_path, "post", db, day.isoformat(), url, n) for n in "AB"]
            outputs = [await asyncio.to_thread(p.communicate, timeout=WAIT) for p in procs]
            assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outputs]
    counts = Counter((kind, channel) for kind, channel, _ in fake.calls)
    for n in range(CHANNELS):
        channel = f"c{n}"
        per_kind = {kind: counts[(kind, channel)] for kind in ("post", "pin", "unpin", "thread")}
        assert per_kind == {"post": 2, "pin": 2, "unpin": 1, "thread": 2}, (channel, per_kind)
        first = await store.daily(Place("console", "w", channel), DUE.date())
        assert first is not None
        assert ("unpin", channel, first.message_id) in fake.calls
    await store.close()
