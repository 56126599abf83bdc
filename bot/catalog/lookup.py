"""The catalog: every loaded role, looked up by id, title or alias, with typo suggestions."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.catalog.loader import BUNDLED_DIR, load_roles, normalize_key
from bot.catalog.model import Role
from bot.catalog.name_index import NameIndex

MAX_CHOICES = 25
MAX_CHOICE_LENGTH = 100
SUGGESTION_CUTOFF = 72.0
"""Edit similarity (rapidfuzz `ratio`, 0-100) a name needs to be suggested for a typo."""
MIN_PREFIX = 3


@dataclass(frozen=True)
class Choice:
    """One autocomplete choice: what the user sees and the role id it stands for."""

    name: str
    value: str


class Catalog:
    """An immutable, validated set of roles with fast, forgiving lookup."""

    def __init__(self, roles: Iterable[Role]) -> None:
        self._roles = {role.id: role for role in sorted(roles, key=lambda r: r.title.casefold())}
        self._keys: dict[str, str] = {}
        for role in self._roles.values():
            for name in (role.id, role.title, *role.dossier.aliases):
                self._keys.setdefault(normalize_key(name), role.id)
        self._sorted_keys = sorted(self._keys)
        self._by_rank = list(self._roles.values())
        self._index = NameIndex([_names(role) for role in self._by_rank], list(self._keys))

    @classmethod
    def load(cls, directory: Path | None = None) -> Catalog:
        """Load and validate a dossier folder (the bundled one by default)."""
        return cls(load_roles(directory or BUNDLED_DIR))

    def __len__(self) -> int:
        return len(self._roles)

    def __iter__(self) -> Iterator[Role]:
        return iter(self._roles.values())

    @property
    def roles(self) -> Sequence[Role]:
        """Every role, sorted by title."""
        return tuple(self._roles.values())

    def get(self, role_id: str) -> Role | None:
        """The role with exactly this id, if any."""
        return self._roles.get(role_id)

    def find(self, query: str) -> Role | None:
        """The role whose id, title or alias matches `query`, ignoring case and punctuation."""
        role_id = self._keys.get(normalize_key(query))
        return self._roles[role_id] if role_id else None

    def suggest(self, query: str, limit: int = 3) -> list[Role]:
        """Up to `limit` roles whose names start with, or come near to, `query`; best first.

        Names that start with what was typed come first (`devop`); then close spellings
        (`Enterprse Architct`). Nothing comes back when nothing is close (`list`, `banana`).
        """
        key = normalize_key(query)
        if not key:
            return []
        found: list[Role] = []

        def add(name: str) -> None:
            role = self._roles[self._keys[name]]
            if role not in found:
                found.append(role)

        if len(key) >= MIN_PREFIX:
            start = bisect_left(self._sorted_keys, key)
            for name in self._sorted_keys[start : start + limit * 4]:
                if not name.startswith(key):
                    break
                add(name)
        for name in self._index.close(key, SUGGESTION_CUTOFF, limit * 8):
            add(name)
        return found[:limit]

    def autocomplete(self, query: str) -> list[Choice]:
        """At most 25 choices for a partly typed role, best first, names at most 100 characters.

        Roles with a name starting with what was typed come first, then those with a name
        containing it (each group in title order), then close spellings (`suggest`).
        """
        key = normalize_key(query)
        if not key:
            ranked = self._by_rank[:MAX_CHOICES]
        else:
            ranks = self._index.starting(key, MAX_CHOICES)
            if len(ranks) < MAX_CHOICES:
                ranks += self._index.containing(key, set(ranks), MAX_CHOICES - len(ranks))
            ranked = [self._by_rank[rank] for rank in ranks]
            if len(ranked) < MAX_CHOICES:
                ranked += [r for r in self.suggest(query, limit=MAX_CHOICES) if r not in ranked]
        return [
            Choice(name=_clip(role.title, MAX_CHOICE_LENGTH), value=role.id)
            for role in ranked[:MAX_CHOICES]
        ]


def _names(role: Role) -> list[str]:
    return [normalize_key(n) for n in (role.id, role.title, *role.dossier.aliases)]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
