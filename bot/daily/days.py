"""Which weekdays a subscription posts on: `daily`, `weekdays`, `weekends` or `mon,wed,fri`."""

from __future__ import annotations

from datetime import date

from bot.daily.local_time import one_line

DAILY = "daily"
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NAMED = {DAILY: tuple(range(7)), "weekdays": tuple(range(5)), "weekends": (5, 6)}
# the words a `days` option may be made of, for "did you mean"
DAY_WORDS = (*NAMED, *WEEKDAY_NAMES)


class DaysInputError(ValueError):
    """A `days` option that names no day, or something that is not a day."""


def parse_days(text: str) -> str:
    """The canonical form of a days option: a named set, or weekday names in week order.

    `Mon, wed,FRI` becomes `mon,wed,fri`; a list that happens to name every weekday becomes
    `weekdays`, every day `daily`.
    """
    word = text.strip().lower()
    if word in NAMED:
        return word
    parts = [part.strip()[:3] for part in word.split(",") if part.strip()]
    unknown = [part for part in parts if part not in WEEKDAY_NAMES]
    if not parts or unknown:
        raise DaysInputError(
            f"'{one_line(text, 30)}' is not a list of days: "
            "use daily, weekdays, weekends or mon,wed,fri."
        )
    numbers = tuple(sorted({WEEKDAY_NAMES.index(part) for part in parts}))
    for name, named in NAMED.items():
        if numbers == named:
            return name
    return ",".join(WEEKDAY_NAMES[number] for number in numbers)


def is_days(text: str) -> bool:
    """Whether a typed word is a days option."""
    try:
        parse_days(text)
    except DaysInputError:
        return False
    return True


def weekday_numbers(days: str) -> tuple[int, ...]:
    """The weekdays (Monday 0) of a canonical days option."""
    return NAMED.get(days) or tuple(WEEKDAY_NAMES.index(part) for part in days.split(","))


def posts_on(days: str, local_date: date) -> bool:
    """Whether a subscription with these days posts on a local date."""
    return local_date.weekday() in weekday_numbers(days)


def describe_days(days: str) -> str:
    """`every day`, `on weekdays`, `on weekends`, or `on Mon, Wed, Fri`."""
    if days == DAILY:
        return "every day"
    if days in NAMED:
        return f"on {days}"
    return "on " + ", ".join(part.capitalize() for part in days.split(","))
