"""The daily post's calendar at its edges: the date line, host-only zones, typed digits,
a resume after a pause, and a stored zone this host does not know."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.cards.model import Tone
from bot.commands.registry import dispatch
from bot.commands.textargs import parse_line
from bot.daily.delivery import Pacing
from bot.daily.local_time import TimeInputError, parse_post_time, parse_zone
from bot.daily.scheduler import Limiters, Outcome, Scheduler, plan_due
from bot.runtime.context import Context
from bot.runtime.poster import DeliveryError
from bot.store import Place
from tests.conftest import invocation
from tests.daily.test_specimen import (
    CHANNEL,
    Clock,
    RecordingPoster,
    at,
    no_sleep,
    run_pass,
    subscribe,
)


@pytest.fixture
def clock() -> Clock:
    return Clock(at("2026-11-19T00:00:00+00:00"))


@pytest.fixture
def ctx(context: Context, clock: Clock) -> Context:
    return dataclasses.replace(context, clock=clock)


async def status_next(ctx: Context) -> str:
    """The `Next post` line of `/specimen status` in the test channel."""
    reply = await dispatch(ctx, invocation("specimen", "status"))
    return dict((f.name, f.value) for f in reply.cards[0].fields)["Next post"]


async def test_a_move_across_the_date_line_names_the_post_that_will_really_go_out(
    ctx: Context, clock: Clock
) -> None:
    """Posted 20 Nov in Kiritimati (+14), moved to Etc/GMT+12 on its 19 Nov evening: the
    20th is done, so the reply, the status and the posts all say the 21st."""
    await subscribe(ctx, "09:00", "Pacific/Kiritimati")
    poster = RecordingPoster()
    assert await run_pass(ctx, poster, at("2026-11-19T19:00:00+00:00")) == [Outcome.POSTED]
    clock.now = at("2026-11-19T22:00:00+00:00")  # 10:00 on 19 Nov at -12
    reply = await subscribe(ctx, "09:00", "Etc/GMT+12")
    assert "Next: Saturday 21 November, 09:00 -12." in reply.cards[0].description
    assert await status_next(ctx) == "Saturday 21 November, 09:00 -12"
    assert await run_pass(ctx, poster, at("2026-11-20T21:00:00+00:00")) == [Outcome.ALREADY_DONE]
    assert await run_pass(ctx, poster, at("2026-11-21T21:00:00+00:00")) == [Outcome.POSTED]
    assert len(poster.sent) == 2


@pytest.mark.parametrize("name", ["localtime", "LocalTime", "Factory", "factory"])
def test_names_that_are_files_but_not_places_are_refused(name: str) -> None:
    """`localtime` is whatever the host is set to, `Factory` no place: neither is a zone."""
    with pytest.raises(TimeInputError, match="Unknown time zone"):
        parse_zone(name)


@pytest.mark.parametrize(
    "text", ["０９:００", "０９：００", "٠٩:٠٠", "۰۹:۰۰", "9:00\tam", "9\u00a0am", "९:००"]
)
def test_times_in_any_digits_and_spacing_parse(text: str) -> None:
    """Full-width, Arabic-Indic and Devanagari digits, a full-width colon, tabs and no-break
    spaces read as the time they show."""
    assert f"{parse_post_time(text):%H:%M}" == "09:00"


@pytest.mark.parametrize("time", ["０９:００", "٠٩:٠٠", "０９：００"])
def test_a_typed_line_takes_a_time_in_other_digits_as_the_time(time: str) -> None:
    """`/specimen subscribe ０９:００ Europe/Berlin` names a time, not an unknown word."""
    parsed = parse_line(f"/specimen subscribe {time} Europe/Berlin")
    assert parsed is not None
    assert parsed.options == {"time": time, "zone": "Europe/Berlin"}


async def test_resuming_a_paused_subscription_the_same_day_posts_todays_once(
    ctx: Context, clock: Clock
) -> None:
    """Refused at 09:00 and paused; resumed unchanged at 10:00: today's post goes out then,
    once, like a catch-up, and tomorrow's at 09:00."""
    clock.now = at("2026-11-20T07:00:00+00:00")
    await subscribe(ctx, "09:00", "UTC")
    refused = DeliveryError("Discord answered 403 Forbidden: Missing Access", permanent=True)
    poster = RecordingPoster([refused])
    assert await run_pass(ctx, poster, at("2026-11-20T09:00:00+00:00")) == [Outcome.PAUSED]
    clock.now = at("2026-11-20T10:00:00+00:00")
    reply = await subscribe(ctx, "09:00", "UTC")
    assert "Next: Friday 20 November, 10:00 UTC." in reply.cards[0].description
    assert await run_pass(ctx, poster, at("2026-11-20T10:01:00+00:00")) == [Outcome.POSTED]
    assert await run_pass(ctx, poster, at("2026-11-20T11:00:00+00:00")) == [Outcome.ALREADY_DONE]
    assert await run_pass(ctx, poster, at("2026-11-21T09:00:00+00:00")) == [Outcome.POSTED]
    assert len(poster.sent) == 2


async def subscribe_where_zone_is_unknown(ctx: Context) -> None:
    """Channel `a0` saved (by another host, say) with a zone this host does not know, and the
    test channel at 09:00 UTC."""
    await ctx.store.subscribe(
        Place("console", "w1", "a0"),
        post_time="09:00",
        zone="Mars/Olympus",
        by="u1",
        now=ctx.clock(),
    )
    await subscribe(ctx, "09:00", "UTC")


async def test_a_zone_this_host_does_not_know_stops_no_other_channels_post(
    ctx: Context, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """`post-due` and the dry run post (or plan) the other channel and name the broken one."""
    clock.now = at("2026-11-20T07:00:00+00:00")
    await subscribe_where_zone_is_unknown(ctx)
    poster = RecordingPoster()
    with caplog.at_level(logging.WARNING):
        assert await run_pass(ctx, poster, at("2026-11-20T09:00:00+00:00")) == [Outcome.POSTED]
    assert "Mars/Olympus" in caplog.text and "a0" in caplog.text
    assert [r.channel for r in await plan_due(ctx, ["console"], clock.now)] == [CHANNEL.key]
    assert [channel for channel, _ in poster.sent] == ["c1"]


async def test_the_scheduler_posts_past_a_zone_this_host_does_not_know(
    ctx: Context, clock: Clock
) -> None:
    """The running scheduler's look is not stopped by the broken row: the other post goes out,
    and the broken row is looked at again an hour on, not at every look."""
    clock.now = at("2026-11-20T07:00:00+00:00")
    await subscribe_where_zone_is_unknown(ctx)
    clock.now = at("2026-11-20T09:00:00+00:00")
    poster = RecordingPoster()
    stop = asyncio.Event()
    task = asyncio.create_task(Scheduler(ctx, {"console": poster}).run(stop))
    try:
        await poster.wait_for(1)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
    assert [channel for channel, _ in poster.sent] == ["c1"]
    broken = await ctx.store.subscription(Place("console", "w1", "a0"))
    assert broken is not None and broken.next_post_at == at("2026-11-20T10:00:00+00:00")


async def test_status_of_a_zone_this_host_does_not_know_says_so(ctx: Context, clock: Clock) -> None:
    """`/specimen status` there answers in one line what is wrong and what to do."""
    clock.now = at("2026-11-20T07:00:00+00:00")
    await subscribe_where_zone_is_unknown(ctx)
    reply = await dispatch(ctx, invocation("specimen", "status", channel="a0"))
    fields = dict((f.name, f.value) for f in reply.cards[0].fields)
    assert fields["Next post"] == (
        "none: this bot does not know the time zone 'Mars/Olympus'. "
        "An admin can subscribe again with a zone such as Europe/Berlin, "
        "America/New_York or Asia/Tokyo."
    )
    assert reply.cards[0].timestamp is None


async def test_today_where_the_zone_is_unknown_counts_the_day_in_the_default_zone(
    ctx: Context, clock: Clock
) -> None:
    """`/specimen today` there names today's specimen (its day in ROASTBOT_TZ), not an error."""
    clock.now = at("2026-11-20T07:00:00+00:00")
    await subscribe_where_zone_is_unknown(ctx)
    reply = await dispatch(ctx, invocation("specimen", "today", channel="a0"))
    assert reply.cards[0].header == "Specimen of the day, Friday 20 November"


@pytest.mark.parametrize(
    ("zone", "post_time", "first", "posted"),
    [
        # spring forward at 02:00: the gap's post at 03:00
        ("Europe/Berlin", "02:30", "2026-03-28", ["03-28T02:30+01", "03-29T03:00+02"]),
        # fall back at 03:00: the first 02:30, once
        ("Europe/Berlin", "02:30", "2026-10-24", ["10-24T02:30+02", "10-25T02:30+02"]),
        # spring forward at midnight: the day starts at 01:00
        ("America/Santiago", "00:00", "2026-09-05", ["09-05T00:00-04", "09-06T01:00-03"]),
        # fall back at 01:00 to midnight: 00:30 happens twice
        ("America/Havana", "00:30", "2026-10-31", ["10-31T00:30-04", "11-01T00:30-04"]),
        # a half-hour shift
        ("Australia/Lord_Howe", "02:15", "2026-10-03", ["10-03T02:15+10", "10-04T02:30+11"]),
        # 30 December 2011 never happened in Samoa
        ("Pacific/Apia", "00:00", "2011-12-29", ["12-29T00:00-10", "12-31T00:00+14"]),
    ],
)
async def test_the_index_driven_scheduler_posts_once_a_date_across_each_edge(
    ctx: Context, clock: Clock, zone: str, post_time: str, first: str, posted: list[str]
) -> None:
    """Looking only when the index says, over the edge and the day after: one post a date,
    at the moment the edge allows."""
    local = ZoneInfo(zone)
    start = at(f"{first}T00:00:00").replace(tzinfo=local).astimezone(UTC)
    clock.now = start - timedelta(hours=1)
    await subscribe(ctx, post_time, zone)
    end = clock.now + timedelta(days=3)
    poster = RecordingPoster()
    scheduler = Scheduler(ctx, {"console": poster}, no_sleep)
    limiters, pacing = Limiters(no_sleep), Pacing(no_sleep)
    moments = []
    while clock.now < end:
        before = len(poster.sent)
        wake = await scheduler.look(clock.now, limiters, pacing)
        await asyncio.gather(
            *(t for t in asyncio.all_tasks() if t.get_name().startswith("specimen "))
        )
        moments += [clock.now.astimezone(local)] * (len(poster.sent) - before)
        clock.now = max(wake, clock.now + timedelta(seconds=1))
    shown = [f"{m:%m-%dT%H:%M}{m:%z}"[:14] for m in moments]
    assert shown[:2] == posted and len(shown) == 3
    headers = [reply.cards[0].header for _, reply in poster.sent]
    assert len(set(headers)) == 3


async def test_a_zone_follows_the_rules_of_the_tzdata_package_not_the_hosts_older_copy(
    ctx: Context, clock: Clock
) -> None:
    """America/Vancouver kept UTC-7 past 1 November 2026 (tzdata 2026); a host whose copy
    predates that would post an hour late. 09:00 there on 30 November is 16:00 UTC."""
    clock.now = at("2026-11-30T12:00:00+00:00")
    reply = await subscribe(ctx, "09:00", "America/Vancouver")
    assert "Next: Monday 30 November, 09:00 MST." in reply.cards[0].description
    poster = RecordingPoster()
    assert await run_pass(ctx, poster, at("2026-11-30T15:59:00+00:00")) == []
    assert await run_pass(ctx, poster, at("2026-11-30T16:00:00+00:00")) == [Outcome.POSTED]


async def test_a_scheduler_starting_replans_what_older_zone_rules_planned(
    ctx: Context, clock: Clock
) -> None:
    """Vancouver's 09:00 planned by an instance with the older rules (17:00 UTC): a scheduler
    starting at 15:00 looks at it again and plans it for 16:00."""
    clock.now = at("2026-11-30T12:00:00+00:00")
    await subscribe(ctx, "09:00", "America/Vancouver")
    sub = await ctx.store.subscription(CHANNEL)
    assert sub is not None
    assert await ctx.store.set_next_post(sub, at("2026-11-30T17:00:00+00:00"))
    clock.now = at("2026-11-30T15:00:00+00:00")
    poster = RecordingPoster()
    scheduler = Scheduler(ctx, {"console": poster}, no_sleep)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stop))
    try:
        await asyncio.wait_for(scheduler.looked.wait(), timeout=10)
        assert await ctx.store.earliest_next_post(clock.now) == at("2026-11-30T16:00:00+00:00")
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)


@pytest.mark.parametrize("option", ["time", "zone", "days"])
async def test_junk_over_many_lines_is_answered_in_one_short_line(
    ctx: Context, option: str
) -> None:
    """A 6,000-character option full of line breaks is echoed short, on one line."""
    junk = "9:00\n<@everyone>\n" * 400
    reply = await dispatch(ctx, invocation("specimen", "subscribe", admin=True, **{option: junk}))
    text = reply.cards[0].description
    assert reply.cards[0].tone is Tone.ERROR and "\n" not in text and len(text) < 300
    assert await ctx.store.subscription(CHANNEL) is None


@pytest.mark.parametrize(
    ("typed", "fixed", "opposite"),
    [
        ("GMT+2", "Etc/GMT-2", "Etc/GMT+2"),
        ("UTC+2", "Etc/GMT-2", "Etc/GMT+2"),
        ("utc-05:00", "Etc/GMT+5", "Etc/GMT-5"),
        ("+14", "Etc/GMT-14", "Etc/GMT+14"),
    ],
)
def test_an_offset_typed_as_a_zone_names_the_etc_zone_of_that_offset(
    typed: str, fixed: str, opposite: str
) -> None:
    """`GMT+2` is not offered Etc/GMT+2 (that is UTC-2): it is told the zone of UTC+2, and
    that a place's zone follows daylight saving."""
    with pytest.raises(TimeInputError) as caught:
        parse_zone(typed)
    message = str(caught.value)
    assert f"or {fixed} for " in message and "Europe/Berlin" in message
    assert opposite not in message


def test_an_offset_no_etc_zone_has_names_places_only() -> None:
    """UTC+05:30 has no Etc zone: the answer names zones of places."""
    with pytest.raises(TimeInputError, match=r"'UTC\+05:30' is an offset.*Asia/Tokyo\.$"):
        parse_zone("UTC+05:30")


async def test_status_after_the_clock_went_back_weeks_names_the_first_post(
    ctx: Context, clock: Clock
) -> None:
    """Subscribed while the host's clock said 20 December, asked when it says 20 November:
    the status names the first post (21 December) instead of failing."""
    await ctx.store.subscribe(
        CHANNEL, post_time="09:00", zone="UTC", by="u1", now=at("2026-12-20T10:00:00+00:00")
    )
    clock.now = at("2026-11-20T10:00:00+00:00")
    assert await status_next(ctx) == "Monday 21 December, 09:00 UTC"


async def test_subscribing_between_the_two_0230s_of_a_fold_posts_at_the_second(
    ctx: Context, clock: Clock
) -> None:
    """At the second 02:15 of 25 October in Berlin, a 02:30 subscription still has a 02:30
    ahead that day: it posts then, once, instead of leaving the date without a post."""
    clock.now = at("2026-10-25T01:15:00+00:00")  # 02:15 CET, after 02:15 CEST
    reply = await subscribe(ctx, "02:30", "Europe/Berlin")
    assert "Next: Sunday 25 October, 02:30 CET." in reply.cards[0].description
    poster = RecordingPoster()
    assert await run_pass(ctx, poster, at("2026-10-25T01:29:00+00:00")) == []
    assert await run_pass(ctx, poster, at("2026-10-25T01:30:00+00:00")) == [Outcome.POSTED]
    assert await run_pass(ctx, poster, at("2026-10-25T02:30:00+00:00")) == [Outcome.ALREADY_DONE]
    assert await run_pass(ctx, poster, at("2026-10-26T01:30:00+00:00")) == [Outcome.POSTED]


async def test_unsubscribing_and_subscribing_again_the_same_day_posts_no_second(
    ctx: Context, clock: Clock
) -> None:
    """Posted at 09:00, unsubscribed at 10:00, subscribed for 12:00 at 11:00: nothing more
    that day, and the reply says tomorrow."""
    clock.now = at("2026-11-20T07:00:00+00:00")
    await subscribe(ctx, "09:00", "UTC")
    poster = RecordingPoster()
    assert await run_pass(ctx, poster, at("2026-11-20T09:00:00+00:00")) == [Outcome.POSTED]
    clock.now = at("2026-11-20T10:00:00+00:00")
    await dispatch(ctx, invocation("specimen", "unsubscribe", admin=True))
    clock.now = at("2026-11-20T11:00:00+00:00")
    reply = await subscribe(ctx, "12:00", "UTC")
    assert "Next: Saturday 21 November, 12:00 UTC." in reply.cards[0].description
    assert await run_pass(ctx, poster, at("2026-11-20T12:00:00+00:00")) == [Outcome.ALREADY_DONE]
    assert await run_pass(ctx, poster, at("2026-11-21T12:00:00+00:00")) == [Outcome.POSTED]
    assert len(poster.sent) == 2
