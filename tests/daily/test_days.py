"""Which days a subscription posts on: parsing, weekday schedules, a DST change, the command."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.commands.registry import dispatch
from bot.commands.textargs import parse_line
from bot.daily.days import DaysInputError, describe_days, parse_days
from bot.daily.scheduler import Outcome, post_due
from bot.daily.specimen import due_dates, next_post_moment
from bot.runtime.context import Context
from bot.store import DailyOptions, Place, Subscription
from tests.conftest import invocation
from tests.daily.test_specimen import Clock, RecordingPoster, at, no_sleep

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
BERLIN = ZoneInfo("Europe/Berlin")


def sub(days: str, zone: str = "Europe/Berlin", post_time: str = "09:00") -> Subscription:
    """A live subscription posting on `days`, made long ago."""
    return Subscription(
        Place("console", "w", "c"), post_time, zone, "u", LONG_AGO, options=DailyOptions(days)
    )


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("daily", "daily"),
        ("Weekdays", "weekdays"),
        ("fri,MON, wed", "mon,wed,fri"),
        ("monday,tuesday", "mon,tue"),
        ("mon,tue,wed,thu,fri", "weekdays"),
        ("sat,sun", "weekends"),
        ("sun,sat,fri,thu,wed,tue,mon", "daily"),
    ],
)
def test_days_are_made_canonical(text: str, canonical: str) -> None:
    """Any spelling of a set of days is stored one way."""
    assert parse_days(text) == canonical


@pytest.mark.parametrize("text", ["", "someday", "mon,xyz", ","])
def test_junk_days_are_refused_in_one_line(text: str) -> None:
    """Something that is not a list of days says what would be."""
    with pytest.raises(DaysInputError, match="daily, weekdays, weekends or mon,wed,fri"):
        parse_days(text)


def test_days_read_like_a_sentence() -> None:
    """The schedule line says `every day`, `on weekdays`, `on Mon, Wed, Fri`."""
    assert [describe_days(d) for d in ("daily", "weekdays", "mon,wed,fri")] == [
        "every day",
        "on weekdays",
        "on Mon, Wed, Fri",
    ]


def test_weekdays_post_monday_to_friday_across_a_week() -> None:
    """Hour by hour over a week, a weekdays subscription is due on Mon-Fri after 09:00 only."""
    weekdays = sub("weekdays")
    start = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday
    due_on: set[date] = set()
    for hour in range(7 * 24):
        due_on.update(due_dates(weekdays, start + hour * HOUR))
    assert sorted(due_on) == [date(2026, 11, 23) + timedelta(days=k) for k in range(5)]
    saturday_noon = datetime(2026, 11, 28, 12, tzinfo=UTC)
    assert due_dates(weekdays, saturday_noon) == []
    assert next_post_moment(weekdays, saturday_noon, set()) == datetime(2026, 11, 30, 8, tzinfo=UTC)


def test_a_list_of_days_across_the_autumn_clock_change() -> None:
    """mon,wed,fri,sun around 25 October 2026 (Berlin leaves summer time) posts at 09:00 local."""
    listed = sub("mon,wed,fri,sun")
    moments: list[datetime] = []
    posted: set[date] = set()
    now = datetime(2026, 10, 21, tzinfo=UTC)  # a Wednesday, before 09:00 local
    for _ in range(5):
        moment = next_post_moment(listed, now, posted)
        moments.append(moment)
        posted.add(moment.astimezone(BERLIN).date())
        now = moment + HOUR
    assert moments == [
        datetime(2026, 10, 21, 7, tzinfo=UTC),  # Wed, CEST
        datetime(2026, 10, 23, 7, tzinfo=UTC),  # Fri, CEST
        datetime(2026, 10, 25, 8, tzinfo=UTC),  # Sun, the change: CET from 03:00
        datetime(2026, 10, 26, 8, tzinfo=UTC),  # Mon, CET
        datetime(2026, 10, 28, 8, tzinfo=UTC),  # Wed, CET
    ]


def test_a_once_a_week_subscription_finds_next_week() -> None:
    """A Monday-only subscription asked on a Tuesday waits six days, not forever."""
    mondays = sub("mon", zone="Pacific/Kiritimati", post_time="23:59")
    tuesday = datetime(2026, 11, 24, 12, tzinfo=UTC)
    moment = next_post_moment(mondays, tuesday, set())
    assert moment.astimezone(ZoneInfo("Pacific/Kiritimati")).date() == date(2026, 11, 30)


def test_typed_form_takes_words_in_any_order() -> None:
    """Time and zone first or not, the options land in their places."""
    parsed = parse_line(
        "/specimen subscribe thread 09:00 ping:@roasters Europe/Berlin pin weekdays"
    )
    assert parsed is not None
    assert parsed.options == {
        "time": "09:00",
        "zone": "Europe/Berlin",
        "days": "weekdays",
        "pin": "yes",
        "thread": "yes",
        "ping": "@roasters",
    }
    junk = parse_line("/specimen subscribe 09:00 Europe/Berlin pinn")
    assert junk is not None and junk.options["unknown"] == "pinn"


@pytest.fixture
def ctx(context: Context) -> Context:
    return dataclasses.replace(context, clock=Clock(at("2026-11-20T07:00:00+00:00")))


async def typed(ctx: Context, line: str) -> str:
    """The first card's text of a typed `/specimen ...` line run by an admin."""
    parsed = parse_line(line)
    assert parsed is not None
    reply = await dispatch(
        ctx, invocation("specimen", parsed.subcommand, admin=True, **parsed.options)
    )
    card = reply.cards[0]
    return card.description or "; ".join(f"{f.name}: {f.value}" for f in card.fields)


async def test_unknown_word_gets_did_you_mean_and_changes_nothing(ctx: Context) -> None:
    """`pinn` is answered in one line naming `pin`, and no subscription is made."""
    text = await typed(ctx, "/specimen subscribe 09:00 Europe/Berlin weekdays pinn")
    assert text == (
        "'pinn' is not an option of /specimen subscribe. Did you mean 'pin'? Nothing was changed."
    )
    assert await ctx.store.subscription(Place("console", "w1", "c1")) is None


async def test_options_are_kept_shown_and_changed_by_subscribing_again(ctx: Context) -> None:
    """Subscribe with options, read them back in status, then subscribe again without them."""
    place = Place("console", "w1", "c1")
    line = "/specimen subscribe 09:00 Europe/Berlin weekdays pin thread ping:<!subteam^S0ROAST|@r>"
    said = await typed(ctx, line)
    assert said.startswith(
        "This channel gets a specimen on weekdays at 09:00 Europe/Berlin, pinned, "
        "with a thread, pinging S0ROAST. Next: Friday 20 November, 09:00 CET"
    )
    stored = await ctx.store.subscription(place)
    assert stored is not None
    assert stored.options == DailyOptions("weekdays", pin=True, thread=True, ping="S0ROAST")
    status = await typed(ctx, "/specimen status")
    assert status.startswith(
        "Schedule: On weekdays at 09:00 Europe/Berlin; "
        "Options: Pinned, with a thread, pinging S0ROAST; Next post: Friday 20 November"
    )
    await typed(ctx, "/specimen subscribe 09:00 Europe/Berlin")
    again = await ctx.store.subscription(place)
    assert again is not None and again.options == DailyOptions()
    # only the options changed: the subscription's moment stands, so today's post is kept
    assert again.subscribed_at == stored.subscribed_at


async def test_no_post_on_a_day_off(ctx: Context) -> None:
    """A weekdays channel gets nothing on Saturday and its post on Monday, once."""
    await typed(ctx, "/specimen subscribe 09:00 Europe/Berlin weekdays")
    poster = RecordingPoster()
    outcomes = []
    for moment in ("2026-11-21T10:00:00+00:00", "2026-11-22T10:00:00+00:00"):
        outcomes += await post_due(ctx, {"console": poster}, at(moment), no_sleep)
    assert outcomes == [] and poster.sent == []
    monday = await post_due(ctx, {"console": poster}, at("2026-11-23T08:00:00+00:00"), no_sleep)
    assert [r.outcome for r in monday] == [Outcome.POSTED]
