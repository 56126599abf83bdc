"""Writing a command's output file whole: never an empty or half file, nothing left behind."""

from __future__ import annotations

from pathlib import Path


def write_whole(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` completely or not at all (a full disk, a folder in the way).

    It goes to a hidden `.NAME.partial` beside `path` first, renamed over `path` once
    written; the partial file is removed whatever happens.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        if isinstance(data, bytes):
            partial.write_bytes(data)
        else:
            partial.write_text(data, encoding="utf-8", newline="\n")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
