"""A workspace's overview, for a platform's home page (Slack's App Home): what the bot is,
today's specimen, the subscribed channels and, for admins, the suggestions waiting.

Neutral data only; the adapter lays it out. The texts are the ones `/roasthelp` and
`/specimen status` show, so the home page never tells a different story.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.cards.model import Action, Button, ButtonStyle, Card, Field
from bot.commands import help
from bot.commands.specimen import status_fields
from bot.daily.local_time import day_heading
from bot.daily.specimen import todays_specimen
from bot.runtime.context import Context, place_of
from bot.runtime.invocation import Invocation
from bot.store import PENDING

MAX_CHANNELS = 50
"""Channels described in full; the rest are only counted (each costs four small reads)."""
SHOW_SPECIMEN = Button("Show today's specimen", Action("specimen", "today"), ButtonStyle.PRIMARY)
CHANNELS_HEADING = "Daily specimens in this workspace"
NO_CHANNELS = (
    "No channel here gets the specimen of the day yet. "
    "An admin can start one in any channel with /specimen subscribe 09:00 <zone>."
)


def more_channels(count: int) -> str:
    """The line standing for the subscribed channels a home page has no room to describe."""
    noun = "channel" if count == 1 else "channels"
    return f"…and {count} more {noun}. /specimen status in a channel tells its own."


def pending_line(count: int) -> str:
    """What admins read about the suggestions waiting for them."""
    if count == 0:
        return "Burn ward: no suggestions wait for review."
    verb = "waits" if count == 1 else "wait"
    noun = "suggestion" if count == 1 else "suggestions"
    return f"Burn ward: {count} {noun} {verb} for review. /burnward review lists them."


@dataclass(frozen=True)
class TodaysSpecimen:
    """The specimen of the day for the workspace, and the button that shows its card."""

    heading: str
    title: str
    tagline: str
    button: Button = SHOW_SPECIMEN


@dataclass(frozen=True)
class ChannelStatus:
    """One subscribed channel: its platform id and what `/specimen status` says there."""

    channel_id: str
    fields: tuple[Field, ...]
    paused: bool


@dataclass(frozen=True)
class Overview:
    """Everything a workspace's home page shows.

    `channels` holds at most `MAX_CHANNELS` of `channel_total`; `pending` is the number of
    burn-ward suggestions waiting for review, None when the reader is not an admin.
    """

    guide: Card
    specimen: TodaysSpecimen | None
    channels: tuple[ChannelStatus, ...]
    channel_total: int
    pending: int | None


async def overview(
    context: Context, invocation: Invocation, *, limit: int = MAX_CHANNELS
) -> Overview:
    """The overview of the invocation's workspace for its user.

    The invocation's channel is the place today's specimen is planned for: a home page has
    no channel, so adapters pass an empty one, the place `/specimen today` pressed from
    there answers for too.
    """
    place = place_of(invocation)
    guide = (await help.run(context, invocation)).cards[0]
    role, local_date = await todays_specimen(context, place)
    specimen = None
    if role is not None:
        heading = f"Specimen of the day, {day_heading(local_date)}"
        specimen = TodaysSpecimen(heading, role.title, role.dossier.tagline)
    subs = await context.store.workspace_subscriptions(place.platform, place.workspace_id)
    channels = []
    for sub in subs[: max(0, limit)]:
        fields, _ = await status_fields(context, sub)
        channels.append(ChannelStatus(sub.place.channel_id, fields, sub.paused_reason is not None))
    pending = None
    if invocation.is_admin:
        pending = await context.store.count_suggestions(place.workspace_key, PENDING)
    return Overview(guide, specimen, tuple(channels), len(subs), pending)
