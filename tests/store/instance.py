"""One roastbot instance in its own process, for the tests that run two against one database.

    python -m tests.store.instance roast DB CHANNEL COUNT
    python -m tests.store.instance post DB NOW POSTER_URL NAME

`roast` prints the quote each roast showed, one a line. `post` makes one specimen pass at
NOW, posting each channel's card as JSON to POSTER_URL (a fake platform the test runs), and
its pin, unpin and thread steps as JSON naming their `kind`.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from aiohttp import ClientSession

from bot.cards.model import Reply
from bot.catalog.lookup import Catalog
from bot.commands.registry import dispatch
from bot.daily.scheduler import post_due
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.runtime.poster import DeliveryError
from bot.store import open_store


class HttpPoster:
    """Posts a card's title to the fake platform, naming the instance and the channel."""

    platform = "console"

    def __init__(self, session: ClientSession, url: str, name: str) -> None:
        self._session, self._url, self._name = session, url, name

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        body = {"instance": self._name, "channel": channel_id, "title": reply.cards[0].title}
        async with self._session.post(self._url, json=body) as response:
            if response.status != 200:
                raise DeliveryError(f"fake answered {response.status}", permanent=False)
            return str((await response.json())["id"])

    async def pin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        """Tell the fake platform this instance pinned the message."""
        await self._step("pin", channel_id, message_id)

    async def unpin(self, workspace_id: str, channel_id: str, message_id: str) -> None:
        """Tell the fake platform this instance unpinned the message."""
        await self._step("unpin", channel_id, message_id)

    async def open_thread(
        self, workspace_id: str, channel_id: str, message_id: str, name: str, reply: Reply
    ) -> str:
        """Tell the fake platform this instance opened a thread on the message."""
        return await self._step("thread", channel_id, message_id)

    async def _step(self, kind: str, channel_id: str, message_id: str) -> str:
        body = {"instance": self._name, "channel": channel_id, "kind": kind, "message": message_id}
        async with self._session.post(self._url, json=body) as response:
            if response.status != 200:
                raise DeliveryError(f"fake answered {response.status}", permanent=False)
            return str((await response.json())["id"])


async def roast(db: str, channel: str, count: int) -> None:
    store = await open_store(db)
    context = Context(catalog=Catalog.load(), store=store)
    for _ in range(count):
        call = Invocation("console", "w", channel, "u", False, "roast", None, {"role": "sdet"})
        reply = await dispatch(context, call)
        print(reply.cards[0].quote.text if reply.cards[0].quote else "", flush=True)
    await store.close()


async def post(db: str, now: str, url: str, name: str) -> None:
    store = await open_store(db)
    moment = datetime.fromisoformat(now)
    context = Context(catalog=Catalog.load(), store=store, clock=lambda: moment)
    async with ClientSession() as session:
        results = await post_due(context, {"console": HttpPoster(session, url, name)}, moment)
    print(" ".join(sorted({r.outcome.name for r in results})), flush=True)
    await store.close()


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "roast":
        asyncio.run(roast(args[0], args[1], int(args[2])))
    else:
        asyncio.run(post(*args))
