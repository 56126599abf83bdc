"""`roastbot card ROLE --out FILE.png`: draw one role's file record as a 1200x630 PNG."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cards.roast import page_url
from bot.catalog.lookup import Catalog
from bot.cli.files import write_whole
from bot.cli.roles import find_or_explain
from bot.runtime.settings import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommand to the parser."""
    parser = sub.add_parser("card", help="draw one role's file record as a PNG")
    parser.add_argument("role")
    parser.add_argument("--out", type=Path, required=True, help="the PNG file to write")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Write the picture and print where; an unknown role exits 1 with suggestions."""
    settings = load_settings()
    catalog = Catalog.load(settings.dossiers)
    role = find_or_explain(catalog, args.role)
    if role is None:
        return 1
    from bot.images.record import render_record  # Pillow and the fonts: this command only

    png = render_record(role, catalog, page_url(settings.public_url, role.id) or None)
    out: Path = args.out
    write_whole(out, png)
    print(f"{out} ({len(png) // 1024} KB): the file record of {role.title}")
    return 0
