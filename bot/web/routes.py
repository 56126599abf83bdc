"""The web pages on an aiohttp application: `add_web_routes(app, catalog, settings)`.

`GET /` is the taxonomy (`?q=` searches it on the server, no JavaScript needed),
`GET /roles/<id>` a file record, `GET /roles/<id>.png` its picture. Every answer carries
a Content-Security-Policy that allows no script at all; unknown roles get a 404 page.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache

from aiohttp import web

from bot.cards.roast import page_url
from bot.catalog.lookup import Catalog
from bot.catalog.model import ID_PATTERN, MAX_ID_LENGTH, Role
from bot.images.record import render_record
from bot.runtime.settings import Settings
from bot.web.pages import Links, index_page, missing_page, record_page

ROLE = ID_PATTERN.strip("^$")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
        " form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
IMAGES_KEPT = 64  # pictures kept drawn, so a link unfurled by many clients is drawn once


def add_web_routes(app: web.Application, catalog: Catalog, settings: Settings) -> None:
    """Add `/`, `/roles/<id>` and `/roles/<id>.png` to `app`.

    Absolute URLs (OpenGraph tags) use `ROASTBOT_PUBLIC_URL` when it is set, otherwise the
    address each request came to.
    """
    pages = _Pages(catalog, settings.public_url)
    app.router.add_get("/", pages.index)
    app.router.add_get(f"/roles/{{role_id:{ROLE}}}.png", pages.image)
    app.router.add_get(f"/roles/{{role_id:{ROLE}}}", pages.record)
    app.router.add_get("/roles/{rest:.*}", pages.missing)


class _Pages:
    """The handlers, over one catalog."""

    def __init__(self, catalog: Catalog, public_url: str | None) -> None:
        self._catalog = catalog
        self._public_url = public_url
        self._png = lru_cache(maxsize=IMAGES_KEPT)(self._draw)

    def _links(self, request: web.Request) -> Links:
        """Links under the public URL, or else the address the request came to; a Host
        header that is no address (`x:abc`, `[`) is the client's mistake, a 400."""
        if self._public_url:
            return Links("/", "", self._public_url)
        try:
            return Links("/", "", str(request.url.origin()))
        except ValueError:  # yarl cannot build a URL from this Host
            raise web.HTTPBadRequest(text="the Host header is not a host name") from None

    async def index(self, request: web.Request) -> web.Response:
        """The taxonomy, filtered by `?q=` when given."""
        query = request.query.get("q", "")
        return _html(index_page(self._catalog, self._links(request), query))

    async def record(self, request: web.Request) -> web.Response:
        """One role's file record, or a 404 page."""
        role = self._role(request)
        if role is None:
            return await self.missing(request)
        return _html(record_page(role, self._catalog, self._links(request)))

    async def image(self, request: web.Request) -> web.Response:
        """One role's picture, drawn off the event loop."""
        role = self._role(request)
        if role is None:
            return await self.missing(request)
        png = await asyncio.to_thread(self._png, role.id)
        headers = SECURITY_HEADERS | {"Cache-Control": "public, max-age=3600"}
        return web.Response(body=png, content_type="image/png", headers=headers)

    async def missing(self, request: web.Request) -> web.Response:
        """The 404 page for a role that does not exist."""
        asked = request.match_info.get("role_id") or request.match_info.get("rest", "")
        page = missing_page(self._links(request), asked[:MAX_ID_LENGTH], self._catalog)
        return _html(page, status=404)

    def _role(self, request: web.Request) -> Role | None:
        return self._catalog.get(request.match_info["role_id"])

    def _draw(self, role_id: str) -> bytes:
        role = self._catalog.get(role_id)
        assert role is not None  # only called for a role that exists
        return render_record(role, self._catalog, page_url(self._public_url, role_id) or None)


def _html(page: str, status: int = 200) -> web.Response:
    return web.Response(
        text=page,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers=SECURITY_HEADERS,
    )
