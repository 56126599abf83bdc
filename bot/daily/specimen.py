"""The specimen of the day: which role a channel gets on a local date, when, and its card."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import suppress
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import takewhile
from zoneinfo import ZoneInfo

from bot.cards.model import Quote, Reply
from bot.cards.roast import summary_card
from bot.cards.votes import with_votes
from bot.catalog.model import Role
from bot.daily.days import posts_on
from bot.daily.local_time import (
    TimeInputError,
    day_heading,
    local_date_at,
    parse_post_time,
    parse_zone,
    post_moment,
    repeated_moment,
)
from bot.quotes.rotation import next_quote
from bot.runtime.context import Context
from bot.store import DailyPost, Place, Subscription, Votes

STALE_CLAIM = timedelta(minutes=10)
# how many days ahead a next post is looked for: a week for a once-a-week subscription,
# plus a date a zone skips, plus margin
_HORIZON_DAYS = 10


def post_moment_on(sub: Subscription, local_date: date) -> datetime | None:
    """When the subscription's post for a local date falls, in UTC; None if the date never
    was, or its post came before the subscription was made.

    On a fall-back day it is the first of the two times its time happens, or the second when
    the subscription was made between them; None when both came before it was made.
    """
    post_time, zone = parse_post_time(sub.post_time), parse_zone(sub.zone)
    moment = post_moment(local_date, post_time, zone)
    if moment is not None and moment < sub.subscribed_at:
        again = repeated_moment(local_date, post_time, zone)
        return again if again is not None and again >= sub.subscribed_at else None
    return moment


def _slots(sub: Subscription, now: datetime) -> Iterator[tuple[date, datetime]]:
    """(local date, post moment) of each post falling today or later in the zone, in order.

    A post moment may fall on the day after its date (a spring-forward gap at the end of the
    evening), so yesterday's date is looked at too. A date whose weekday is not among the
    subscription's `days` has no post.
    """
    zone = parse_zone(sub.zone)
    today = local_date_at(now, zone)
    for offset in range(-1, _HORIZON_DAYS):
        day = today + timedelta(days=offset)
        if not posts_on(sub.options.days, day):
            continue
        moment = post_moment_on(sub, day)
        if moment is None:
            continue
        if local_date_at(moment, zone) >= today:
            yield day, moment


def due_dates(sub: Subscription, now: datetime) -> list[date]:
    """The local dates whose posts are due at `now`: usually today's alone, or none.

    Due means the post moment has passed, fell on today's date in the subscription's zone,
    and came after the subscription was made. A day missed entirely is skipped, so a bot
    back from an outage posts today's specimen once and never floods the channel.
    """
    if sub.paused_reason is not None:
        return []
    return [day for day, _ in takewhile(lambda slot: slot[1] <= now, _slots(sub, now))]


def next_moment(sub: Subscription, now: datetime, done: Collection[date] = ()) -> datetime:
    """The moment (UTC) of the first post of today or later whose date is not in `done`.

    It is at or before `now` when that post is overdue. With nothing `done` and nothing due
    at `now`, it is the subscription's next post moment, which the scheduler's index keeps.
    A subscription made later than `now` (the host's clock went back) is looked at from then.
    """
    for day, moment in _slots(sub, max(now, sub.subscribed_at)):
        if day not in done:
            return moment
    raise AssertionError("no post within the horizon")  # pragma: no cover


def next_post_moment(sub: Subscription, now: datetime, posted: Collection[date]) -> datetime:
    """When the next post not yet in `posted` goes out (UTC); `now` itself when one is overdue."""
    return max(next_moment(sub, now, posted), now)


def moment_after(sub: Subscription, now: datetime) -> datetime:
    """The first post moment of the subscription strictly after `now`."""
    return next(moment for _, moment in _slots(sub, now) if moment > now)


async def posted_dates(context: Context, sub: Subscription, now: datetime) -> set[date]:
    """Which posts from yesterday to the day after tomorrow (in the subscription's zone) went
    out: a channel that moved west across the date line may have posted those ahead already."""
    today = local_date_at(now, parse_zone(sub.zone))
    days = tuple(today + timedelta(days=offset) for offset in range(-1, 3))
    posts = [await context.store.daily(sub.place, day) for day in days]
    return {day for day, post in zip(days, posts, strict=True) if post and post.message_id}


async def plan_specimen(context: Context, place: Place, local_date: date) -> Role | None:
    """The role the channel gets on a local date: each role once before any repeats."""
    candidates = [role.id for role in context.catalog.roles]
    planned = await context.store.plan_daily(place, local_date, candidates, context.clock())
    return context.catalog.get(planned.role_id) if planned else None


async def todays_specimen(context: Context, place: Place) -> tuple[Role | None, date]:
    """The role a place gets today and that local date, in the zone of its subscription.

    A place with no subscription (a channel that never subscribed, a workspace's App Home)
    counts its day in the default zone (`ROASTBOT_TZ`).
    """
    sub = await context.store.subscription(place)
    local_date = local_date_at(context.clock(), place_zone(context, sub))
    return await plan_specimen(context, place, local_date), local_date


def place_zone(context: Context, sub: Subscription | None) -> ZoneInfo:
    """The zone a place counts its days in: its subscription's, or the default zone
    (`ROASTBOT_TZ`) when it has none or this host does not know the one saved."""
    if sub is not None:
        with suppress(TimeInputError):
            return parse_zone(sub.zone)
    return parse_zone(context.default_zone)


async def specimen_reply(context: Context, place: Place, role: Role, local_date: date) -> Reply:
    """The public post: the summary card under a 'Specimen of the day' header."""
    quote = await next_quote(context.store, place, role)
    header = f"Specimen of the day, {day_heading(local_date)}"
    return Reply((summary_card(role, context.catalog, quote, header=header),))


async def daily_post_reply(
    context: Context, place: Place, role: Role, local_date: date, ping: str | None
) -> Reply:
    """The daily post itself: the public card with its vote buttons (no votes yet), pinging
    the subscription's one role or group if it names one."""
    reply = await specimen_reply(context, place, role, local_date)
    cards = tuple(with_votes(card, local_date, Votes()) for card in reply.cards)
    return replace(reply, cards=cards, ping=ping)


def posted_reply(
    context: Context, role: Role, post: DailyPost, votes: Votes, ping: str | None
) -> Reply:
    """A daily post as it stands now: the card it went out with (its quote kept on record),
    its current votes and the subscription's ping, to edit the message in place."""
    quote = Quote(post.quote_text, post.quote_source) if post.quote_text is not None else None
    header = f"Specimen of the day, {day_heading(post.local_date)}"
    card = summary_card(role, context.catalog, quote, header=header)
    return Reply((with_votes(card, post.local_date, votes),), ping=ping, in_place=True)
