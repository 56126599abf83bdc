"""`/specimen today|subscribe|unsubscribe|status`: the channel's specimen of the day."""

from __future__ import annotations

from datetime import datetime

from bot.cards.model import Card, Field, Reply, Tone
from bot.daily.local_time import (
    ZONE_EXAMPLES,
    TimeInputError,
    local_date_at,
    parse_post_time,
    parse_zone,
)
from bot.daily.specimen import next_post_moment, plan_specimen, posted_dates, specimen_reply
from bot.runtime.context import Context, place_of
from bot.runtime.invocation import Invocation
from bot.store import Subscription

DEFAULT_TIME = "09:00"
NOT_ADMIN = "Only admins can change this channel's specimen of the day. Nothing was changed."


async def run(context: Context, invocation: Invocation) -> Reply:
    """Route to today, subscribe, unsubscribe or status."""
    match invocation.subcommand:
        case "today":
            return await _today(context, invocation)
        case "subscribe":
            return await _subscribe(context, invocation)
        case "unsubscribe":
            return await _unsubscribe(context, invocation)
        case "status":
            return await _status(context, invocation)
    return Reply.error("Use /specimen today, subscribe, unsubscribe or status.")


async def _today(context: Context, invocation: Invocation) -> Reply:
    place = place_of(invocation)
    sub = await context.store.subscription(place)
    zone = parse_zone(sub.zone if sub else context.default_zone)
    local_date = local_date_at(context.clock(), zone)
    role = await plan_specimen(context, place, local_date)
    if role is None:
        return Reply.error("The catalog is empty, so there is no specimen today.")
    return await specimen_reply(context, place, role, local_date)


async def _subscribe(context: Context, invocation: Invocation) -> Reply:
    if not invocation.is_admin:
        return Reply.error(NOT_ADMIN)
    try:
        post_time = parse_post_time(invocation.option("time") or DEFAULT_TIME)
        zone = parse_zone(invocation.option("zone") or context.default_zone)
    except TimeInputError as exc:
        return Reply.error(f"{exc} Example: /specimen subscribe 09:00 Europe/Berlin.")
    place, now = place_of(invocation), context.clock()
    wanted = Subscription(place, f"{post_time:%H:%M}", zone.key, invocation.user_id, now)
    current = await context.store.subscription(place)
    unchanged = (
        current is not None
        and current.paused_reason is None
        and (current.post_time, current.zone) == (wanted.post_time, wanted.zone)
    )
    sub = current if unchanged and current is not None else wanted
    # worked out before anything is saved, so a reply of failure always means nothing changed
    upcoming = next_post_moment(sub, now, await posted_dates(context, sub, now))
    if not unchanged:
        await context.store.subscribe(
            place, post_time=sub.post_time, zone=sub.zone, by=sub.subscribed_by, now=now
        )
        context.schedule_changed.set()
    return Reply(
        (
            Card(
                description=(
                    f"This channel gets a specimen every day at {sub.post_time} {sub.zone}. "
                    f"Next: {_local(upcoming, sub)}."
                ),
                timestamp=upcoming,
                tone=Tone.SUCCESS,
            ),
        ),
        private=True,
    )


async def _unsubscribe(context: Context, invocation: Invocation) -> Reply:
    if not invocation.is_admin:
        return Reply.error(NOT_ADMIN)
    if not await context.store.unsubscribe(place_of(invocation)):
        return Reply.error("This channel has no specimen of the day to stop.")
    context.schedule_changed.set()
    return Reply.notice("No more specimens of the day here. Past posts stay on record.")


async def _status(context: Context, invocation: Invocation) -> Reply:
    place = place_of(invocation)
    sub = await context.store.subscription(place)
    if sub is None:
        return Reply.error(
            "This channel has no specimen of the day. An admin can start one with "
            f"/specimen subscribe 09:00 <zone>, zones such as {ZONE_EXAMPLES}."
        )
    now = context.clock()
    last = await context.store.last_daily(place)
    fields = [Field("Schedule", f"Every day at {sub.post_time} {sub.zone}")]
    upcoming = None
    if sub.paused_reason is not None:
        fields.append(
            Field("Paused", f"{sub.paused_reason}. An admin can resume with /specimen subscribe.")
        )
    else:
        upcoming = next_post_moment(sub, now, await posted_dates(context, sub, now))
        fields.append(Field("Next post", _local(upcoming, sub)))
    if last is not None:
        role = context.catalog.get(last.role_id)
        title = role.title if role else last.role_id
        fields.append(Field("Last post", f"{title}, {last.local_date:%A %d %B %Y}"))
    card = Card(
        title="Specimen of the day",
        fields=tuple(fields),
        timestamp=upcoming,
        tone=Tone.INFO,
    )
    return Reply((card,), private=True)


def _local(moment: datetime, sub: Subscription) -> str:
    local = moment.astimezone(parse_zone(sub.zone))
    return f"{local:%A %d %B, %H:%M} {local.tzname()}"
