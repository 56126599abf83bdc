"""`roastbot site build DIR`: the web pages as static files, for any static host."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.catalog.lookup import Catalog
from bot.runtime.settings import load_settings
from bot.web.site import SiteError, build_site


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommand to the parser."""
    parser = sub.add_parser("site", help="the web pages as static files")
    actions = parser.add_subparsers(dest="site_command", required=True)
    build = actions.add_parser("build", help="write index.html, roles/<id>.html and .png")
    build.add_argument("directory", type=Path)
    build.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Build the site into the folder (replaced whole) and say how many files it holds."""
    settings = load_settings()
    catalog = Catalog.load(settings.dossiers)
    try:
        count = build_site(catalog, args.directory, settings.public_url)
    except SiteError as exc:
        print(f"roastbot: {exc}", file=sys.stderr)
        return 1
    where = settings.public_url or "relative links only; set ROASTBOT_PUBLIC_URL for link previews"
    print(f"{args.directory}: {count} files, {len(catalog)} file records ({where})")
    return 0
