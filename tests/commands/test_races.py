"""Commands racing on one store: members and admins at once are told the truth."""

from __future__ import annotations

import asyncio

from bot.adapters.console.poster import ConsolePoster
from bot.cards.model import Action, Reply
from bot.runtime.context import Context
from bot.runtime.poster import DeliveryError
from tests.commands.test_review_channel import LINE, Terminal, press, typed


class HeldPoster:
    """The console poster, whose posts wait until the test releases them."""

    platform = "console"

    def __init__(self, inner: ConsolePoster) -> None:
        self.inner = inner
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        """Signal the post began, wait for the release, then post."""
        self.started.set()
        await self.release.wait()
        return await self.inner.post(workspace_id, channel_id, reply)

    async def edit(self, workspace_id: str, channel_id: str, message_id: str, reply: Reply) -> None:
        """Edit at once."""
        await self.inner.edit(workspace_id, channel_id, message_id, reply)

    async def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> str:
        """Send at once."""
        return await self.inner.send_direct(workspace_id, user_id, reply)


async def test_a_decision_while_the_review_card_posts_still_edits_it(context: Context) -> None:
    """Approved while its review card is being posted: the card ends up showing the decision."""
    terminal = Terminal()
    context.connect_poster(terminal.poster)
    await typed(context, "/burnward reviews here", admin=True, channel="reviews")
    held = HeldPoster(terminal.poster)
    context.connect_poster(held)
    terminal.take()
    suggesting = asyncio.create_task(typed(context, f"/burnward suggest SDET | {LINE}"))
    await held.started.wait()
    approved = await typed(context, "/burnward approve 1", admin=True, user="boss")
    assert "Approved suggestion 1" in approved.cards[0].description
    held.release.set()
    await suggesting
    shown = terminal.take()
    posted, _, edited = shown.partition("#reviews · console-3 now reads:\n")
    assert "Approve 1" in posted
    assert "Suggestion 1 · SDET · approved" in edited and "Approve 1" not in edited


async def test_approve_and_reject_at_once_one_wins_and_the_other_is_told_so(
    context: Context,
) -> None:
    """A typed approve racing a pressed reject: one decides, the other names that decision."""
    for n in range(1, 7):
        await typed(context, f"/burnward suggest SDET | {LINE} {n}", user=f"m{n}")
        approve = typed(context, f"/burnward approve {n}", admin=True, user="boss")
        reject = press(
            context, Action("burnward", "reject", (("id", str(n)),)), admin=True, user="chief"
        )
        approved, rejected = await asyncio.gather(approve, reject)
        texts = [approved.cards[0].description, rejected.cards[0].description]
        stored = await context.store.suggestion("console:w1", n)
        assert stored is not None
        if stored.status == "approved":
            assert texts[0].startswith(f"Approved suggestion {n}")
            assert texts[1] == f"Suggestion {n} was already approved by boss. Nothing was changed."
        else:
            assert texts[1].startswith(f"Rejected suggestion {n}")
            assert texts[0] == f"Suggestion {n} was already rejected by chief. Nothing was changed."
    assert len(await context.store.live_quotes("console:w1", "sdet")) == sum(
        s.status == "approved" for s in await context.store.suggestions("console:w1")
    )


class RefusingPoster(HeldPoster):
    """Posts to channel `bad` wait for the release, then are refused; others post at once."""

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        """Refuse `bad` once released; post anywhere else."""
        if channel_id != "bad":
            return await self.inner.post(workspace_id, channel_id, reply)
        self.started.set()
        await self.release.wait()
        raise DeliveryError("missing access", permanent=True)


async def test_a_refused_reviews_here_does_not_undo_one_made_meanwhile(context: Context) -> None:
    """`reviews here` refused in one channel while set in another: the other one stays set."""
    poster = RefusingPoster(Terminal().poster)
    context.connect_poster(poster)
    refused = asyncio.create_task(
        typed(context, "/burnward reviews here", admin=True, channel="bad")
    )
    await poster.started.wait()
    made = await typed(context, "/burnward reviews here", admin=True, channel="good")
    assert made.cards[0].description.startswith("New suggestions will be posted in this channel")
    poster.release.set()
    assert "cannot post in this channel" in (await refused).cards[0].description
    assert await context.store.review_channel("console:w1") == "good"
