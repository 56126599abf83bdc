"""Day one of the specimen of the day in a test: a settable clock and a channel subscribed to it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from bot.commands.registry import dispatch
from bot.daily.specimen import plan_specimen
from bot.quotes.rotation import seed_key
from bot.quotes.text import fingerprint
from bot.runtime.context import Context
from bot.store import Place
from tests.conftest import invocation

DAY_ONE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


class Clock:
    """A settable clock; nothing sleeps."""

    def __init__(self, moment: datetime) -> None:
        self.now = moment

    def __call__(self) -> datetime:
        return self.now


async def subscribe(
    context: Context, place: Place, clock: Clock | None = None, **options: str
) -> Context:
    """Subscribe `place` at 09:00 UTC an hour before day one; the context returned is at day one.

    Its clock is `clock` (a new one when None), left standing at DAY_ONE for the test to move.
    """
    clock = clock or Clock(DAY_ONE)
    ctx = dataclasses.replace(context, clock=clock)
    clock.now = DAY_ONE - timedelta(hours=1)
    call = invocation(
        "specimen",
        "subscribe",
        admin=True,
        platform=place.platform,
        workspace=place.workspace_id,
        channel=place.channel_id,
        time="09:00",
        zone="UTC",
        **options,
    )
    reply = await dispatch(ctx, call)
    assert reply.cards[0].description.startswith("This channel gets a specimen every day")
    clock.now = DAY_ONE
    return ctx


async def quote_next(ctx: Context, place: Place, text: str, added_by: str) -> None:
    """Make `text` the quote of day one's post in `place`.

    A round of the dossier's own quotes is drawn first, so the post draws the one added.
    """
    role = await plan_specimen(ctx, place, DAY_ONE.date())
    assert role is not None
    keys = [seed_key(i) for i in range(len(role.dossier.burn_ward))]
    for _ in keys:
        await ctx.store.draw_quote(place, role.id, keys)
    await ctx.store.add_quote(
        workspace=place.workspace_key,
        role_id=role.id,
        text=text,
        source=None,
        fingerprint=fingerprint(text),
        added_by=added_by,
        now=DAY_ONE,
    )
