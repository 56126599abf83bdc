"""Indexes over the catalog's normalized names, built once at load, for per-keystroke lookup.

Prefixes by bisecting the sorted names, substrings by `str.find` over one string, close
spellings by rapidfuzz over only the names whose length allows the score: each query costs
microseconds to a few milliseconds at 10,000 roles, not a rescan of every name.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from rapidfuzz import fuzz, process

_LAST = chr(0x10FFFF)
"""Sorts after any character a key can hold: `key + _LAST` bounds the keys starting with `key`."""
_ROLE_SEPARATOR = "\n"
_NAME_SEPARATOR = "\t"
"""Neither survives `normalize_key`, so no key found by `str.find` spans two names."""


class NameIndex:
    """The names of roles ranked 0, 1, 2… (title order), searchable by prefix, substring, typo."""

    def __init__(self, names_by_rank: Sequence[Sequence[str]], fuzzy_keys: Sequence[str]) -> None:
        """`names_by_rank[r]`: the normalized names of the role ranked `r`.

        `fuzzy_keys`: the names `close` scores, in the order that breaks ties between equal
        scores.
        """
        pairs = sorted((key, rank) for rank, names in enumerate(names_by_rank) for key in names)
        self._keys = [key for key, _rank in pairs]
        self._ranks = [rank for _key, rank in pairs]
        lines = [_NAME_SEPARATOR.join(names) for names in names_by_rank]
        self._line_starts = [0]
        for line in lines:
            self._line_starts.append(self._line_starts[-1] + len(line) + 1)
        self._haystack = _ROLE_SEPARATOR.join(lines)
        by_length = sorted(range(len(fuzzy_keys)), key=lambda i: len(fuzzy_keys[i]))
        self._fuzzy_order = by_length
        self._fuzzy_keys = [fuzzy_keys[i] for i in by_length]
        self._fuzzy_lengths = [len(key) for key in self._fuzzy_keys]

    def starting(self, key: str, limit: int) -> list[int]:
        """Ranks of the first `limit` roles having a name that starts with `key`."""
        start = bisect_left(self._keys, key)
        end = bisect_left(self._keys, key + _LAST, start)
        return sorted(set(self._ranks[start:end]))[:limit]

    def containing(self, key: str, skip: set[int], limit: int) -> list[int]:
        """Ranks of the first `limit` roles, not in `skip`, having a name that contains `key`."""
        found: list[int] = []
        at = self._haystack.find(key) if key else -1
        while at != -1 and len(found) < limit:
            rank = bisect_right(self._line_starts, at) - 1
            if rank not in skip:
                found.append(rank)
            at = self._haystack.find(key, self._line_starts[rank + 1])
        return found

    def close(self, key: str, cutoff: float, limit: int) -> list[str]:
        """Up to `limit` fuzzy keys scoring at least `cutoff` (rapidfuzz `ratio`), best first.

        A score of `cutoff` needs the lengths within a ratio of each other (the edit distance
        is at least their difference), so only keys of those lengths are scored.
        """
        share = cutoff / 100
        shortest = math.floor(len(key) * share / (2 - share))
        longest = math.ceil(len(key) * (2 - share) / share)
        start = bisect_left(self._fuzzy_lengths, shortest)
        end = bisect_right(self._fuzzy_lengths, longest, start)
        matches = process.extract(
            key, self._fuzzy_keys[start:end], scorer=fuzz.ratio, limit=None, score_cutoff=cutoff
        )
        ranked = sorted(matches, key=lambda m: (-m[1], self._fuzzy_order[start + m[2]]))
        return [name for name, _score, _index in ranked[:limit]]
