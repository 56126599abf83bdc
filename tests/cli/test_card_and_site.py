"""`roastbot card`, `roastbot site build`, and `/roast <role> image` in the console."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from tests.process import roastbot


def _png_size(path: Path) -> tuple[int, int]:
    with Image.open(io.BytesIO(path.read_bytes())) as image:
        assert image.format == "PNG"
        return image.size


def test_card_writes_the_file_record_png(tmp_path: Path) -> None:
    """`roastbot card "Enterprise Architect" --out ea.png`: a 1200x630 PNG and one line."""
    result = roastbot("card", "Enterprise Architect", "--out", "ea.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ea.png (")
    assert _png_size(tmp_path / "ea.png") == (1200, 630)


def test_card_of_an_unknown_role_suggests_and_writes_nothing(tmp_path: Path) -> None:
    """A typo exits 1 with suggestions on stderr, and no file appears."""
    result = roastbot("card", "Enterprize Archtect", "--out", "x.png", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("Did you mean: Enterprise Architect?")
    assert not (tmp_path / "x.png").exists()


def test_card_onto_a_folder_says_so_in_one_line_and_leaves_no_partial_file(
    tmp_path: Path,
) -> None:
    """`--out` naming a folder exits 1 with one line; the folder holds nothing new after."""
    (tmp_path / "cards").mkdir()
    before = sorted(tmp_path.iterdir())
    result = roastbot("card", "SDET", "--out", "cards", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert sorted(tmp_path.iterdir()) == before
    assert list((tmp_path / "cards").iterdir()) == []


def test_chat_image_writes_the_png_and_prints_its_path(tmp_path: Path) -> None:
    """In the console, `/roast SDET image` saves sdet.png in the working folder."""
    result = roastbot("chat", stdin="/roast SDET image\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _png_size(tmp_path / "sdet.png") == (1200, 630)
    assert str(tmp_path / "sdet.png") in result.stdout.replace("\n", "")


def test_site_build_refuses_a_folder_it_did_not_build(tmp_path: Path) -> None:
    """A folder holding other files is never emptied: exit 1, one line, the file kept."""
    (tmp_path / "keep.txt").write_text("mine")
    result = roastbot("site", "build", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not an earlier site build" in result.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine"
