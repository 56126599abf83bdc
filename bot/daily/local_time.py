"""Local-time arithmetic for daily posts: parsing, zones, and daylight-saving edges."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import process

_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
ZONE_EXAMPLES = "Europe/Berlin, America/New_York or Asia/Tokyo"
_MAX_GAP_MINUTES = 24 * 60


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


def post_moment(local_date: date, post_time: time, zone: ZoneInfo) -> datetime:
    """When a daily post at `post_time` on `local_date` falls, in UTC.

    A time skipped by a spring-forward change posts at the first valid minute after it;
    a time that occurs twice on a fall-back day posts at the first occurrence.
    """
    naive = datetime.combine(local_date, post_time)
    for minutes in range(_MAX_GAP_MINUTES):
        candidate = naive + timedelta(minutes=minutes)
        aware = candidate.replace(tzinfo=zone, fold=0)
        if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == candidate:
            return aware.astimezone(UTC)
    raise ValueError(f"no valid local time after {naive} in {zone}")  # pragma: no cover


def local_date_at(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar date in `zone` at a moment."""
    return moment.astimezone(zone).date()


def day_heading(local_date: date) -> str:
    """`Friday 21 November`, as in the specimen-of-the-day header."""
    return f"{local_date:%A} {local_date.day} {local_date:%B}"
