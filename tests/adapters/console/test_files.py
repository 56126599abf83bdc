"""Console files: written where asked, numbered instead of overwriting, never elsewhere."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.console.files import save
from bot.cards.model import Attachment


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    """The name is taken, then -1, then -2; the first file keeps its bytes."""
    (tmp_path / "quotes.yaml").write_bytes(b"mine")
    (tmp_path / "quotes-1.yaml").write_bytes(b"mine too")
    path = save(tmp_path, Attachment("quotes.yaml", b"export", "application/yaml"))
    assert path == tmp_path / "quotes-2.yaml" and path.read_bytes() == b"export"
    assert (tmp_path / "quotes.yaml").read_bytes() == b"mine"
    assert (tmp_path / "quotes-1.yaml").read_bytes() == b"mine too"


def test_a_file_name_cannot_leave_the_directory(tmp_path: Path) -> None:
    """Only the last part of the name is used, so `../x` stays inside the directory."""
    inside = tmp_path / "inside"
    inside.mkdir()
    path = save(inside, Attachment("../../escape.json", b"{}", "application/json"))
    assert path == inside / "escape.json"
    assert not (tmp_path / "escape.json").exists()
