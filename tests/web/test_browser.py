"""End to end in headless Chromium (Debian's `chromium`): no overflow, no console errors.

The test starts and stops the browser itself through Playwright, with a fresh profile, and
keeps a full-page screenshot of each page at each width under the pytest tmp folder.
A missing Chromium fails the test: `.ci/run` installs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import BrowserContext, ConsoleMessage, Error, async_playwright

from bot.catalog.lookup import Catalog
from bot.runtime.settings import Settings
from bot.web.routes import add_web_routes

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {"index": "/", "record": "/roles/enterprise-architect"}
WIDTHS = (375, 1280)


@pytest.fixture
def chromium() -> Path:
    """Debian's Chromium; its absence is a failure, never a skip."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    return CHROMIUM


async def _visit(context: BrowserContext, url: str, label: str, shot: Path) -> list[str]:
    """Open `url` in a fresh tab; its console errors and overflow, and a full-page screenshot."""
    problems: list[str] = []
    page = await context.new_page()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"{label}: console: {message.text}")

    def crashed(error: Error) -> None:
        problems.append(f"{label}: page error: {error}")

    page.on("console", console)
    page.on("pageerror", crashed)
    response = await page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        problems.append(f"{label}: HTTP {response.status if response else 'no response'}")
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"{label}: {overflow}px of horizontal overflow")
    await page.screenshot(path=str(shot), full_page=True)
    await page.close()
    return problems


async def test_pages_fit_phone_and_desktop_widths_without_errors(
    catalog: Catalog, tmp_path: Path, chromium: Path
) -> None:
    """The index and a record at 375 and 1280 px: nothing wider than the window, no errors."""
    app = web.Application()
    add_web_routes(app, catalog, Settings())
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    problems: list[str] = []
    shots = [tmp_path / f"{name}-{width}.png" for width in WIDTHS for name in PAGES]
    try:
        async with async_playwright() as playwright:
            for width in WIDTHS:
                context = await playwright.chromium.launch_persistent_context(
                    str(tmp_path / f"profile-{width}"),
                    executable_path=str(chromium),
                    headless=True,
                    args=FLAGS,
                    chromium_sandbox=False,
                    viewport={"width": width, "height": 800},
                )
                try:
                    for name, path in PAGES.items():
                        url = str(server.make_url(path))
                        shot = tmp_path / f"{name}-{width}.png"
                        problems += await _visit(context, url, f"{name}@{width}", shot)
                finally:
                    await context.close()
    finally:
        await server.close()
    assert problems == []
    assert all(shot.stat().st_size > 0 for shot in shots)
