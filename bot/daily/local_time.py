"""Local-time arithmetic for daily posts: parsing, zones, and daylight-saving edges."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import process

_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
ZONE_EXAMPLES = "Europe/Berlin, America/New_York or Asia/Tokyo"
_MAX_GAP_MINUTES = 48 * 60  # no zone has skipped more than a day


class TimeInputError(ValueError):
    """A time or zone typed by a user that cannot be used; the message says why, with examples."""


def parse_post_time(text: str) -> time:
    """`9:00` or `09:00` as a time of day, or `TimeInputError`."""
    match = _TIME.match(text.strip())
    if match is None:
        raise TimeInputError(
            f"'{text.strip()[:20]}' is not a time. Use 24-hour HH:MM, e.g. 09:00 or 17:30."
        )
    return time(int(match[1]), int(match[2]))


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_zone(text: str) -> ZoneInfo:
    """An IANA zone by name, in any case, or `TimeInputError` with suggestions."""
    name = _zones_by_folded_name().get(text.strip().casefold())
    if name is not None:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    near = process.extract(text.strip(), list(_zones_by_folded_name().values()), limit=3)
    hint = ", ".join(str(n) for n, score, _ in near if score >= 70) or ZONE_EXAMPLES
    raise TimeInputError(
        f"Unknown time zone '{text.strip()[:40]}'. Use an IANA name such as {hint}."
    )


def post_moment(local_date: date, post_time: time, zone: ZoneInfo) -> datetime | None:
    """When the post for `local_date` at `post_time` falls, in UTC; None if the date never existed.

    A time skipped by a spring-forward change posts at the first valid minute after it, even
    when that minute is on the next calendar day (America/Nuuk's evening gap); a time that
    occurs twice on a fall-back day posts at the first occurrence. A date skipped whole
    (Pacific/Apia, 2011-12-30) has no post.
    """
    first = _first_valid(datetime.combine(local_date, post_time), zone)
    if first.astimezone(zone).date() == local_date:
        return first
    start_of_day = _first_valid(datetime.combine(local_date, time(0, 0)), zone)
    return first if start_of_day.astimezone(zone).date() == local_date else None


def _first_valid(naive: datetime, zone: ZoneInfo) -> datetime:
    """The first minute at or after a wall-clock time that exists in `zone`, in UTC."""
    for minutes in range(_MAX_GAP_MINUTES):
        candidate = naive + timedelta(minutes=minutes)
        aware = candidate.replace(tzinfo=zone, fold=0)
        if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == candidate:
            return aware.astimezone(UTC)
    raise AssertionError(f"no valid local time within two days after {naive} in {zone}")


def local_date_at(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar date in `zone` at a moment."""
    return moment.astimezone(zone).date()


def day_heading(local_date: date) -> str:
    """`Friday 21 November`, as in the specimen-of-the-day header."""
    return f"{local_date:%A} {local_date.day} {local_date:%B}"
