"""Local-time arithmetic for daily posts: parsing, zones, and daylight-saving edges."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from rapidfuzz import process

_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:(?::|h)(?P<minute>\d{2}))?(?P<meridiem>am|pm|a\.m\.|p\.m\.|h)?$"
)
_TIME_EXAMPLES = "Use 09:00, 9am, 9:30pm or 21h."
ZONE_EXAMPLES = "Europe/Berlin, America/New_York or Asia/Tokyo"
_MAX_GAP_MINUTES = 48 * 60  # no zone has skipped more than a day
# `UTC+2`, `GMT-05:00`, `+0530`: an offset typed where a zone is asked for
_OFFSET = re.compile(
    r"^(?:utc|gmt)?\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?$", re.I
)
# a zone in the database that names no place (its abbreviation says "set the time zone")
_NOT_PLACES = frozenset({"factory"})


class TimeInputError(ValueError):
    """A time or zone typed by a user that cannot be used; the message says why, with examples."""


def parse_post_time(text: str) -> time:
    """A time of day as people type it: `09:00`, `9:00`, `9am`, `9:30pm`, `21h`, `21h30`.

    Raises `TimeInputError` saying which part is wrong (the hour, the minutes, am/pm).
    """
    typed = text.strip()
    shown = one_line(typed, 20)
    match = _TIME.match("".join(_folded(typed).split()).lower())
    if match is None:
        raise TimeInputError(f"'{shown}' is not a time. {_TIME_EXAMPLES}")
    hour, minute, meridiem = int(match["hour"]), match["minute"], match["meridiem"]
    if minute is None and meridiem is None:
        raise TimeInputError(f"'{shown}' needs minutes or am/pm, e.g. {hour}:00 or {hour}am.")
    minutes = int(minute or 0)
    if minutes > 59:
        raise TimeInputError(f"'{shown}': the minutes must be 00 to 59. {_TIME_EXAMPLES}")
    if meridiem not in (None, "h"):
        if not 1 <= hour <= 12:
            raise TimeInputError(f"'{shown}': with am or pm the hour is 1 to 12. {_TIME_EXAMPLES}")
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    elif hour > 23:
        raise TimeInputError(f"'{shown}': the hour must be 0 to 23. {_TIME_EXAMPLES}")
    return time(hour, minutes)


def one_line(typed: str, limit: int) -> str:
    """What a user typed, to echo in a one-line answer: its spaces and line breaks as one
    space each, cut at `limit` characters."""
    return " ".join(typed.split())[:limit]


def looks_like_time(word: str) -> bool:
    """Whether a typed word is meant as a time (starts with a digit), not a zone or option."""
    return _folded(word[:1]).isdecimal()


def _folded(text: str) -> str:
    """Full-width digits and colon as their ASCII forms (other scripts' digits stay: `int`
    and the pattern read those as they are)."""
    return unicodedata.normalize("NFKC", text)


@cache
def zone_names() -> tuple[str, ...]:
    """Every zone a subscription may name, as the `tzdata` package lists them."""
    listed = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    return tuple(name for name in listed if name.casefold() not in _NOT_PLACES)


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in zone_names()}


@cache
def _zone(name: str) -> ZoneInfo:
    """A zone's rules from the `tzdata` package this project requires, never the host's copy.

    The host's copy is searched first by `ZoneInfo(name)`; it may be years older than the
    package (it can miss a change of rules already in force) and differ between hosts
    sharing one database.
    """
    with resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).open("rb") as data:
        return ZoneInfo.from_file(data, key=name)


def parse_zone(text: str) -> ZoneInfo:
    """An IANA zone by name, in any case, or `TimeInputError` with suggestions."""
    name = _zones_by_folded_name().get(text.strip().casefold())
    if name is not None:
        try:
            return _zone(name)
        except (OSError, ValueError):
            pass
    offset = _offset_hint(text.strip())
    if offset is not None:
        raise TimeInputError(offset)
    near = process.extract(text.strip(), zone_names(), limit=3)
    hint = ", ".join(str(n) for n, score, _ in near if score >= 70) or ZONE_EXAMPLES
    raise TimeInputError(
        f"Unknown time zone '{one_line(text, 40)}'. Use an IANA name such as {hint}."
    )


def _offset_hint(typed: str) -> str | None:
    """What to say to an offset typed as a zone, or None if it is not one.

    Fuzzy matching would offer `Etc/GMT+2` for `GMT+2`, which is UTC-2: Etc names count
    the other way. The answer names the Etc zone of the offset meant, where there is one.
    """
    match = _OFFSET.match(typed)
    if match is None:
        return None
    sign, hours = match["sign"], int(match["hours"])
    said = (
        f"'{one_line(typed, 40)}' is an offset, and offsets miss daylight saving: "
        f"use your place's zone, such as {ZONE_EXAMPLES}"
    )
    name = "UTC" if hours == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    if match["minutes"] not in (None, "00") or name.casefold() not in _zones_by_folded_name():
        return f"{said}."
    return f"{said}, or {name} for UTC{sign}{hours} all year."


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


def repeated_moment(local_date: date, post_time: time, zone: ZoneInfo) -> datetime | None:
    """When a time that happens twice on a fall-back day happens the second time, in UTC;
    None if it happens once (or never) that day."""
    naive = datetime.combine(local_date, post_time)
    first, second = (naive.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
    if second != first and second.astimezone(zone).replace(tzinfo=None) == naive:
        return second
    return None


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
