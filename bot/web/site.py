"""The web pages as static files, for any static host: `roastbot site build DIR`.

`index.html` (the whole taxonomy; searching needs the server, so the static index has no
search box), `roles/<id>.html` and `roles/<id>.png`. Links are relative, so the folder
works wherever it is served; OpenGraph tags are absolute under `base_url` when given.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bot.cards.roast import page_url
from bot.catalog.lookup import Catalog
from bot.images.record import render_record
from bot.web.pages import Links, index_page, record_page

MARKER = ".roastbot-site"


class SiteError(Exception):
    """The site cannot be written where asked; the message is one line saying why."""


def build_site(catalog: Catalog, directory: Path, base_url: str | None = None) -> int:
    """Write every page and picture under `directory`; how many files were written.

    The site is written into a fresh folder beside `directory` and moved into place at
    the end, so a failed build never leaves half a site behind. A folder that holds
    anything but an earlier build is refused, never emptied.
    """
    directory = directory.resolve()
    if directory.exists() and (not directory.is_dir() or _foreign(directory)):
        raise SiteError(
            f"{directory} exists and is not an earlier site build; name a new or empty folder"
        )
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    try:
        roles_dir = staging / "roles"
        roles_dir.mkdir()
        (staging / MARKER).write_text("built by roastbot site build\n", encoding="utf-8")
        written = 1
        (staging / "index.html").write_text(
            index_page(catalog, Links("", ".html", base_url), searchable=False), encoding="utf-8"
        )
        for role in catalog:
            links = Links("../", ".html", base_url)
            page = record_page(role, catalog, links)
            (roles_dir / f"{role.id}.html").write_text(page, encoding="utf-8")
            png = render_record(role, catalog, page_url(base_url, role.id) or None)
            (roles_dir / f"{role.id}.png").write_bytes(png)
            written += 2
        if directory.exists():
            shutil.rmtree(directory)
        staging.replace(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _foreign(directory: Path) -> bool:
    """Whether a folder holds files that an earlier build did not write."""
    return any(directory.iterdir()) and not (directory / MARKER).is_file()
