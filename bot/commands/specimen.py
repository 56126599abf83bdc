"""`/specimen today|subscribe|unsubscribe|status|history`: the channel's specimen of the day.

The history and the daily post's vote buttons are in `votes`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from rapidfuzz import fuzz, process

from bot.cards.model import Card, Field, Reply, Tone
from bot.commands import votes
from bot.commands.lookup import MAX_ECHO
from bot.daily.days import DAILY, DAY_WORDS, DaysInputError, describe_days, parse_days
from bot.daily.local_time import ZONE_EXAMPLES, TimeInputError, parse_post_time, parse_zone
from bot.daily.specimen import next_post_moment, posted_dates, specimen_reply, todays_specimen
from bot.runtime.context import Context, place_of
from bot.runtime.invocation import Invocation
from bot.store import DailyOptions, Subscription

DEFAULT_TIME = "09:00"
YES = ("yes", "true")
SUBSCRIBE_WORDS = (*DAY_WORDS, "pin", "thread", "ping:")
# a Discord role mention or a Slack user group mention, as typed or escaped
MENTION = re.compile(r"<@&(\d+)>|<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>")
# what a ping target must look like on each platform: a role's id, a user group's id
PING_IDS = {"discord": re.compile(r"\d+"), "slack": re.compile(r"S[A-Z0-9]+")}
NOT_ADMIN = "Only admins can change this channel's specimen of the day. Nothing was changed."


class PingInputError(ValueError):
    """A `ping` option that names no role or user group this platform can mention."""


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
        case "history":
            return await votes.history(context, invocation)
        case "vote":
            return await votes.vote(context, invocation)
    return Reply.error("Use /specimen today, subscribe, unsubscribe, status or history.")


async def _today(context: Context, invocation: Invocation) -> Reply:
    place = place_of(invocation)
    role, local_date = await todays_specimen(context, place)
    if role is None:
        return Reply.error("The catalog is empty, so there is no specimen today.")
    return await specimen_reply(context, place, role, local_date)


async def _subscribe(context: Context, invocation: Invocation) -> Reply:
    if not invocation.is_admin:
        return Reply.error(NOT_ADMIN)
    unknown = invocation.option("unknown")
    if unknown is not None:
        return Reply.error(f"{_did_you_mean(unknown)} Nothing was changed.")
    try:
        post_time = parse_post_time(invocation.option("time") or DEFAULT_TIME)
        zone = parse_zone(invocation.option("zone") or context.default_zone)
        options = DailyOptions(
            days=parse_days(invocation.option("days") or DAILY),
            pin=invocation.option("pin") in YES,
            thread=invocation.option("thread") in YES,
            ping=_ping_target(invocation.platform, invocation.option("ping")),
        )
    except (TimeInputError, DaysInputError, PingInputError) as exc:
        return Reply.error(f"{exc} Example: /specimen subscribe 09:00 Europe/Berlin weekdays.")
    place, now = place_of(invocation), context.clock()
    wanted = Subscription(
        place, f"{post_time:%H:%M}", zone.key, invocation.user_id, now, options=options
    )
    current = await context.store.subscription(place)
    schedule = (wanted.post_time, wanted.zone)
    same_moment = current is not None and (current.post_time, current.zone) == schedule
    unchanged = (
        same_moment
        and current is not None
        and current.paused_reason is None
        and current.options == options
    )
    # a resume at the same time and zone keeps its moment: today's missed post catches up
    sub = (
        replace(current, options=options, paused_reason=None, paused_at=None)
        if same_moment and current is not None
        else wanted
    )
    # worked out before anything is saved, so a reply of failure always means nothing changed
    upcoming = next_post_moment(sub, now, await posted_dates(context, sub, now))
    if not unchanged:
        await context.store.subscribe(
            place,
            post_time=sub.post_time,
            zone=sub.zone,
            by=sub.subscribed_by,
            now=now,
            options=options,
        )
        context.schedule_changed.set()
    return Reply(
        (
            Card(
                description=(
                    f"This channel gets a specimen {_schedule(sub)}{_extras(sub)}. "
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
    fields, upcoming = await status_fields(context, sub)
    card = Card(
        title="Specimen of the day",
        fields=fields,
        timestamp=upcoming,
        tone=Tone.INFO,
    )
    return Reply((card,), private=True)


async def status_fields(
    context: Context, sub: Subscription
) -> tuple[tuple[Field, ...], datetime | None]:
    """What `/specimen status` says of a subscription, and when its next post goes out.

    The fields: schedule, options, the next post in the subscription's local time (or why it
    is paused), the last post and any of its steps that failed. The moment is None when paused.
    """
    place, now = sub.place, context.clock()
    last = await context.store.last_daily(place)
    fields = [Field("Schedule", _upper_first(_schedule(sub)))]
    if _extras(sub):
        fields.append(Field("Options", _upper_first(_extras(sub).removeprefix(", "))))
    upcoming = None
    if sub.paused_reason is not None:
        fields.append(
            Field("Paused", f"{sub.paused_reason}. An admin can resume with /specimen subscribe.")
        )
    elif not _known_zone(sub.zone):
        fields.append(Field("Next post", _unknown_zone(sub.zone)))
    else:
        upcoming = next_post_moment(sub, now, await posted_dates(context, sub, now))
        fields.append(Field("Next post", _local(upcoming, sub)))
    if last is not None:
        role = context.catalog.get(last.role_id)
        title = role.title if role else last.role_id
        fields.append(Field("Last post", f"{title}, {last.local_date:%A %d %B %Y}"))
        steps = await context.store.daily_steps(place, last.local_date)
        failed = [f"{step.step}: {step.failure}" for step in steps.values() if step.failure]
        if failed:
            fields.append(Field("Steps that failed", "; ".join(sorted(failed))))
    return tuple(fields), upcoming


def _schedule(sub: Subscription) -> str:
    """`every day at 09:00 Europe/Berlin`, `on weekdays at ...`."""
    return f"{describe_days(sub.options.days)} at {sub.post_time} {sub.zone}"


def _extras(sub: Subscription) -> str:
    """`, pinned, with a thread, pinging S123`: the options beyond the schedule, if any."""
    options = sub.options
    parts = ["pinned"] * options.pin + ["with a thread"] * options.thread
    if options.ping:
        parts.append(f"pinging {options.ping}")
    return "".join(f", {part}" for part in parts)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ping_target(platform: str, value: str | None) -> str | None:
    """The id inside a role or group mention (`<@&1>`, `<!subteam^S1|@team>`), or the name.

    Discord and Slack need the platform's id (a role's digits, a group's `S...`), which
    their clients send when the role or group is picked from their list.
    """
    if value is None:
        return None
    match = MENTION.fullmatch(value.strip())
    target = (match.group(1) or match.group(2)) if match else value.strip().lstrip("@")
    shape = PING_IDS.get(platform)
    if not target or (shape is not None and not shape.fullmatch(target)):
        raise PingInputError(
            f"'{value.strip()[:MAX_ECHO]}' names no role or group to ping:"
            " pick one from the list as you type @."
        )
    return target


def _did_you_mean(word: str) -> str:
    """One line about a word `/specimen subscribe` does not know, with the nearest it does."""
    found = process.extractOne(word.lower(), SUBSCRIBE_WORDS, scorer=fuzz.ratio, score_cutoff=50)
    hint = f" Did you mean '{found[0]}'?" if found else ""
    return f"'{word[:MAX_ECHO]}' is not an option of /specimen subscribe.{hint}"


def _known_zone(name: str) -> bool:
    """Whether this host knows a saved zone (another host, or older tzdata, may not)."""
    try:
        parse_zone(name)
    except TimeInputError:
        return False
    return True


def _unknown_zone(name: str) -> str:
    return (
        f"none: this bot does not know the time zone '{name[:40]}'. "
        f"An admin can subscribe again with a zone such as {ZONE_EXAMPLES}."
    )


def _local(moment: datetime, sub: Subscription) -> str:
    local = moment.astimezone(parse_zone(sub.zone))
    return f"{local:%A %d %B, %H:%M} {local.tzname()}"
