"""The house style's catalog-wide caps (../shared/CATALOG-STYLE.md), as checks that name files.

Each check takes the raw dossiers (id -> parsed YAML mapping) and returns problems as lines
`<id>: <what>`; an empty list means the catalog keeps that cap. The shelf tests assert on
them, and `python -m tests.catalog.sameness [DIR]` prints them all while a dossier is written.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

Raw = dict[str, dict[str, Any]]

SEED_IDS = frozenset(
    {
        "senior-ai-human-in-the-loop-integration-specialist",
        "junior-ai-lifecycle-management-best-practices-specialist",
    }
)
# The seed conversions and the three specimens whose taglines are the seeds' own one-liners
# stay word for word, so shape rules that would make them change do not apply to them.
SEED_WORDING = SEED_IDS | {"lead-backend-data-procurement-analyst", "enterprise-architect", "sdet"}

OPENER_SHARE = 0.15
HIGH_RISK_SHARE = 0.45
STOCK_NUMBERS = ("forty", "four hundred", "eleven", "eighteen months")
STOCK_SHARE = 0.10
_IS_STEMS = [
    "organ",
    "prior",
    "optim",
    "recogn",
    "real",
    "apolog",
    "summar",
    "standard",
    "custom",
    "minim",
    "maxim",
    "util",
    "anonym",
    "personal",
    "monet",
    "categor",
    "central",
    "digit",
    "capital",
    "incentiv",
    "operational",
    "product",
    "democrat",
    "mobil",
    "modern",
    "normal",
    "visual",
    "special",
    "critic",
    "final",
    "synchron",
    "author",
    "local",
    "industrial",
    "social",
    "energ",
    "weapon",
    "strateg",
    "emphas",
    "galvan",
    "jeopard",
    "scrutin",
    "sanit",
    "token",
    "random",
    "memor",
    "stabil",
    "legitim",
    "theor",
    "harmon",
    "rational",
]
UK_SPELLINGS = re.compile(
    r"\b\w*(?:(?:" + "|".join(_IS_STEMS) + r")is(?:e|es|ed|ing|ation|ations|er|ers)\b|"
    r"colour|behaviour|favour|honour|labour|rumour|humour|neighbour|catalogue|programmes?\b|"
    r"centre|metre\b|licence|defence|offence|travelled|travelling|cancelled|cancelling|"
    r"modelling|modelled|labelled|labelling|signalled|fulfil\b|learnt|whilst|amongst|"
    r"cheque|analyse|paralyse|judgement|grey\b)\w*",
    re.I,
)


def load_raw(folder: Path) -> Raw:
    """Every `*.yaml` dossier in `folder`, parsed, keyed by id (the file's stem)."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.yaml"))
    }


def words(text: str) -> list[str]:
    """Lowercase words of `text`, punctuation dropped (apostrophes kept inside words)."""
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", text.lower().replace("’", "'"))


def field_texts(d: dict[str, Any]) -> dict[str, list[str]]:
    """Each field of one dossier as a list of its prose entries."""
    salary, risk = d.get("salary", {}), d.get("flight_risk", {})
    return {
        "tagline": [d.get("tagline", "")],
        "org_chart": [d.get("org_chart", "")],
        "habitat": list(d.get("habitat", [])),
        "salary.note": [salary.get("note", "")],
        "salary.quote": [salary.get("quote", "")],
        "flight_risk.diagnosis": [risk.get("diagnosis", "")],
        "metrics.name": [m["name"] for m in d.get("metrics", [])],
        "metrics.description": [m["description"] for m in d.get("metrics", [])],
        "weaponry.name": [w["name"] for w in d.get("weaponry", [])],
        "weaponry.description": [w["description"] for w in d.get("weaponry", [])],
        "survival": [d.get("survival", "")],
        "jd_autopsy.illusion": [p["illusion"] for p in d.get("jd_autopsy", [])],
        "jd_autopsy.translation": [p["translation"] for p in d.get("jd_autopsy", [])],
        "day_in_the_life.activity": [e["activity"] for e in d.get("day_in_the_life", [])],
        "day_in_the_life.description": [e["description"] for e in d.get("day_in_the_life", [])],
        "burn_ward.quote": [q["quote"] for q in d.get("burn_ward", [])],
        "burn_ward.source": [q.get("source") or "" for q in d.get("burn_ward", [])],
    }


def all_text(d: dict[str, Any]) -> str:
    """One dossier's prose, every field joined."""
    return "\n".join(t for texts in field_texts(d).values() for t in texts)


def opener(text: str) -> str:
    """The first two words of an entry: what a reader notices repeating."""
    return " ".join(words(text)[:2])


def check_openers(raw: Raw) -> list[str]:
    """No two-word opener starts more than 15% of any field's entries."""
    problems = []
    fields: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for role_id, d in raw.items():
        for field, texts in field_texts(d).items():
            fields[field] += [(role_id, opener(t)) for t in texts if t]
    for field, entries in fields.items():
        if field == "burn_ward.source":
            continue
        counts = Counter(o for _, o in entries)
        for phrase, count in counts.items():
            if count > max(2, OPENER_SHARE * len(entries)):
                ids = sorted({i for i, o in entries if o == phrase} - SEED_WORDING)
                problems.append(
                    f"{field}: {count} of {len(entries)} entries open with '{phrase}' "
                    f"(cap {OPENER_SHARE:.0%}): {', '.join(ids)}"
                )
    return problems


def shingles(text: str, size: int = 6) -> set[str]:
    """Every run of `size` consecutive words within one sentence of `text`."""
    runs: set[str] = set()
    for sentence in re.split(r"[.!?;:\n]+", text):
        ws = words(sentence)
        runs |= {" ".join(ws[i : i + size]) for i in range(len(ws) - size + 1)}
    return runs


def check_shared_phrases(raw: Raw) -> list[str]:
    """No 6-word phrase stands in two files (the two seeds may share with each other)."""
    where: dict[str, set[str]] = defaultdict(set)
    for role_id, d in raw.items():
        for run in shingles(all_text(d)):
            where[run].add(role_id)
    problems = []
    for run, ids in sorted(where.items()):
        if len(ids) > 1 and not ids <= SEED_IDS:
            problems.append(f"'{run}' stands in {', '.join(sorted(ids))}")
    return problems


def check_currency_and_spelling(raw: Raw) -> list[str]:
    """Every salary in USD, no British spelling."""
    problems = []
    for role_id, d in raw.items():
        if d.get("salary", {}).get("currency", "USD") != "USD":
            problems.append(f"{role_id}: salary currency is not USD")
        if role_id in SEED_WORDING:
            continue
        found = {m.group(0) for m in UK_SPELLINGS.finditer(all_text(d))}
        if found:
            problems.append(f"{role_id}: British spelling {', '.join(sorted(found))}")
    return problems


def check_stock_numbers(raw: Raw) -> list[str]:
    """Each stock number in at most one file in ten."""
    problems = []
    for stock in STOCK_NUMBERS:
        pattern = re.compile(rf"\b{stock}\b", re.I)
        ids = sorted(i for i, d in raw.items() if pattern.search(all_text(d)))
        if len(ids) > max(1, STOCK_SHARE * len(raw)):
            problems.append(f"'{stock}' in {len(ids)} files (cap 1 in 10): {', '.join(ids)}")
    return problems


def check_word_rates(raw: Raw) -> list[str]:
    """'every' at most 3 and 'nobody' at most 1.5 per 1,000 words, across the catalog."""
    texts = [all_text(d) for i, d in raw.items()]
    total = sum(len(words(t)) for t in texts) or 1
    problems = []
    for word, cap in (("every", 3.0), ("nobody", 1.5)):
        count = sum(words(t).count(word) for t in texts)
        rate = 1000 * count / total
        if rate > cap:
            heavy = sorted(raw, key=lambda i: -words(all_text(raw[i])).count(word))[:8]
            problems.append(
                f"'{word}' {rate:.1f} per 1,000 words (cap {cap}); most in {', '.join(heavy)}"
            )
    return problems


def _share_cap(
    raw: Raw, name: str, test: Callable[[dict[str, Any]], bool], cap: float
) -> list[str]:
    ids = sorted(i for i, d in raw.items() if test(d))
    if len(ids) > cap * len(raw):
        return [f"{name}: {len(ids)} of {len(raw)} files (cap {cap:.0%}): {', '.join(ids)}"]
    return []


def check_shapes(raw: Raw) -> list[str]:
    """The guide's per-shape caps: taglines, org charts, weapon names, sources, flight risk."""
    then = re.compile(r",\s+then\b", re.I)
    problems = _share_cap(
        raw, "tagline 'X, then Y'", lambda d: bool(then.search(d["tagline"])), 1 / 3
    )
    problems += _share_cap(
        raw, "org_chart opens 'Reports to'", lambda d: opener(d["org_chart"]) == "reports to", 0.2
    )
    problems += _share_cap(
        raw,
        "org_chart 'pressure flows down'",
        lambda d: "pressure flows down" in d["org_chart"].lower(),
        0.1,
    )
    problems += _share_cap(
        raw,
        "burn_ward source 'exit interview'",
        lambda d: any("exit interview" in (q.get("source") or "").lower() for q in d["burn_ward"]),
        1 / 3,
    )
    problems += _share_cap(
        raw, "HIGH flight risk", lambda d: d["flight_risk"]["percent"] >= 70, HIGH_RISK_SHARE
    )
    names = [w["name"] for d in raw.values() for w in d["weaponry"]]
    the = sum(1 for n in names if n.lower().startswith("the "))
    if the > len(names) / 2:
        problems.append(f"weaponry names: {the} of {len(names)} start with 'The' (cap half)")
    share_of = [m["description"] for d in raw.values() for m in d["metrics"]]
    share = sum(1 for t in share_of if t.lower().startswith("the share of"))
    if share > len(share_of) / 10:
        problems.append(f"metrics descriptions: {share} open 'The share of' (cap 1 in 10)")
    return problems


def check_each_file(raw: Raw) -> list[str]:
    """Per file: 3 to 6 quotes, taglines of 20 to 28 words, one 'culture of', related in order."""
    problems = []
    for role_id, d in raw.items():
        if not 3 <= len(d["burn_ward"]) <= 6:
            problems.append(f"{role_id}: {len(d['burn_ward'])} burn-ward quotes (3 to 6)")
        if role_id not in SEED_WORDING and not 20 <= len(words(d["tagline"])) <= 28:
            problems.append(f"{role_id}: tagline of {len(words(d['tagline']))} words (20 to 28)")
        jd = " ".join(p["illusion"] + " " + p["translation"] for p in d["jd_autopsy"])
        if jd.lower().count("culture of") > 1:
            problems.append(f"{role_id}: 'culture of' more than once in the JD autopsy")
        matches = [r["match"] for r in d["related"]]
        if matches != sorted(matches, reverse=True):
            problems.append(f"{role_id}: related not in match order {matches}")
        if len(matches) != 3 or matches[2] < 60:
            problems.append(f"{role_id}: needs 3 related with the third at 60 or more {matches}")
    return problems


def check_graph(raw: Raw) -> list[str]:
    """Every related id exists, and related buttons lead from any specimen to every other."""
    edges = {i: [r["id"] for r in d["related"]] for i, d in raw.items()}
    problems = [
        f"{i}: related '{t}' has no file" for i, ts in edges.items() for t in ts if t not in edges
    ]
    reverse: dict[str, list[str]] = defaultdict(list)
    for i, ts in edges.items():
        for t in ts:
            reverse[t].append(i)

    def reach(start: str, graph: dict[str, list[str]]) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for nxt in graph.get(todo.pop(), []):
                if nxt in edges and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    if edges:
        hub = "engineering-manager" if "engineering-manager" in edges else next(iter(edges))
        if missed := set(edges) - reach(hub, edges):
            problems.append(f"not reachable from {hub}: {', '.join(sorted(missed))}")
        if stuck := set(edges) - reach(hub, reverse):
            problems.append(f"cannot reach {hub}: {', '.join(sorted(stuck))}")
    return problems


CHECKS: tuple[Callable[[Raw], list[str]], ...] = (
    check_openers,
    check_shared_phrases,
    check_currency_and_spelling,
    check_stock_numbers,
    check_word_rates,
    check_shapes,
    check_each_file,
    check_graph,
)


def all_problems(raw: Raw) -> Iterator[tuple[str, str]]:
    """(check name, problem) for every cap the catalog breaks."""
    for check in CHECKS:
        for problem in check(raw):
            yield check.__name__, problem


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "dossiers")
    only = set(sys.argv[2:])
    found = [(c, p) for c, p in all_problems(load_raw(folder)) if not only or c in only]
    for check, problem in found:
        print(f"{check}: {problem}")
    print(f"{len(found)} problems in {len(load_raw(folder))} dossiers")
    sys.exit(1 if found else 0)
