"""Every local date that exists gets its post, in every zone, across every clock change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest

from bot.daily.local_time import parse_zone, post_moment, zone_names
from bot.daily.specimen import due_dates, moment_after, next_post_moment
from bot.store import Place, Subscription

MINUTE = timedelta(minutes=1)
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
# every quarter hour, plus the last minute of the day
POST_TIMES = [time(h, m) for h in range(24) for m in (0, 15, 30, 45)] + [time(23, 59)]


def subscription(post_time: time, zone: str, since: datetime = LONG_AGO) -> Subscription:
    """A live subscription made at `since`."""
    return Subscription(Place("console", "w", "c"), f"{post_time:%H:%M}", zone, "u", since)


@cache
def _transition_days(zone_name: str, first_year: int, last_year: int) -> tuple[date, ...]:
    """The local dates around each offset change of a zone in the years given."""
    zone = parse_zone(zone_name)
    days: set[date] = set()
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(zone).utcoffset()
    while moment < end:
        after = moment + timedelta(days=1)
        if after.astimezone(zone).utcoffset() != offset:
            offset = after.astimezone(zone).utcoffset()
            first, last = moment.astimezone(zone).date(), after.astimezone(zone).date()
            days |= {first + timedelta(days=k) for k in range(-1, (last - first).days + 2)}
        moment = after
    return tuple(sorted(days))


def _zones_with_distinct_rules() -> Iterator[tuple[str, tuple[date, ...]]]:
    """One zone per distinct (offsets, transition days) pattern in 2026 to 2030."""
    seen: set[tuple[object, ...]] = set()
    for name in zone_names():
        days = _transition_days(name, 2026, 2030)
        zone = parse_zone(name)
        signature = tuple((day, datetime.combine(day, time(12), zone).utcoffset()) for day in days)
        if days and signature not in seen:
            seen.add(signature)
            yield name, days


def _date_exists(day: date, zone: ZoneInfo) -> bool:
    """Whether any minute of `day` happens in `zone` (checked by brute force, minute by minute)."""
    start = datetime.combine(day, time(0), UTC) - timedelta(hours=15)
    return any((start + k * 15 * MINUTE).astimezone(zone).date() == day for k in range(4 * 40))


def test_every_existing_date_in_every_zone_gets_its_post_2026_to_2030() -> None:
    """At each date's post moment the date is due, not a minute earlier, and the scheduler wakes then."""
    checked = 0
    for name, days in _zones_with_distinct_rules():
        zone = parse_zone(name)
        for day in days:
            for post_time in POST_TIMES:
                sub = subscription(post_time, name)
                moment = post_moment(day, post_time, zone)
                assert moment is not None, (name, day, post_time)
                assert day in due_dates(sub, moment), (name, day, post_time, moment)
                assert day not in due_dates(sub, moment - MINUTE), (name, day, post_time)
                assert moment_after(sub, moment - MINUTE) == moment, (name, day, post_time)
                checked += 1
    assert checked > 10_000


@pytest.mark.parametrize(
    ("zone", "day", "at", "posted_at"),
    [
        # the evening gap: 23:00 to 23:59 do not exist; the post goes out at 00:00 the next day
        ("America/Nuuk", date(2027, 3, 27), time(23, 30), "2027-03-28T00:00-01:00"),
        ("America/Scoresbysund", date(2026, 3, 28), time(23, 0), "2026-03-29T00:00-01:00"),
    ],
)
def test_an_evening_gap_posts_at_the_first_valid_minute_of_the_next_day(
    zone: str, day: date, at: time, posted_at: str
) -> None:
    """The date's post is due at 00:00 the day after, alongside that day's own post later on."""
    moment = datetime.fromisoformat(posted_at)
    sub = subscription(at, zone)
    assert post_moment(day, at, ZoneInfo(zone)) == moment
    assert due_dates(sub, moment) == [day]
    later_that_day = datetime.combine(day + timedelta(days=1), at, ZoneInfo(zone))
    assert due_dates(sub, later_that_day) == [day, day + timedelta(days=1)]
    assert next_post_moment(sub, moment - MINUTE, posted=set()) == moment
    assert next_post_moment(sub, moment, posted={day}) == later_that_day


def test_a_date_that_never_existed_has_no_post_and_raises_nothing() -> None:
    """Pacific/Apia skipped 2011-12-30 whole: no post that date, the next one on the 31st."""
    apia = ZoneInfo("Pacific/Apia")
    assert not _date_exists(date(2011, 12, 30), apia)
    assert post_moment(date(2011, 12, 30), time(0, 0), apia) is None
    sub = subscription(time(0, 0), "Pacific/Apia", since=datetime(2011, 12, 28, tzinfo=UTC))
    eve = datetime(2011, 12, 29, 12, 0, tzinfo=apia)
    new_years_eve = datetime(2011, 12, 31, 0, 0, tzinfo=apia)
    assert moment_after(sub, eve) == new_years_eve
    assert next_post_moment(sub, eve, posted={date(2011, 12, 29)}) == new_years_eve
    assert due_dates(sub, new_years_eve) == [date(2011, 12, 31)]


def test_the_brute_force_agrees_that_gap_dates_exist() -> None:
    """The evening-gap dates above do exist (so they are owed a post)."""
    assert _date_exists(date(2027, 3, 27), ZoneInfo("America/Nuuk"))
    assert _date_exists(date(2026, 3, 28), ZoneInfo("America/Scoresbysund"))
