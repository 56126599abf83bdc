"""The house style's catalog-wide caps hold for the shipped catalog, and catch a samey newcomer."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from bot.catalog.loader import BUNDLED_DIR
from bot.catalog.lookup import Catalog
from tests.catalog.sameness import (
    CHECKS,
    Raw,
    check_openers,
    check_shapes,
    check_shared_phrases,
    load_raw,
)


@pytest.fixture(scope="module")
def raw() -> Raw:
    """Every shipped dossier as parsed YAML."""
    return load_raw(BUNDLED_DIR)


def test_the_catalog_holds_at_least_130_dossiers(raw: Raw) -> None:
    """Enough for a subscribed channel to go four months without a repeat."""
    assert len(raw) >= 130


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_the_shipped_catalog_keeps_every_cap(raw: Raw, check: Callable[[Raw], list[str]]) -> None:
    """Openers, shared phrases, USD and US spelling, stock numbers, shapes, the related graph."""
    assert check(raw) == []


def test_a_copied_paragraph_is_caught_naming_both_files(raw: Raw) -> None:
    """A new file that reuses another's survival line is named, with the phrase."""
    catalog = dict(raw)
    catalog["scrum-master"] = copy.deepcopy(raw["scrum-master"])
    catalog["scrum-master"]["survival"] = raw["engineering-manager"]["survival"]
    problems = check_shared_phrases(catalog)
    assert problems and all(
        p.endswith("stands in engineering-manager, scrum-master") for p in problems
    )


def test_a_repeated_opener_is_caught_naming_the_files(raw: Raw) -> None:
    """Taglines opening alike in more than 15% of the files are named."""
    sample = dict(list(raw.items())[:10])
    for role_id in list(sample)[:3]:
        sample[role_id] = copy.deepcopy(sample[role_id])
        sample[role_id]["tagline"] = "Guard the " + sample[role_id]["tagline"]
    problems = [p for p in check_openers(sample) if p.startswith("tagline:")]
    assert len(problems) == 1 and "open with 'guard the'" in problems[0]
    assert all(role_id in problems[0] for role_id in list(sample)[:3])


def test_too_many_high_flight_risks_are_caught(raw: Raw) -> None:
    """HIGH flight risk in over 45% of files is named."""
    risky = {k: copy.deepcopy(v) for k, v in raw.items()}
    for d in risky.values():
        d["flight_risk"]["percent"] = 90
    assert any(p.startswith("HIGH flight risk") for p in check_shapes(risky))


@pytest.mark.parametrize(
    ("name", "role_id"),
    [
        ("EM", "engineering-manager"),
        ("DevRel", "developer-advocate"),
        ("Product Owner", "product-owner"),
        ("PO", "product-owner"),
        ("Product Manager", "product-manager"),
    ],
)
def test_short_forms_find_their_own_dossier(catalog: Catalog, name: str, role_id: str) -> None:
    """Common short forms resolve to the role they name, not a neighbor."""
    role = catalog.find(name)
    assert role is not None and role.id == role_id
