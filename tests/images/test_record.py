"""The file-record image: every dossier fits its boxes, worst cases too, and one golden image."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from bot.catalog.lookup import Catalog
from bot.images.fonts import FACES, face_for, runs
from bot.images.layout import Box, Style, fit
from bot.images.record import HEIGHT, WIDTH, record_layout, render_record
from tests.images.records import problems, solo_catalog, specimen, with_changes

MAX_BYTES = 300_000
GOLDEN = Path(__file__).parent / "golden" / "file-record.png"
# at most this share of pixels may differ by more than a faint shade (font hinting, zlib)
GOLDEN_TOLERANCE = 0.0005  # one letter of the title changed is 0.0016

LATIN = "Enterprise Architect synergy roadmap governance"
ARABIC = "مهندس معماري المؤسسة يحضر الاجتماعات"
CJK = "企業アーキテクト会議資料作成担当者 기업 아키텍트 企业架构师"
EMOJI = "🔥😂👩‍💻👍🏽🇩🇪✅🚀"
ALPHABET = st.sampled_from(list(LATIN + ARABIC + CJK + "🔥😂👍🚀✅" + "     éüß—“”"))


def test_every_bundled_dossier_fits_its_boxes(catalog: Catalog) -> None:
    """All 131 dossiers lay out without a line wider or taller than its box."""
    found = [f"{role.id}: {p}" for role in catalog for p in problems(record_layout(role, catalog))]
    assert found == []


@pytest.mark.parametrize("role_id", ["enterprise-architect", "sdet"])
def test_a_record_is_a_small_1200x630_png(catalog: Catalog, role_id: str) -> None:
    """The picture is the size link previews use, and far below 300 KB."""
    role = catalog.get(role_id)
    assert role is not None
    png = render_record(role, catalog, "https://roast.example/roles/" + role_id)
    with Image.open(io.BytesIO(png)) as image:
        assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT))
    assert len(png) < MAX_BYTES


def test_every_bundled_dossier_renders_under_300_kb(catalog: Catalog) -> None:
    """No dossier in the catalog makes a picture of 300 KB or more."""
    sizes = {role.id: len(render_record(role, catalog)) for role in catalog}
    assert max(sizes.values()) < MAX_BYTES


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("long latin", "Supercalifragilisticexpialidocious " * 12),
        ("one endless word", "x" * 400),
        ("arabic", ARABIC * 6),
        ("cjk", CJK * 6),
        ("emoji", EMOJI * 12),
        ("mixed", f"{LATIN} {ARABIC} {CJK} {EMOJI} " * 3),
    ],
)
def test_worst_cases_stay_in_their_boxes(name: str, text: str) -> None:
    """400-character quotes, 100-character titles and 120-character aliases in every script fit."""
    base = specimen()
    role = with_changes(
        base,
        title=text[:100].strip() or "x",
        aliases=[text[:120].strip() or "x"] * 12,
        burn_ward=[{"quote": text[:400].strip() or "x", "source": text[:80].strip() or None}],
        jd_autopsy=[
            {"illusion": text[:600].strip() or "x", "translation": text[:600].strip() or "x"}
        ],
    )
    layout = record_layout(role, solo_catalog(role), "https://roast.example/roles/" + "y" * 60)
    d = role.dossier
    texts = {
        "title": d.title,
        "quote": f"“{d.burn_ward[0].quote}”",
        "illusion": f"LinkedIn illusion: “{d.jd_autopsy[0].illusion}”",
        "translation": f"Translation: {d.jd_autopsy[0].translation}",
    }
    assert problems(layout, texts) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.text(ALPHABET, min_size=1, max_size=100).filter(str.strip),
    quote=st.text(ALPHABET, min_size=1, max_size=400).filter(str.strip),
    alias=st.text(ALPHABET, min_size=1, max_size=120).filter(str.strip),
)
def test_generated_text_never_overflows(title: str, quote: str, alias: str) -> None:
    """Whatever mix of scripts, spaces and emoji a dossier holds, every word shows whole."""
    role = with_changes(
        specimen(), title=title, aliases=[alias] * 6, burn_ward=[{"quote": quote, "source": None}]
    )
    layout = record_layout(role, solo_catalog(role))
    d = role.dossier
    assert problems(layout, {"title": d.title, "quote": f"“{d.burn_ward[0].quote}”"}) == []


def test_fit_shrinks_before_it_cuts_and_cuts_at_a_word() -> None:
    """A text that fits at a smaller size is shrunk whole; one that cannot ends in "…" at a word."""
    box = Box(0, 0, 300, 60)
    shrunk = fit("t", "one two three four five six seven", box, Style(30, 10))
    assert (shrunk.truncated, " ".join(shrunk.lines)) == (
        False,
        "one two three four five six seven",
    )
    assert shrunk.size < 30
    cut = fit("t", "word " * 200, box, Style(20, 20))
    assert cut.truncated and cut.lines[-1].endswith("word…")


@pytest.mark.parametrize(
    ("char", "face"),
    [
        ("A", "NotoSans[wght].ttf"),
        ("م", "NotoSansArabic[wght].ttf"),
        ("企", "NotoSansCJK-VF.otf.ttc"),
        ("🔥", "NotoEmoji[wght].ttf"),
    ],
)
def test_each_script_falls_back_to_a_face_that_has_it(char: str, face: str) -> None:
    """Latin, Arabic, CJK and emoji each find a Noto face with their glyph."""
    assert FACES[face_for(char)].name == face


def test_an_emoji_sequence_stays_in_one_run() -> None:
    """A ZWJ sequence and a skin-tone modifier are never split between faces."""
    assert [run.text for run in runs("hi 👩‍💻👍🏽")] == ["hi ", "👩‍💻👍🏽"]


def test_the_record_matches_its_golden_image() -> None:
    """The drawn record matches tests/images/golden/file-record.png within a small tolerance.

    After a deliberate change of the look, rewrite it with ROASTBOT_UPDATE_GOLDEN=1.
    """
    role = specimen()
    png = render_record(role, solo_catalog(role), "https://roast.example/roles/specimen")
    if os.environ.get("ROASTBOT_UPDATE_GOLDEN") == "1":
        GOLDEN.write_bytes(png)
    with Image.open(io.BytesIO(png)) as drawn, Image.open(GOLDEN) as golden:
        difference = ImageChops.difference(drawn.convert("L"), golden.convert("L"))
        histogram = difference.histogram()
    changed = sum(histogram[24:]) / (WIDTH * HEIGHT)
    assert changed <= GOLDEN_TOLERANCE
