"""Commands in real database trouble: a private line naming it, and nothing done by halves."""

from __future__ import annotations

from bot.cards.model import Reply, Tone
from bot.catalog.lookup import Catalog
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from tests.conftest import FIXED_NOW, invocation
from tests.trouble import Trouble, outage_server, trouble

__all__ = ["outage_server", "trouble"]


class Channel:
    """A console poster that keeps every message it was asked to post."""

    platform = "console"

    def __init__(self) -> None:
        self.posts: list[tuple[str, Reply]] = []

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        self.posts.append((channel_id, reply))
        return f"m{len(self.posts)}"


async def test_reviews_here_in_trouble_posts_no_notice(catalog: Catalog, trouble: Trouble) -> None:
    """The channel cannot be saved: no public "review channel now" notice goes out; once the
    database is back, one does, and the channel is saved."""
    channel = Channel()
    context = Context(catalog=catalog, store=trouble.store, clock=lambda: FIXED_NOW)
    context.connect_poster(channel)
    here = invocation("burnward", "reviews", admin=True, channel="reviews", mode="here")
    trouble.begin()
    refused = await dispatch(context, here)
    trouble.clear()
    assert refused.private and refused.cards[0].tone is Tone.ERROR
    assert trouble.says in (refused.cards[0].description or "")
    assert channel.posts == []
    assert await trouble.store.review_channel("console:w1") is None
    done = await dispatch(context, here)
    assert done.cards[0].tone is Tone.SUCCESS and [c for c, _ in channel.posts] == ["reviews"]
    assert await trouble.store.review_channel("console:w1") == "reviews"
