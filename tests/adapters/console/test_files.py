"""Console files: written where asked, numbered instead of overwriting, never elsewhere."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

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


def test_a_file_that_cannot_be_written_whole_is_removed(tmp_path: Path) -> None:
    """A write that fails midway (here the file size limit, as a full disk does) leaves no
    empty or partial file behind."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100, hard))
    try:
        with pytest.raises(OSError):
            save(tmp_path, Attachment("quotes.yaml", b"x" * 10_000, "application/yaml"))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert list(tmp_path.iterdir()) == []
