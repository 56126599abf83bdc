"""A reply's files in the console: written to a directory, never over an existing file."""

from __future__ import annotations

from pathlib import Path

from bot.cards.model import Attachment

MAX_TRIES = 1000


def save(directory: Path, attachment: Attachment) -> Path:
    """Write the file as `directory/<filename>`, or `<stem>-1<suffix>`, `-2`… if that exists.

    Each name is claimed with an exclusive create, so two sessions never write one file.
    Raises `OSError` when the directory cannot be written (or a thousand names are taken),
    and when the file cannot be written whole (disk full): then the file is removed again.
    """
    name = Path(attachment.filename).name or "attachment"
    stem, suffix = Path(name).stem, Path(name).suffix
    for number in range(MAX_TRIES):
        path = directory / (name if number == 0 else f"{stem}-{number}{suffix}")
        try:
            file = path.open("xb")
        except FileExistsError:
            continue
        try:
            with file:
                file.write(attachment.content)
        except OSError:
            path.unlink(missing_ok=True)
            raise
        return path
    raise FileExistsError(f"{directory / name} and {MAX_TRIES - 1} numbered names exist")
