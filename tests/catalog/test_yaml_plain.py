"""The quick way through clean YAML: the same data as the checked way, and anything unusual
left to the checked way, which refuses or reads it exactly as before."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.catalog.loader import BUNDLED_DIR
from bot.catalog.yaml_plain import Unusual, plain_data
from bot.catalog.yaml_text import MAX_DEPTH, MalformedYaml, _FastLoader, load_yaml, parse_yaml


def quick(text: str) -> Any:
    """The data `plain_data` builds from libyaml's tree of `text` (or `Unusual` raised)."""
    loader = _FastLoader(text)
    try:
        return plain_data(loader.get_single_node(), loader.construct_object, MAX_DEPTH)
    finally:
        loader.dispose()


def test_every_shipped_dossier_takes_the_quick_way_to_the_same_data() -> None:
    """Each bundled dossier is plain: quick data equals the checked data, types included."""
    assert yaml.__with_libyaml__
    for path in sorted(BUNDLED_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = quick(text)
        assert data == parse_yaml(text)[0], path.name
        assert repr(data) == repr(parse_yaml(text)[0]), path.name  # 1 stays 1, not 1.0 or True
        assert load_yaml(text) == data


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: No\nc: ~\nd: null\ne: ''\n",
        "a: 0x1F\nb: 0o17\nc: 017\nd: 1_000\ne: -0b101\nf: 1:30\ng: +12\n",
        "a: 1.5\nb: .inf\nc: -.Inf\nd: 1e3\ne: 6.8523015e+5\nf: 1_000.5\n",
        "a: '1'\nb: \"true\"\nc: !!str 12\nd: plain text\ne: |\n  block\n  text\n",
        "- [1, {a: b}]\n- {}\n- []\n-\n",
        "",
        "just text\n",
        "42\n",
    ],
)
def test_scalars_and_collections_read_as_pyyaml_reads_them(text: str) -> None:
    """Booleans, nulls, every integer and float spelling, quoted and block text, flow style."""
    expected = yaml.safe_load(text)
    assert quick(text) == expected
    assert repr(quick(text)) == repr(expected)


@pytest.mark.parametrize(
    "text",
    [
        "when: 2026-02-03\n",
        "when: !!timestamp 2026-02-03 10:00:00\n",
        "base: &b {x: 1}\nother: *b\n",
        "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
        "1: one\n",
        "? [a, b]\n: pair\n",
        "title: A\ntitle: B\n",
        "s: !!set {a: null}\n",
        "o: !!omap [{a: 1}]\n",
        "b: !!binary aGVsbG8=\n",
        "x: !custom thing\n",
        "- " * (MAX_DEPTH + 1) + "deep\n",
        "n: " + "9" * 500 + "\n",
        "loop: &a [*a]\n",
    ],
)
def test_anything_unusual_is_left_to_the_checked_way(text: str) -> None:
    """Dates, aliases, merges, non-text or repeated keys, other tags, depth and bad scalars."""
    with pytest.raises((Unusual, yaml.YAMLError)):
        quick(text)
    try:
        checked: Any = ("data", parse_yaml(text)[0])
    except MalformedYaml as exc:
        checked = ("refused", exc.line, exc.reason)
    try:
        loaded: Any = ("data", load_yaml(text))
    except MalformedYaml as exc:
        loaded = ("refused", exc.line, exc.reason)
    assert repr(loaded) == repr(checked)


def test_a_refusal_names_the_same_line_and_reason_as_before() -> None:
    """A key written twice is refused with the line of both, as the checked way says it."""
    with pytest.raises(MalformedYaml) as refused:
        load_yaml("title: A\naliases: []\ntitle: B\n")
    assert (refused.value.line, refused.value.reason) == (
        3,
        "duplicate key 'title', first on line 1",
    )
