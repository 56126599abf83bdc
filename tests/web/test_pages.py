"""The web pages on a real aiohttp server: valid HTML5, OpenGraph that resolves, inert text."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image

from bot.catalog.lookup import Catalog
from bot.runtime.settings import Settings
from bot.web.routes import add_web_routes
from tests.web.hostile import ATTRIBUTE, HOSTILE, LINK, SCRIPT, hostile_catalog
from tests.web.html import links, meta, parse, text

PUBLIC = "https://roast.example"
SEEDS_ORDER = [f"[{n:02d}]" for n in range(1, 12)]

Client = TestClient[web.Request, web.Application]
MakeClient = Callable[..., "AsyncIterator[Client]"]


async def _client(catalog: Catalog, public_url: str | None = None) -> Client:
    app = web.Application()
    add_web_routes(app, catalog, Settings(ROASTBOT_PUBLIC_URL=public_url))
    client: Client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return client


@pytest_asyncio.fixture
async def client(catalog: Catalog) -> AsyncIterator[Client]:
    """The pages over the bundled catalog, no public URL."""
    opened = await _client(catalog)
    yield opened
    await opened.close()


async def _page(client: Client, path: str, status: int = 200) -> str:
    response = await client.get(path)
    assert response.status == status, path
    assert response.content_type == "text/html"
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    return await response.text()


async def test_every_page_is_valid_html5(client: Client, catalog: Catalog) -> None:
    """The index, a search, every file record and the 404 page parse in strict mode."""
    for path in ("/", "/?q=architect", "/?q=zzzzqqq", "/?q=%ff%00%e2", "/?q=" + "x" * 5000):
        parse(await _page(client, path))
    for role in catalog:
        parse(await _page(client, f"/roles/{role.id}"))
    parse(await _page(client, "/roles/no-such-role", 404))


async def test_the_index_lists_every_dossier_grouped_by_field(
    client: Client, catalog: Catalog
) -> None:
    """Every role links from `/`, under a heading per field, in the catalog's field order."""
    tree = parse(await _page(client, "/"))
    hrefs = set(links(tree))
    assert {f"/roles/{role.id}" for role in catalog} <= hrefs
    headings = [h.get("id") for h in tree.iter("h2")]
    fields = list(dict.fromkeys(r.dossier.field for r in catalog))
    assert sorted(headings) == sorted(f"field-{f}" for f in fields)


async def test_the_search_box_filters_on_the_server(client: Client) -> None:
    """`GET /?q=` keeps matching roles only (by alias too); no match offers near names."""
    page = text(parse(await _page(client, "/?q=chief+architect")))
    assert "Enterprise Architect" in page and "SDET" not in page
    missed = parse(await _page(client, "/?q=Enterprize+Archtect"))
    assert "/roles/enterprise-architect" in links(missed)
    assert "0 of" in text(missed)


async def test_a_record_has_all_eleven_sections_in_the_seed_order(client: Client) -> None:
    """[01] to [11] appear once each, in order, with the dossier's own quote."""
    tree = parse(await _page(client, "/roles/enterprise-architect"))
    headings = ["".join(h.itertext()) for h in tree.iter("h2")]
    assert [h[:4] for h in headings] == SEEDS_ORDER
    assert "FILE RECORD: ENTERPRISE-ARCHITECT" in text(tree)


async def test_opengraph_tags_resolve_to_served_urls(client: Client) -> None:
    """og:url and og:image are absolute, and fetching them gives the page and a 1200x630 PNG."""
    tree = parse(await _page(client, "/roles/sdet"))
    image_url, page_url = meta(tree, "og:image"), meta(tree, "og:url")
    assert image_url and page_url and meta(tree, "twitter:image") == image_url
    assert meta(tree, "twitter:card") == "summary_large_image"
    origin = str(client.make_url("/")).rstrip("/")
    assert image_url == f"{origin}/roles/sdet.png" and page_url == f"{origin}/roles/sdet"
    response = await client.get(urlsplit(image_url).path)
    assert (response.status, response.content_type) == (200, "image/png")
    with Image.open(io.BytesIO(await response.read())) as image:
        assert image.size == (1200, 630)
    assert (await client.get(urlsplit(page_url).path)).status == 200


async def test_with_a_public_url_tags_point_there(catalog: Catalog) -> None:
    """ROASTBOT_PUBLIC_URL set: OpenGraph URLs are under it, whatever Host was asked."""
    client = await _client(catalog, PUBLIC + "/")
    try:
        tree = parse(await _page(client, "/roles/sdet"))
    finally:
        await client.close()
    assert meta(tree, "og:image") == f"{PUBLIC}/roles/sdet.png"
    assert meta(tree, "og:url") == f"{PUBLIC}/roles/sdet"


@pytest.mark.parametrize(
    "path", ["/roles/nope", "/roles/nope.png", "/roles/SDET", "/roles/sdet.png.png", "/roles/a/b"]
)
async def test_unknown_roles_are_a_404_page(client: Client, path: str) -> None:
    """Anything under /roles/ that is not a role answers 404 with a page, never a 500."""
    response = await client.get(path)
    assert response.status == 404
    assert response.content_type == "text/html"


async def test_hostile_dossier_text_is_inert(catalog: Catalog) -> None:
    """Script tags, attribute breakouts and `javascript:` links come out as text only."""
    base = catalog.get("sdet")
    assert base is not None
    client = await _client(hostile_catalog(base))
    try:
        pages = [await _page(client, "/"), await _page(client, "/roles/hostile")]
        pages.append(await _page(client, "/?q=" + SCRIPT))
    finally:
        await client.close()
    for page in pages:
        tree = parse(page)
        assert list(tree.iter("script")) == []
        assert [e for e in tree.iter() if any(a.startswith("on") for a in e.attrib)] == []
        assert all(link.startswith(("/", "http://127.0.0.1", "data:")) for link in links(tree))
        assert [img.get("src") for img in tree.iter("img")] in ([], ["/roles/hostile.png"])
    record = text(parse(pages[1]))
    assert SCRIPT in record and ATTRIBUTE in record and LINK in record
    assert HOSTILE[:100] in record


@pytest.mark.parametrize(("path", "status"), [("/?q=", 200), ("/roles/", 404)])
async def test_a_bidi_override_in_the_address_is_not_echoed(
    client: Client, path: str, status: int
) -> None:
    """A link crafted with U+202E and U+2066 shows the words it asked for, never reordered."""
    page = await _page(client, path + "%E2%80%AEnimda%E2%81%A6-ylno", status)
    assert "nimda-ylno" in text(parse(page))
    assert not any(ch in page for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068")


@pytest.mark.parametrize("host", ["x:abc", "x:99999", "["])
@pytest.mark.parametrize("path", ["/", "/roles/sdet", "/roles/nope"])
async def test_a_host_header_that_is_no_address_is_a_400_not_a_500(
    client: Client, caplog: pytest.LogCaptureFixture, host: str, path: str
) -> None:
    """Without a public URL the pages build links from Host; one that is no address is a 400."""
    with caplog.at_level(logging.DEBUG):
        response = await client.get(path, headers={"Host": host})
    assert response.status == 400, (host, path)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
