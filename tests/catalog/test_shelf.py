"""The bundled catalog as a whole: size, uniqueness, connected graph, distinct writing, fit."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import chain

import pytest

from bot.cards.model import Card, Quote
from bot.cards.roast import section_card, summary_card
from bot.catalog.loader import BUNDLED_DIR, normalize_key
from bot.catalog.lookup import Catalog
from bot.catalog.model import Dossier
from bot.catalog.sections import SECTIONS, SUMMARY
from bot.catalog.table import catalog_markdown

SEED_IDS = {
    "senior-ai-human-in-the-loop-integration-specialist",
    "junior-ai-lifecycle-management-best-practices-specialist",
}
# The seed records share their [01] section caption word for word; it is kept as written.
SEED_BOILERPLATE = {
    normalize_key(
        "The organizational hierarchy defining the pressure flow and extraction cycle for this role."
    )
}
REAL_SITES = re.compile(r"\.com|reddit|\br/|blind|glassdoor|linkedin|twitter|hacker news", re.I)
# Platform limits, as numbers (the adapters enforce them too, by clipping).
DISCORD = {
    "title": 256,
    "description": 4096,
    "fields": 25,
    "name": 256,
    "value": 1024,
    "footer": 2048,
    "total": 6000,
    "label": 80,
}
SLACK = {"header": 150, "text": 3000, "label": 75}


def _sentences(d: Dossier) -> list[str]:
    texts = [
        d.tagline,
        d.org_chart,
        d.survival,
        d.salary.note,
        d.salary.quote,
        d.flight_risk.diagnosis,
    ]
    texts += d.habitat
    texts += chain.from_iterable((m.name, m.description) for m in (*d.metrics, *d.weaponry))
    texts += chain.from_iterable((p.illusion, p.translation) for p in d.jd_autopsy)
    texts += chain.from_iterable((e.activity, e.description) for e in d.day_in_the_life)
    texts += [q.quote for q in d.burn_ward]
    parts = chain.from_iterable(re.split(r"(?<=[.!?])\s+", text) for text in texts)
    return [key for key in map(normalize_key, parts) if len(key) > 12]


def test_the_shelf_holds_at_least_forty_complete_dossiers(catalog: Catalog) -> None:
    """Forty or more, each with three to six quotes and exactly three related specimens."""
    assert len(catalog) >= 40
    for role in catalog.roles:
        d = role.dossier
        assert 3 <= len(d.burn_ward) <= 6, role.id
        assert len(d.related) == 3, role.id
        assert d.salary.market_average > 1000 and 0 <= d.flight_risk.percent <= 100, role.id


def test_titles_and_aliases_are_unique_across_the_catalog(catalog: Catalog) -> None:
    """No two roles answer to the same name, however it is spelled."""
    owners: dict[str, set[str]] = defaultdict(set)
    for role in catalog.roles:
        for name in (role.id, role.title, *role.dossier.aliases):
            owners[normalize_key(name)].add(role.id)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_following_related_buttons_reaches_every_specimen(catalog: Catalog) -> None:
    """From any specimen, related buttons lead to every other one."""
    edges = {r.id: [x.id for x in r.dossier.related] for r in catalog.roles}
    for start in edges:
        seen, todo = {start}, [start]
        while todo:
            for nxt in edges[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        assert seen == set(edges), f"from {start} unreachable: {set(edges) - seen}"


def test_no_sentence_appears_in_two_dossiers(catalog: Catalog) -> None:
    """Each sentence, folded for case and punctuation, belongs to one dossier only."""
    where: dict[str, set[str]] = defaultdict(set)
    for role in catalog.roles:
        for sentence in _sentences(role.dossier):
            where[sentence].add(role.id)
    shared = {s: ids for s, ids in where.items() if len(ids) > 1 and s not in SEED_BOILERPLATE}
    assert shared == {}


def test_new_quotes_are_anonymous_and_seed_quotes_keep_their_sources(catalog: Catalog) -> None:
    """Only the seed records cite real sites; every other source is anonymous and generic."""
    for role in catalog.roles:
        sources = [q.source or "" for q in role.dossier.burn_ward]
        if role.id in SEED_IDS:
            assert any(REAL_SITES.search(s) for s in sources)
        else:
            assert not [s for s in sources if REAL_SITES.search(s)], role.id


def test_catalog_md_is_in_sync() -> None:
    """dossiers/CATALOG.md is what `make catalog` would write."""
    catalog = Catalog.load(BUNDLED_DIR)
    assert (BUNDLED_DIR / "CATALOG.md").read_text(encoding="utf-8") == catalog_markdown(catalog)


def _longest_quote(catalog: Catalog) -> Quote:
    longest = max(
        (q for r in catalog.roles for q in r.dossier.burn_ward),
        key=lambda q: len(q.quote) + len(q.source or ""),
    )
    admin_max = Quote("w" * 400, "s" * 80)
    return (
        admin_max
        if len(admin_max.text) > len(longest.quote)
        else Quote(longest.quote, longest.source)
    )


def _check_fits(card: Card) -> None:
    total = len(card.title) + len(card.description) + len(card.footer) + len(card.header)
    total += sum(len(f.name) + len(f.value) for f in card.fields)
    if card.quote:
        total += len(card.quote.text) + len(card.quote.source or "")
    assert len(card.title) <= min(DISCORD["title"], SLACK["header"])
    assert len(card.description) <= min(DISCORD["description"], SLACK["text"])
    assert len(card.fields) <= DISCORD["fields"]
    assert all(
        len(f.name) <= DISCORD["name"] and len(f.value) <= DISCORD["value"] for f in card.fields
    )
    assert len(card.footer) <= DISCORD["footer"] and total <= DISCORD["total"]
    labels = [b.label for b in card.buttons] + [
        o.label for o in (card.menu.options if card.menu else ())
    ]
    assert all(len(label) <= SLACK["label"] for label in labels)


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.key)
def test_every_shipped_card_fits_every_platform_limit(catalog: Catalog, section: object) -> None:
    """Summary (with the longest possible quote) and every section of every dossier fit unclipped."""
    quote = _longest_quote(catalog)
    for role in catalog.roles:
        card = (
            summary_card(role, catalog, quote, header="Specimen of the day, Wednesday 30 September")
            if section is SUMMARY
            else section_card(role, section, catalog)  # type: ignore[arg-type]
        )
        _check_fits(card)
