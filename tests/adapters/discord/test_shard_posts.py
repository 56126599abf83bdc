"""Daily posts when shards run in several processes: any instance posts, claims stop doubles."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import discord

from bot.adapters.discord.runtime import open_poster
from bot.catalog.lookup import Catalog
from bot.daily.scheduler import Outcome, post_due
from bot.runtime.context import Context
from bot.store import Place, open_store
from tests.adapters.discord.fake_discord import fake_settings, running_fake

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
# one guild on each of two shards (guild_id >> 22 % 2), one channel each
PLACES = [
    Place("discord", str(2 << 22), "700000000000000011"),
    Place("discord", str(3 << 22), "700000000000000012"),
]


async def test_two_shard_processes_post_each_channel_once(catalog: Catalog, tmp_path: Path) -> None:
    """Shards 0 and 1 in two processes on one database: every channel gets exactly one post."""
    path = tmp_path / "shared.sqlite3"
    stores = [await open_store(path), await open_store(path)]
    original = discord.http.Route.BASE
    try:
        for place in PLACES:
            await stores[0].subscribe(place, post_time="09:00", zone="UTC", by="admin", now=NOW)
        contexts = [Context(catalog, store, lambda: NOW) for store in stores]
        async with running_fake() as fake:
            shard = [
                fake_settings(fake, DISCORD_SHARD_COUNT="2", DISCORD_SHARD_IDS=str(n))
                for n in (0, 1)
            ]
            async with open_poster(shard[0]) as first, open_poster(shard[1]) as second:
                results = await asyncio.gather(
                    post_due(contexts[0], {"discord": first}, NOW),
                    post_due(contexts[1], {"discord": second}, NOW),
                )
            posts = [fake.matching("POST", f"/channels/{p.channel_id}/messages") for p in PLACES]
    finally:
        discord.http.Route.BASE = original
        for store in stores:
            await store.close()
    assert [len(channel) for channel in posts] == [1, 1]
    outcomes = sorted(r.outcome.value for result in results for r in result)
    assert outcomes == sorted([Outcome.POSTED.value] * 2 + [Outcome.ALREADY_DONE.value] * 2)
