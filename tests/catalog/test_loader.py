"""The dossier loader: every shipped file valid, every problem reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.catalog.loader import BUNDLED_DIR, CatalogError, load_roles
from bot.catalog.schema import render_schema
from bot.catalog.yaml_text import _Loader, parse_yaml

SEED = BUNDLED_DIR / "senior-ai-human-in-the-loop-integration-specialist.yaml"


def _copy_catalog(tmp_path: Path) -> Path:
    for path in BUNDLED_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def _problems(directory: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_roles(directory)
    return [str(p) for p in caught.value.problems]


def test_every_shipped_dossier_loads() -> None:
    """The bundled catalog is valid as shipped."""
    roles = load_roles(BUNDLED_DIR)
    assert len(roles) >= 5
    assert {"enterprise-architect", "sdet", "lead-backend-data-procurement-analyst"} <= {
        r.id for r in roles
    }


def test_schema_json_is_in_sync_with_the_model() -> None:
    """dossiers/schema.json is exactly what the model generates (run `make schema`)."""
    assert (BUNDLED_DIR / "schema.json").read_text(encoding="utf-8") == render_schema()


def test_seed_record_converted_faithfully() -> None:
    """The seed record's aliases, numbers, quotes and sources survive conversion."""
    role = next(r for r in load_roles(BUNDLED_DIR) if r.id == SEED.stem)
    d = role.dossier
    assert d.aliases == [
        "AI Oversight Specialist",
        "Algorithmic Guardian",
        "ML Feedback Engineer",
        "Compliance AI Reviewer",
    ]
    assert (d.salary.market_average, d.flight_risk.percent, d.flight_risk.label) == (
        170000,
        85,
        "HIGH RISK",
    )
    assert [q.source for q in d.burn_ward] == [None, "teamblind.com", "r/cscareerquestions"]
    assert [(e.start, e.end) for e in d.day_in_the_life] == [
        ("10:00", "11:00"),
        ("13:00", "14:00"),
        ("15:00", "16:00"),
    ]
    assert [(r.id, r.match) for r in d.related] == [
        ("lead-backend-data-procurement-analyst", 98),
        ("enterprise-architect", 91),
        ("sdet", 84),
    ]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t.replace('title: "Senior', 'title: [unclosed "Senior'), ": malformed YAML"),
        (lambda t: t.replace("  percent: 85", '  percent: "85"'), ":22: flight_risk.percent:"),
        (lambda t: t.replace("  percent: 85", "  percent: 185"), ":22: flight_risk.percent:"),
        (lambda t: t.replace('  - "Algorithmic Guardian"', "  - no"), ":7: aliases.1:"),
        (
            lambda t: t.replace('  - id: "sdet"', '  - id: "nobody"'),
            ":70: related: no dossier with id 'nobody'",
        ),
        (lambda t: t.replace('survival: "', 'survivl: "'), "survival: Field required"),
        (lambda t: t.replace('    end: "11:00"', '    end: "09:00"'), "day_in_the_life.0"),
        (lambda t: t + "surprise: 1\n", "surprise: Extra inputs are not permitted"),
    ],
)
def test_a_broken_dossier_is_reported_with_path_and_line(
    tmp_path: Path, edit: object, expected: str
) -> None:
    """Each kind of mistake is named as `path:line: message`."""
    directory = _copy_catalog(tmp_path)
    target = directory / SEED.name
    target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    problems = _problems(directory)
    assert any(p.startswith(str(target)) and expected in p for p in problems), problems


def test_every_problem_of_every_file_is_reported_at_once(tmp_path: Path) -> None:
    """Three broken files give three problems in one report, sorted by path."""
    directory = _copy_catalog(tmp_path)
    (directory / "broken-one.yaml").write_text("title: [\n", encoding="utf-8")
    (directory / "Bad Name.yaml").write_text("title: x\n", encoding="utf-8")
    sdet = directory / "sdet.yaml"
    sdet.write_text(sdet.read_text(encoding="utf-8").replace("salary:", "salry:"), encoding="utf-8")
    problems = _problems(directory)
    assert any("Bad Name.yaml:1: file name" in p for p in problems)
    assert any("broken-one.yaml" in p and "malformed YAML" in p for p in problems)
    assert any("sdet.yaml" in p and "salary: Field required" in p for p in problems)


def test_an_alias_used_twice_is_refused(tmp_path: Path) -> None:
    """Two dossiers cannot both answer to one alias, whatever its spacing or case."""
    directory = _copy_catalog(tmp_path)
    target = directory / "sdet.yaml"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    data["aliases"].append("algorithmic-GUARDIAN")
    target.write_text(yaml.safe_dump(data), encoding="utf-8")
    problems = _problems(directory)
    assert any(
        "'Algorithmic Guardian' is already used by sdet ('algorithmic-GUARDIAN')" in p
        for p in problems
    ), problems


def test_an_empty_or_missing_folder_is_a_problem(tmp_path: Path) -> None:
    """No dossiers at all is reported, not silently accepted."""
    assert "no dossiers" in _problems(tmp_path)[0]
    assert "no such dossier folder" in _problems(tmp_path / "nope")[0]


@pytest.mark.parametrize(
    ("percent", "line", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, 22, "nested deeper than 64 levels"),
        ("\n    " + "- " * 900 + "1", 23, "nested deeper than 64 levels"),
        ("9" * 5000, 22, "an integer of 5000 characters is too long (at most 100)"),
        ("2026-02-30", 22, "'2026-02-30' is not a valid date or time"),
        ("!!timestamp x", 22, "'x' is not a valid date or time"),
    ],
)
def test_a_hostile_dossier_is_a_problem_not_a_crash(
    tmp_path: Path, percent: str, line: int, expected: str
) -> None:
    """Deep nesting (flow brackets, or compact `- - -` items that libyaml alone would take
    900 deep), a 5,000-digit integer and impossible dates are `path:line: message`."""
    target = tmp_path / SEED.name
    text = SEED.read_text(encoding="utf-8").replace("percent: 85", f"percent: {percent}")
    target.write_text(text, encoding="utf-8")
    assert _problems(tmp_path) == [f"{target}:{line}: malformed YAML: {expected}"]


def test_a_key_written_twice_names_both_lines(tmp_path: Path) -> None:
    """A second `title:` is refused, naming where the first one is, not silently kept."""
    target = tmp_path / SEED.name
    text = SEED.read_text(encoding="utf-8")
    target.write_text(text + 'title: "Again"\n', encoding="utf-8")
    line = len(text.splitlines()) + 1
    assert _problems(tmp_path) == [
        f"{target}:{line}: malformed YAML: duplicate key 'title', first on line 3"
    ]


def test_libyaml_and_the_pure_python_loader_read_every_dossier_alike() -> None:
    """The fast path (libyaml) gives the same data and line marks as the checked Python path."""
    assert yaml.__with_libyaml__
    for path in sorted(BUNDLED_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data, node = parse_yaml(text)
        slow = _Loader(text)
        slow_node = slow.get_single_node()
        assert data == slow.construct_document(slow_node), path.name
        assert node is not None and slow_node is not None
        assert node.value[1][0].start_mark.line == slow_node.value[1][0].start_mark.line


def test_a_self_referencing_alias_is_read_without_looping() -> None:
    """`&a [*a]` is a legal recursive node: the duplicate-key walk visits it once."""
    data, _ = parse_yaml("loop: &a [*a]\n")
    assert data["loop"][0] is data["loop"]
