"""The name index answers exactly what a scan of every name would, whatever it skips."""

from __future__ import annotations

import random
import string

import pytest
from rapidfuzz import fuzz, process

from bot.catalog.lookup import Catalog, _names
from bot.catalog.name_index import NameIndex

CUTOFF = 72.0


def _typos(names: list[str], count: int) -> list[str]:
    """Names with a letter dropped, doubled or swapped, prefixes, and random strings."""
    rng = random.Random(5)
    queries = []
    for _ in range(count):
        name = rng.choice(names)
        cut = rng.randrange(len(name))
        queries += [
            name[:cut] + name[cut + 1 :],
            name[:cut] + name[cut] + name[cut:],
            name[: cut + 1],
            "".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 40))),
        ]
    return [query for query in queries if query]


@pytest.fixture(scope="module")
def index_and_names(catalog: Catalog) -> tuple[NameIndex, list[list[str]], list[str]]:
    """The bundled catalog's names by title rank, the fuzzy keys, and the index over both."""
    by_rank = [_names(role) for role in catalog.roles]
    keys = list(dict.fromkeys(key for names in by_rank for key in names))
    return NameIndex(by_rank, keys), by_rank, keys


def test_close_finds_what_scoring_every_name_finds_in_the_same_order(
    index_and_names: tuple[NameIndex, list[list[str]], list[str]],
) -> None:
    """Skipping names whose length cannot reach the cutoff loses none; ties keep name order."""
    index, _by_rank, keys = index_and_names
    for query in _typos(keys, 150):
        every = process.extract(query, keys, scorer=fuzz.ratio, limit=None, score_cutoff=CUTOFF)
        expected = [name for name, _s, _i in sorted(every, key=lambda m: (-m[1], m[2]))][:40]
        assert index.close(query, CUTOFF, 40) == expected, query


def test_prefix_and_substring_search_match_a_scan_of_every_role(
    index_and_names: tuple[NameIndex, list[list[str]], list[str]],
) -> None:
    """`starting` and `containing` give the first roles, in rank order, a scan would."""
    index, by_rank, keys = index_and_names
    for query in _typos(keys, 100):
        starting = [r for r, names in enumerate(by_rank) if any(n.startswith(query) for n in names)]
        assert index.starting(query, 25) == starting[:25], query
        skip = set(starting[:3])
        containing = [
            r for r, names in enumerate(by_rank) if r not in skip and any(query in n for n in names)
        ]
        assert index.containing(query, skip, 25) == containing[:25], query
