"""`roastbot catalog [--markdown]`: list every specimen as a table."""

from __future__ import annotations

import argparse

from rich.console import Console

from bot.catalog.lookup import Catalog
from bot.catalog.table import catalog_markdown, catalog_table
from bot.runtime.settings import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommand to the parser."""
    parser = sub.add_parser("catalog", help="list every specimen")
    parser.add_argument(
        "--markdown", action="store_true", help="print dossiers/CATALOG.md instead of a table"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print the table (or the Markdown page) of the configured catalog."""
    catalog = Catalog.load(load_settings().dossiers)
    if args.markdown:
        print(catalog_markdown(catalog), end="")
    else:
        Console().print(catalog_table(catalog))
    return 0
