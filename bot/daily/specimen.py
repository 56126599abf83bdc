"""The specimen of the day: which role a channel gets on a local date, when, and its card."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.cards.model import Reply
from bot.cards.roast import summary_card
from bot.catalog.model import Role
from bot.daily.local_time import (
    day_heading,
    local_date_at,
    parse_post_time,
    parse_zone,
    post_moment,
)
from bot.quotes.rotation import next_quote
from bot.runtime.context import Context
from bot.store import Place, Subscription

STALE_CLAIM = timedelta(minutes=10)


def post_moment_on(sub: Subscription, local_date: date) -> datetime:
    """When the subscription's post for a local date falls, in UTC."""
    return post_moment(local_date, parse_post_time(sub.post_time), parse_zone(sub.zone))


def due_date(sub: Subscription, now: datetime) -> date | None:
    """The local date whose post is due at `now`, if any.

    Due means the post time has passed today in the subscription's zone and came after
    the subscription was made. Only today counts: a day missed entirely is skipped, so a
    bot back from an outage posts today's specimen once and never floods the channel.
    """
    if sub.paused_reason is not None:
        return None
    today = local_date_at(now, parse_zone(sub.zone))
    moment = post_moment_on(sub, today)
    return today if sub.subscribed_at <= moment <= now else None


def next_post_moment(sub: Subscription, now: datetime, posted_today: bool) -> datetime:
    """When the next post will go out (UTC); `now` itself when today's is overdue."""
    today = local_date_at(now, parse_zone(sub.zone))
    moment = post_moment_on(sub, today)
    if not posted_today and moment >= sub.subscribed_at:
        return max(moment, now)
    return post_moment_on(sub, today + timedelta(days=1))


def moment_after(sub: Subscription, now: datetime) -> datetime:
    """The first post moment of the subscription strictly after `now`."""
    today = local_date_at(now, parse_zone(sub.zone))
    moment = post_moment_on(sub, today)
    return moment if moment > now else post_moment_on(sub, today + timedelta(days=1))


async def plan_specimen(context: Context, place: Place, local_date: date) -> Role | None:
    """The role the channel gets on a local date: each role once before any repeats."""
    candidates = [role.id for role in context.catalog.roles]
    planned = await context.store.plan_daily(place, local_date, candidates, context.clock())
    return context.catalog.get(planned.role_id) if planned else None


async def specimen_reply(context: Context, place: Place, role: Role, local_date: date) -> Reply:
    """The public post: the summary card under a 'Specimen of the day' header."""
    quote = await next_quote(context.store, place, role)
    header = f"Specimen of the day, {day_heading(local_date)}"
    return Reply((summary_card(role, context.catalog, quote, header=header),))
