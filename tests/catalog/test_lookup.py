"""Lookup by id, title or alias; suggestions for typos; autocomplete choices."""

from __future__ import annotations

import pytest

from bot.catalog.lookup import MAX_CHOICE_LENGTH, MAX_CHOICES, Catalog


@pytest.mark.parametrize(
    ("query", "role_id"),
    [
        ("enterprise-architect", "enterprise-architect"),
        ("Enterprise Architect", "enterprise-architect"),
        ("  ENTERPRISE   architect ", "enterprise-architect"),
        ("enterprise_architect!", "enterprise-architect"),
        ("Algorithmic Guardian", "senior-ai-human-in-the-loop-integration-specialist"),
        ("algorithmic-guardian", "senior-ai-human-in-the-loop-integration-specialist"),
        ("sdet", "sdet"),
        (
            "Junior AI Lifecycle Management and Best Practices Specialist",
            None,
        ),
        (
            "junior ai lifecycle management & best-practices specialist",
            "junior-ai-lifecycle-management-best-practices-specialist",
        ),
    ],
)
def test_find_ignores_case_spacing_hyphens_and_punctuation(
    catalog: Catalog, query: str, role_id: str | None
) -> None:
    """Ids, titles and aliases all find their role however they are typed."""
    found = catalog.find(query)
    assert (found.id if found else None) == role_id


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("Enterprse Architct", "enterprise-architect"),
        ("sdte", "sdet"),
        ("Algoritmic Guardain", "senior-ai-human-in-the-loop-integration-specialist"),
    ],
)
def test_a_typo_gets_up_to_three_suggestions_best_first(
    catalog: Catalog, typo: str, expected: str
) -> None:
    """The intended role is the first of at most three suggestions."""
    suggestions = catalog.suggest(typo)
    assert 1 <= len(suggestions) <= 3
    assert suggestions[0].id == expected


def test_nonsense_gets_no_suggestions(catalog: Catalog) -> None:
    """Nothing close means nothing suggested, rather than three random roles."""
    assert catalog.suggest("qwxyzzv") == []
    assert catalog.suggest("!!!") == []


@pytest.mark.parametrize("query", ["", "a", "chief", "architct", "x" * 300])
def test_autocomplete_stays_within_discord_limits(catalog: Catalog, query: str) -> None:
    """At most 25 choices, each name at most 100 characters, values are role ids."""
    choices = catalog.autocomplete(query)
    assert len(choices) <= MAX_CHOICES
    assert all(len(c.name) <= MAX_CHOICE_LENGTH and catalog.get(c.value) for c in choices)


def test_autocomplete_puts_prefix_matches_first(catalog: Catalog) -> None:
    """A typed prefix ranks the roles it starts before fuzzy matches."""
    assert catalog.autocomplete("enterprise arch")[0].value == "enterprise-architect"
    assert catalog.autocomplete("Enterprse Archit")[0].value == "enterprise-architect"
    assert len(catalog.autocomplete("")) == min(MAX_CHOICES, len(catalog))
