"""Local post times across daylight-saving changes, and user-typed times and zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.daily.local_time import (
    TimeInputError,
    day_heading,
    parse_post_time,
    parse_zone,
    post_moment,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("zone", "day", "at", "utc"),
    [
        (BERLIN, date(2026, 11, 21), time(9, 0), datetime(2026, 11, 21, 8, 0, tzinfo=UTC)),
        (BERLIN, date(2026, 7, 1), time(9, 0), datetime(2026, 7, 1, 7, 0, tzinfo=UTC)),
        # spring forward: 02:00-02:59 does not exist; the first valid minute after is 03:00
        (BERLIN, date(2026, 3, 29), time(2, 30), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        # fall back: 02:30 happens twice; the first is still in summer time (UTC+2)
        (BERLIN, date(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (NEW_YORK, date(2026, 3, 8), time(2, 15), datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        (NEW_YORK, date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        (NEW_YORK, date(2026, 11, 1), time(9, 0), datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),
    ],
)
def test_post_moment_handles_daylight_saving(
    zone: ZoneInfo, day: date, at: time, utc: datetime
) -> None:
    """Skipped times move to the first valid minute; repeated times use the first."""
    assert post_moment(day, at, zone) == utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:00", time(9)),
        ("09:05", time(9, 5)),
        (" 23:59 ", time(23, 59)),
        ("9am", time(9)),
        ("9 AM", time(9)),
        ("9:30pm", time(21, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("21h", time(21)),
        ("21h30", time(21, 30)),
    ],
)
def test_times_parse(text: str, expected: time) -> None:
    """24-hour HH:MM, 12-hour with am/pm, and 21h all work."""
    assert parse_post_time(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("24:00", "'24:00': the hour must be 0 to 23."),
        ("09:60", "'09:60': the minutes must be 00 to 59."),
        ("13pm", "'13pm': with am or pm the hour is 1 to 12."),
        ("9", "'9' needs minutes or am/pm, e.g. 9:00 or 9am."),
        ("", "'' is not a time."),
        ("12:00:00", "'12:00:00' is not a time."),
        ("-1:00", "'-1:00' is not a time."),
    ],
)
def test_bad_times_say_which_part_is_wrong(text: str, message: str) -> None:
    """A malformed time names the part that is wrong, with examples."""
    with pytest.raises(TimeInputError) as caught:
        parse_post_time(text)
    assert str(caught.value).startswith(message)


def test_zones_are_found_in_any_case_and_typos_get_suggestions() -> None:
    """`europe/berlin` works; `Europe/Berlni` suggests Europe/Berlin; junk gets examples."""
    assert parse_zone("europe/berlin").key == "Europe/Berlin"
    with pytest.raises(TimeInputError, match="Europe/Berlin"):
        parse_zone("Europe/Berlni")
    for junk in ("Mars/Olympus", "../../etc/passwd", "", "CET+99"):
        with pytest.raises(TimeInputError, match="Unknown time zone"):
            parse_zone(junk)


def test_day_heading_reads_like_the_header() -> None:
    """Weekday, day without a leading zero, month."""
    assert day_heading(date(2026, 11, 20)) == "Friday 20 November"
    assert day_heading(date(2026, 11, 6)) == "Friday 6 November"
