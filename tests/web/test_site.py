"""`build_site`: the same pages as static files, every link pointing at a file that exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog.lookup import Catalog
from bot.web.site import SiteError, build_site
from tests.web.html import links, meta, parse

PUBLIC = "https://roast.example"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalog built once as a static site, with a public URL."""
    directory = tmp_path_factory.mktemp("site") / "public"
    build_site(Catalog.load(), directory, PUBLIC)
    return directory


def test_the_site_holds_the_index_and_every_record_and_picture(
    site: Path, catalog: Catalog
) -> None:
    """index.html, roles/<id>.html and roles/<id>.png for every dossier, nothing else."""
    expected = {"index.html", ".roastbot-site"}
    expected |= {f"roles/{r.id}.{ext}" for r in catalog for ext in ("html", "png")}
    found = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
    assert found == expected


def test_every_static_page_is_valid_and_its_links_exist(site: Path) -> None:
    """Each page parses strictly; each relative link names a file of the site."""
    for page in [site / "index.html", *sorted((site / "roles").glob("*.html"))]:
        tree = parse(page.read_text(encoding="utf-8"))
        for link in links(tree):
            if link.startswith("data:"):
                continue
            assert (page.parent / link).resolve().is_file(), f"{page.name}: {link}"


def test_static_records_carry_absolute_opengraph_urls(site: Path) -> None:
    """With a public URL, og:image is the picture under it, as the bot's cards link it."""
    tree = parse((site / "roles" / "sdet.html").read_text(encoding="utf-8"))
    assert meta(tree, "og:image") == f"{PUBLIC}/roles/sdet.png"
    assert meta(tree, "og:url") == f"{PUBLIC}/roles/sdet"


def test_a_rebuild_replaces_an_earlier_build_but_not_other_folders(
    tmp_path: Path, catalog: Catalog
) -> None:
    """An earlier build is replaced whole; a folder with other files is refused, untouched."""
    small = Catalog([role for role in catalog if role.id == "sdet"])
    target = tmp_path / "out"
    build_site(small, target)
    (target / "roles" / "stale.html").write_text("old")
    build_site(small, target)
    assert not (target / "roles" / "stale.html").exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    with pytest.raises(SiteError):
        build_site(small, mine)
    assert (mine / "notes.txt").read_text() == "keep"
