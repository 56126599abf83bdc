"""The sections of a dossier a user can ask for, in the order of the seed records."""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog.loader import normalize_key


@dataclass(frozen=True)
class Section:
    """One full section of a dossier: its key, seed number and heading."""

    key: str
    number: str
    heading: str


SUMMARY = Section("summary", "", "Summary")
SECTIONS: tuple[Section, ...] = (
    SUMMARY,
    Section("aliases", "01", "The org-chart architecture"),
    Section("habitat", "02", "The habitat (natural range)"),
    Section("salary", "03", "Salary delusion"),
    Section("flight-risk", "04", "The flight risk"),
    Section("metrics", "05", "The bullshit metrics"),
    Section("weaponry", "06", "Signature weaponry"),
    Section("survival", "07", "Survival / encounter guide"),
    Section("jd-autopsy", "08", "The JD autopsy"),
    Section("day", "09", "Day-in-the-life log"),
    Section("burn-ward", "10", "The burn ward"),
    Section("related", "11", "Related specimens"),
)
_BY_KEY = {normalize_key(s.key): s for s in SECTIONS} | {
    normalize_key(s.heading): s for s in SECTIONS
}
_BY_KEY |= {s.number: s for s in SECTIONS if s.number}
_BY_KEY |= {
    normalize_key(alias): _BY_KEY[normalize_key(key)]
    for alias, key in (
        ("org-chart", "aliases"),
        ("jd", "jd-autopsy"),
        ("day-in-the-life", "day"),
        ("log", "day"),
        ("quotes", "burn-ward"),
        ("burnward", "burn-ward"),
        ("flight", "flight-risk"),
        ("risk", "flight-risk"),
    )
}


def find_section(name: str) -> Section | None:
    """The section named by key, heading, seed number or a common alias, in any case."""
    return _BY_KEY.get(normalize_key(name))
